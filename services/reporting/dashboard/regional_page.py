"""The regional view's HTML: the board's gemeenten side by side, their total against the
region's target, small cells as "<5" (and "×" where one would otherwise be worked back)."""

from __future__ import annotations

from html import escape

from services.reporting.dashboard import charts, pages
from services.reporting.dashboard.pages import against, kpi, nl_number, percent
from services.reporting.domain.monitor import HIDDEN, pct_of
from services.reporting.regional import RegionalView

HEAD = ("Gemeente", "Plaatsen gerealiseerd (SW + PW)", "Taakstelling", "% van taakstelling",
        "PW bij de uitvoerder", "Gefinancierde plaatsen", "Aangemeld", "Plaatsingen gestart",
        "Uitgestroomd")


def _row(name: str, cells: dict[str, object], target: int | None, funded: int | None,
         css: str = "", mark: str = "") -> str:
    values = [nl_number(cells["placesRealised"]), nl_number(target),
              percent(pct_of(cells["placesRealised"], target)), nl_number(cells["atProvider"]),
              nl_number(funded), nl_number(cells["registrations"]),
              nl_number(cells["placementsStarted"]), nl_number(cells["closures"])]
    tds = "".join(f'<td class="n">{value}</td>' for value in values)
    return f"<tr{css}><td>{escape(name)}{mark}</td>{tds}</tr>"


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def regional_content(view: RegionalView) -> str:
    """Tiles (the region against its target), a chart per gemeente and the table."""
    total, before = view.total, view.previous_total
    previous = view.previous_label or "vorige periode"
    target_line = ([] if view.regional_target is None else
                   [f"{percent(view.pct_of_regional_target)} van de regionale taakstelling"])
    tiles = pages.headline([
        kpi("Regionale taakstelling plaatsen", nl_number(view.regional_target),
            lines=[f"besluit van het bestuur van {escape(view.organisation_name)}, "
                   f"{view.period.year}"]),
        kpi("Plaatsen gerealiseerd in de regio (SW + PW)", nl_number(total["placesRealised"]),
            lines=target_line + against(total["placesRealised"], before.get("placesRealised"),
                                        previous)[-1:]),
        kpi("PW-plaatsen bij de uitvoerder", nl_number(total["atProvider"]),
            lines=against(total["atProvider"], before.get("atProvider"), previous)),
        kpi("Aangemeld in de regio", nl_number(total["registrations"]),
            lines=against(total["registrations"], before.get("registrations"), previous))])
    rows = "".join(_row(line.name, dict(line.cells), line.target, line.funded,
                        mark=pages.MARKER if line.illustrative else "") for line in view.lines)
    # The region's row is set against the board's regional target, not against the sum of
    # the gemeenten's own targets (the sources give only Boxtel's: a sum would mislead).
    rows += _row(f"Regio ({len(view.lines)} gemeenten)", dict(total), view.regional_target,
                 _sum([line.funded for line in view.lines]), ' class="total"')
    head = "".join(f'<th class="{"n" if i else ""}">{escape(h)}</th>'
                   for i, h in enumerate(HEAD))
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    chart = charts.bars("Plaatsen gerealiseerd per gemeente",
                        [(line.name, line.cells["placesRealised"]) for line in view.lines])
    rule = ('Aantallen van 1–4 personen staan als "&lt;5"; staat er in een kolom precies één '
            f'"&lt;5", dan is ook het kleinste andere getal verborgen ("{HIDDEN}"), zodat het '
            "niet uit het regiototaal terug te rekenen is. Het regiototaal telt de echte "
            "aantallen. Taakstellingen en gefinancierde plaatsen zijn besluiten en worden niet "
            "verborgen; een gemeente zonder vastgestelde taakstelling toont –. De regio staat "
            "tegen de regionale taakstelling van het bestuur.")
    return (tiles + pages.section("Plaatsen per gemeente", chart)
            + pages.section("Alle gemeenten tegen de taakstelling", table, wide=True)
            + f'<section class="wide note">{rule}</section>'
            + pages.illustrative_notes(view.notes))
