"""The pages' building blocks in Dutch: numbers as a Dutch reader writes them, KPI tiles with
their target and previous period, tables with Dutch headers, the page frame and sign-in.

Pages never show an API field name or a bare code: domain/labels.py translates them.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html import escape
from typing import Any

from services.reporting.dashboard import charts
from services.reporting.domain.labels import code_label, column_label
from services.reporting.domain.monitor import change, pct_of
from services.reporting.domain.periods import PERIOD_PATTERN
from shared.organisations import display_name

Rows = list[dict[str, Any]]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;margin:0;
color:#1b1b1b;background:#f4f6f8}
header{background:#154273;color:#fff;padding:14px 24px}header h1{margin:0;font-size:1.35rem}
header p{margin:4px 0 0;font-size:.9rem}header form{margin-top:8px}header a{color:#fff}
main{padding:16px 24px;display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));
gap:16px}
main>section{min-width:0}
section{background:#fff;border-radius:6px;padding:12px 16px;box-shadow:0 1px 3px #0002}
.wide{grid-column:1/-1}
h2{font-size:1.05rem;margin:0 0 8px}.headline{display:grid;
grid-template-columns:repeat(auto-fit,minmax(185px,1fr));gap:10px;grid-column:1/-1}
.kpi{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 3px #0002}
.kpi b{display:block;font-size:1.4rem;white-space:nowrap}
.kpi span{display:block;font-size:.8rem;color:#555}
.kpi small{display:block;font-size:.78rem;color:#333;margin-top:2px}
table{border-collapse:collapse;width:100%;font-size:.85rem;table-layout:auto}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;overflow-wrap:break-word;
vertical-align:top}
th{font-weight:600}td.n,th.n{text-align:right}td.n,.nowrap{white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid #555}
svg .lbl{font-size:11px;fill:#333}svg .val{font-size:11px;fill:#111}
footer{padding:8px 24px;font-size:.8rem;color:#555}
.note{font-size:.8rem;color:#555}sup.illustrative{color:#b02a37;font-weight:bold}
header sup.illustrative{color:#ffc2c2}
.illustrative-notes{grid-column:1/-1;border-left:4px solid #b02a37;font-size:.85rem}
@media print{body{background:#fff;font-size:10pt}header{background:#fff;color:#000;
border-bottom:2px solid #000;padding:0 0 6px}header h1{font-size:14pt}.kpi b{font-size:13pt}
header sup.illustrative{color:#b02a37}
header form,.noprint{display:none}main{display:block;padding:0}section,.kpi{box-shadow:none;
border:1px solid #999;break-inside:avoid;margin-bottom:10px}.headline{display:grid;
grid-template-columns:repeat(4,1fr)}}
@page{size:A4;margin:12mm}
"""


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def nl_number(value: Any, decimals: int = 0) -> str:
    """A number as a Dutch reader writes it: 2.100 and 87,5 (a suppressed "<5" as it is)."""
    amount = _decimal(value)
    if amount is None:
        return "–" if value is None else escape(str(value))
    # Half-up, as a reader rounds (Decimal's format would round half-even: 87,45 → 87,4)
    amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{amount:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def euro(value: Any) -> str:
    """An amount of money: € 1.530,38."""
    return "–" if _decimal(value) is None else f"€\u00a0{nl_number(value, 2)}"


def percent(value: float | None) -> str:
    """87,5%."""
    return "–" if value is None else f"{nl_number(value, 1)}%"


def signed(value: Decimal | None, *, money: bool = False) -> str:
    """+12 / −3 (and € for money), or – when unknown."""
    if value is None:
        return "–"
    shown = euro(abs(value)) if money else nl_number(abs(value))
    return f"{'+' if value >= 0 else '−'}{shown}"


def cell(value: Any, column: str = "") -> str:
    """One table cell's text: money (columns in €), counts, codes translated."""
    if value is None:
        return "–"
    if "(€)" in column_label(column):
        return euro(value)
    if isinstance(value, float):
        return nl_number(value, 0 if value.is_integer() else 1)
    if isinstance(value, int):
        return nl_number(value)
    return escape(code_label(str(value)))


def _numeric(value: Any, column: str) -> bool:
    return not isinstance(value, str) or "(€)" in column_label(column) or value == "<5"


def table(rows: Rows, columns: Sequence[str]) -> str:
    """A table with Dutch headers; numbers right-aligned."""
    head = "".join(f"<th>{escape(column_label(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="{"n" if _numeric(r.get(c), c) else ""}">{cell(r.get(c), c)}</td>'
            for c in columns) + "</tr>" for r in rows)
    if not rows:
        body = f'<tr><td colspan="{len(columns)}">Geen gegevens in deze periode.</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def facts(row: dict[str, Any] | None, columns: Sequence[str]) -> str:
    """One row as label | value lines: fits a narrow card whatever the number of columns (the
    LKS table of ten columns overflowed its card)."""
    if row is None:
        return "<p>Geen gegevens in deze periode.</p>"
    lines = "".join(f'<tr><th>{escape(column_label(c))}</th><td class="n">{cell(row.get(c), c)}'
                    "</td></tr>" for c in columns)
    return f'<table class="facts"><tbody>{lines}</tbody></table>'


# The marker of an illustrative figure (demo data, not from a source); the footnote says why.
MARKER = '<sup class="illustrative" title="illustratief: niet uit een bron">*</sup>'


def kpi(label: str, value: str, illustrative: bool = False, *, lines: Sequence[str] = ()) -> str:
    """A tile: the figure, what it is, and lines like "87,5% van doel" or "+12 t.o.v. …"."""
    mark = MARKER if illustrative else ""
    extra = "".join(f"<small>{line}</small>" for line in lines)
    return f'<div class="kpi"><b>{value}{mark}</b><span>{escape(label)}</span>{extra}</div>'


def against(current: Any, previous: Any, previous_label: str, *, target: Any = None,
            target_label: str = "doel", money: bool = False) -> list[str]:
    """The lines under a tile: % of target (if any) and the change since the previous period."""
    lines: list[str] = []
    if target is not None:
        shown = euro(target) if money else nl_number(target)
        lines.append(f"{percent(pct_of(current, target))} van {escape(target_label)} {shown}")
    # A change is shown without colour: fewer registrations is not by itself good or bad.
    lines.append(f"{signed(change(current, previous), money=money)} t.o.v. "
                 f"{escape(previous_label)}")
    return lines


def illustrative_notes(notes: Sequence[str]) -> str:
    """The footnote of the marked figures: what is illustrative, and why (nothing if none)."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return ('<section class="illustrative-notes"><h2>' + MARKER + " Illustratieve cijfers</h2>"
            "<p>Demogegevens: cijfers met een * zijn voor de demonstratie bedacht en komen niet "
            "uit de bronnen (de raadsstukken in DOMAIN.md). Toelichting per cijfer:</p>"
            f"<ul>{items}</ul></section>")


def funnel(overview: dict[str, Any]) -> str:
    """In-, door- and uit-stroom as bars."""
    return charts.bars("In-, door- en uitstroom", [
        ("in: aangemeld", overview["registrations"]),
        ("verwezen naar uitvoerder", overview["referrals"]),
        ("diagnose gestart", overview["diagnosesStarted"]),
        ("door: programmabesluit", overview["programmes"]),
        ("plaatsing gestart", overview["placementsStarted"]),
        ("uit: plaatsing beëindigd", overview["placementsEnded"]),
        ("uit: klantreis verlaten", overview["closures"])])


def places_chart(places: Rows) -> str:
    """Places realised per month against the target."""
    return charts.places_over_time("Plaatsen gerealiseerd en taakstelling",
                                   [(r["month"], r["realised"], r["target"]) for r in places])


def budget_chart(budget: dict[str, Any]) -> str:
    """Places at the uitvoerder against the funded places."""
    return charts.bars("Realisatie begeleidingsbudget", [
        ("gefinancierde plaatsen", budget["fundedPlaces"]),
        ("bij de uitvoerder", budget["atProvider"]),
        ("direct bij werkgevers", budget["direct"]),
        ("boven budget", budget["aboveBudget"])])


def youth_chart(youth: Rows) -> str:
    """Young people by age, stacked by subgroup."""
    ages = ["onbekend" if r["age"] is None else str(r["age"]) for r in youth]
    return charts.stacked("Jongeren naar leeftijd en subgroep", ages,
                          [("SW", [r["sw"] for r in youth]), ("P-wet", [r["pWet"] for r in youth]),
                           ("stages", [r["stages"] for r in youth])])


def named(code: str) -> str:
    """`Boxtel (GM0757)`: the name people read, with the code that travels."""
    name = display_name(code)
    return code if name == code else f"{name} ({code})"


def picker(action: str, gemeente: str | None, gemeenten: Sequence[str], period: str) -> str:
    """A GET form to choose gemeente (by name) and period."""
    options = "".join(f'<option value="{escape(g)}"{" selected" if g == gemeente else ""}>'
                      f"{escape(named(g))}</option>" for g in gemeenten)
    chooser = f'<select name="gemeente">{options}</select> ' if gemeente is not None else ""
    return (f'<form method="get" action="{escape(action)}">{chooser}<label>Periode '
            f'<input name="period" value="{escape(period)}" size="8" '
            f'pattern="{escape(PERIOD_PATTERN[1:-1])}"></label> <button>Toon</button></form>')


ILLUSTRATIVE_HINT = ('<p>' + MARKER + " = illustratief cijfer (demogegevens, niet uit de bronnen); "
                     "de toelichting staat onderaan.</p>")


def navigation(gemeente: str, period: str, *, regional: bool) -> str:
    """Links between the views of this gemeente and period (not printed)."""
    query = f"gemeente={escape(gemeente)}&amp;period={escape(period)}"
    links = [f'<a href="/dashboard?{query}">Dashboard</a>',
             f'<a href="/dashboard/monitor?{query}">Monitor</a>',
             f'<a href="/dashboard/monitor.pdf?{query}">Monitor als PDF</a>']
    if regional:
        links.append(f'<a href="/dashboard/regio?period={escape(period)}">Regio</a>')
    return '<p class="noprint nav">' + " · ".join(links) + "</p>"


def page(title: str, header_extra: str, body: str, footer: str) -> str:
    """A whole HTML document (no script anywhere)."""
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>'
            f"{escape(title)}</title><style>{STYLE}</style></head><body><header><h1>"
            f"{escape(title)}</h1>{header_extra}</header><main>{body}</main>"
            f"<footer>{footer}</footer></body></html>")


def section(title: str, content: str, note: str = "", *, illustrative: bool = False,
            wide: bool = False) -> str:
    """A titled block; marked * when it shows illustrative figures."""
    extra = f'<p class="note">{escape(note)}</p>' if note else ""
    mark = MARKER if illustrative else ""
    css = ' class="wide"' if wide else ""
    return f"<section{css}><h2>{escape(title)}{mark}</h2>{content}{extra}</section>"


def headline(tiles: Sequence[str]) -> str:
    """The row of KPI tiles."""
    return '<div class="headline">' + "".join(tiles) + "</div>"


def marked_any(slugs: Sequence[str], marked: Set[str]) -> bool:
    """Whether any of these reports has an illustrative figure."""
    return any(slug in marked for slug in slugs)


def login_page(message: str = "") -> str:
    """A form that posts a bearer token to /dashboard/session (stored as an HttpOnly cookie)."""
    note = f"<p>{escape(message)}</p>" if message else ""
    form = ('<form method="post" action="/dashboard/session"><label>Bearer-token '
            '<input name="token" type="password" size="60" autocomplete="off"></label> '
            "<button>Inloggen</button></form>")
    return page("Rapportage — inloggen", "", section("Inloggen", note + form), "")
