"""The regional view's HTML: the board's gemeenten side by side, their total against the
region's target, small cells as "<5" (and a total rounded to tens where one could otherwise be
worked back from it)."""

from __future__ import annotations

from html import escape

from services.reporting.dashboard import charts, pages
from services.reporting.dashboard.pages import against, kpi, nl_number, percent
from services.reporting.domain.monitor import ROUNDED, pct_of
from services.reporting.handlers.regional import RegionalView

HEAD = ("Gemeente", "Plaatsen gerealiseerd (SW + PW)", "Taakstelling", "% van taakstelling",
        "PW bij de uitvoerder", "Gefinancierde plaatsen", "Aangemeld", "Plaatsingen gestart",
        "Uitgestroomd")


def _row(name: str, cells: dict[str, object], target: int | None, funded: int | None,
         css: str = "", mark: str = "", rounded: frozenset[str] = frozenset()) -> str:
    def count(key: str) -> str:
        return (ROUNDED if key in rounded else "") + nl_number(cells[key])

    values = [count("placesRealised"), nl_number(target),
              percent(pct_of(cells["placesRealised"], target)), count("atProvider"),
              nl_number(funded), count("registrations"), count("placementsStarted"),
              count("closures")]
    tds = "".join(f'<td class="n">{value}</td>' for value in values)
    return f"<tr{css}><td>{escape(name)}{mark}</td>{tds}</tr>"


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def regional_content(view: RegionalView) -> str:
    """Tiles (the region against its target), a chart per gemeente and the table."""
    total, before = view.total, view.previous_total
    previous = view.previous_label or "vorige periode"

    def shown(key: str) -> str:
        return (ROUNDED if key in view.rounded else "") + nl_number(total[key])

    target_line = ([] if view.regional_target is None else
                   [f"{percent(view.pct_of_regional_target)} van de regionale taakstelling"])
    tiles = pages.headline([
        kpi("Regionale taakstelling plaatsen", nl_number(view.regional_target),
            lines=[f"besluit van het bestuur van {escape(view.organisation_name)}, "
                   f"{view.period.year}"]),
        kpi("Plaatsen gerealiseerd in de regio (SW + PW)", shown("placesRealised"),
            lines=target_line + against(total["placesRealised"], before.get("placesRealised"),
                                        previous)[-1:]),
        kpi("PW-plaatsen bij de uitvoerder", shown("atProvider"),
            lines=against(total["atProvider"], before.get("atProvider"), previous)),
        kpi("Aangemeld in de regio", shown("registrations"),
            lines=against(total["registrations"], before.get("registrations"), previous))])
    rows = "".join(_row(line.name, dict(line.cells), line.target, line.funded,
                        mark=pages.MARKER if line.illustrative else "") for line in view.lines)
    # The region's row is set against the board's regional target, not against the sum of
    # the gemeenten's own targets (the sources give only Boxtel's: a sum would mislead).
    rows += _row(f"Regio ({len(view.lines)} gemeenten)", dict(total), view.regional_target,
                 _sum([line.funded for line in view.lines]), ' class="total"',
                 rounded=view.rounded)
    head = "".join(f'<th class="{"n" if i else ""}">{escape(h)}</th>'
                   for i, h in enumerate(HEAD))
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    chart = charts.bars("Plaatsen gerealiseerd per gemeente",
                        [(line.name, line.cells["placesRealised"]) for line in view.lines])
    rule = ('Aantallen van 1–4 personen staan als "&lt;5". Staat er in een kolom een "&lt;5", '
            f'dan is het regiototaal van die kolom afgerond op tientallen ("{ROUNDED}550"), zodat '
            "het kleine aantal niet uit het totaal terug te rekenen is; anders is het totaal "
            "exact. Taakstellingen en gefinancierde plaatsen zijn besluiten en worden niet "
            "verborgen; een gemeente zonder vastgestelde taakstelling toont –. De regio staat "
            "tegen de regionale taakstelling van het bestuur.")
    return (tiles + pages.section("Plaatsen per gemeente", chart)
            + pages.section("Alle gemeenten tegen de taakstelling", table, wide=True)
            + f'<section class="wide note">{rule}</section>'
            + pages.illustrative_notes(view.notes))
