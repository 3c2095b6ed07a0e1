"""The dashboard and the twice-yearly monitor as HTML: headline numbers, charts, tables."""

from __future__ import annotations

from collections.abc import Sequence, Set
from html import escape
from typing import Any

from services.reporting.dashboard import charts
from services.reporting.domain.periods import PERIOD_PATTERN
from shared.organisations import display_name

Rows = list[dict[str, Any]]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;
background:#f4f6f8}
header{background:#154273;color:#fff;padding:14px 24px}header h1{margin:0;font-size:1.35rem}
header form{margin-top:8px}main{padding:16px 24px;display:grid;
grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
section{background:#fff;border-radius:6px;padding:12px 16px;box-shadow:0 1px 3px #0002;
overflow-x:auto}
h2{font-size:1.05rem;margin:0 0 8px}.headline{display:grid;
grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;grid-column:1/-1}
.kpi{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 3px #0002}
.kpi b{display:block;font-size:1.5rem}.kpi span{font-size:.8rem;color:#555}
table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #ddd;
padding:3px 6px;text-align:left}td.n{text-align:right}svg .lbl{font-size:11px;fill:#333}
svg .val{font-size:11px;fill:#111}footer{padding:8px 24px;font-size:.8rem;color:#555}
.note{font-size:.8rem;color:#555}sup.illustrative{color:#b02a37;font-weight:bold}
.illustrative-notes{grid-column:1/-1;border-left:4px solid #b02a37;font-size:.85rem}
@media print{body{background:#fff}header{background:#fff;color:#000;border-bottom:2px solid #000}
header form,.noprint{display:none}main{display:block;padding:0}section,.kpi{box-shadow:none;
border:1px solid #999;break-inside:avoid;margin-bottom:10px}.headline{display:grid;
grid-template-columns:repeat(4,1fr)}@page{size:A4;margin:14mm}}
"""


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else escape(str(value))


def table(rows: Rows, columns: Sequence[str]) -> str:
    """A plain HTML table of some columns."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="{"n" if not isinstance(r.get(c), str) else ""}">{_cell(r.get(c))}</td>'
            for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# The marker of an illustrative figure (demo data, not from a source); the footnote says why.
MARKER = '<sup class="illustrative" title="illustrative: not from a source">*</sup>'


def _kpi(label: str, value: Any, illustrative: bool = False) -> str:
    mark = MARKER if illustrative else ""
    return (f'<div class="kpi"><b>{_cell(value)}{mark}</b><span>{escape(label)}</span>'
            "</div>")


def headline(overview: dict[str, Any], marked: Set[str] = frozenset()) -> str:
    """The headline numbers of one gemeente; `marked`: reports with illustrative figures."""
    items = [("registered (in-stroom)", overview["registrations"], "overview"),
             ("programme decisions (door-stroom)", overview["programmes"], "overview"),
             ("placements started", overview["placementsStarted"], "overview"),
             ("left (uit-stroom)", overview["closures"], "overview"),
             ("places realised", overview["placesRealised"], "places"),
             # The council's decision, never a demo figure: targets carry no marks.
             ("places target", overview["placesTarget"], "targets"),
             ("at the uitvoerder / funded",
              f"{_cell(overview['atProvider'])} / {_cell(overview['fundedPlaces'])}", "budget"),
             ("LKS paid (EUR)", overview["lksPaid"], "lks")]
    return '<div class="headline">' + "".join(
        _kpi(k, v, slug in marked) for k, v, slug in items) + "</div>"


def illustrative_notes(notes: Sequence[str]) -> str:
    """The footnote of the marked figures: what is illustrative, and why (nothing if none)."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return ('<section class="illustrative-notes"><h2>' + MARKER + " Illustrative figures</h2>"
            "<p>Demo data: figures marked * are made up for the demonstration, not taken from "
            "the sources (the council papers in DOMAIN.md).</p>"
            f"<ul>{items}</ul></section>")


def funnel(overview: dict[str, Any]) -> str:
    """In-, door- and uit-stroom as bars."""
    return charts.bars("In-, door- en uitstroom", [
        ("in: registered", overview["registrations"]),
        ("referred", overview["referrals"]),
        ("diagnosis started", overview["diagnosesStarted"]),
        ("door: programme", overview["programmes"]),
        ("placement started", overview["placementsStarted"]),
        ("uit: placement ended", overview["placementsEnded"]),
        ("uit: left klantreis", overview["closures"])])


def places_chart(places: Rows) -> str:
    """Places realised per month against the target."""
    return charts.places_over_time("Places realised vs target",
                                   [(r["month"], r["realised"], r["target"]) for r in places])


def budget_chart(budget: dict[str, Any]) -> str:
    """Places at the uitvoerder against the funded places."""
    return charts.bars("Budget realisation", [
        ("funded places", budget["fundedPlaces"]), ("at the uitvoerder", budget["atProvider"]),
        ("directly with employers", budget["direct"]),
        ("above budget", budget["aboveBudget"])])


def youth_chart(youth: Rows) -> str:
    """Young people by age, stacked by subgroup."""
    ages = ["unknown" if r["age"] is None else str(r["age"]) for r in youth]
    return charts.stacked("Young people by age and subgroup", ages,
                          [("SW", [r["sw"] for r in youth]), ("P-wet", [r["pWet"] for r in youth]),
                           ("stages", [r["stages"] for r in youth])])


def named(code: str) -> str:
    """`Boxtel (GM0757)`: the name people read, with the code that travels."""
    name = display_name(code)
    return code if name == code else f"{name} ({code})"


def picker(action: str, gemeente: str, gemeenten: Sequence[str], period: str) -> str:
    """A GET form to choose gemeente (by name) and period."""
    options = "".join(f'<option value="{escape(g)}"{" selected" if g == gemeente else ""}>'
                      f"{escape(named(g))}</option>" for g in gemeenten)
    return (f'<form method="get" action="{escape(action)}"><select name="gemeente">{options}'
            f'</select> <input name="period" value="{escape(period)}" size="8" '
            f'pattern="{escape(PERIOD_PATTERN[1:-1])}"> <button>Show</button></form>')


def page(title: str, header_extra: str, body: str, footer: str) -> str:
    """A whole HTML document (no script anywhere)."""
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>'
            f"{escape(title)}</title><style>{STYLE}</style></head><body><header><h1>"
            f"{escape(title)}</h1>{header_extra}</header><main>{body}</main>"
            f"<footer>{footer}</footer></body></html>")


def section(title: str, content: str, note: str = "", *, illustrative: bool = False) -> str:
    """A titled block; marked * when it shows illustrative figures."""
    extra = f'<p class="note">{escape(note)}</p>' if note else ""
    mark = MARKER if illustrative else ""
    return f"<section><h2>{escape(title)}{mark}</h2>{content}{extra}</section>"


def login_page(message: str = "") -> str:
    """A form that posts a bearer token to /dashboard/session (stored as an HttpOnly cookie)."""
    note = f"<p>{escape(message)}</p>" if message else ""
    form = ('<form method="post" action="/dashboard/session"><label>Bearer token '
            '<input name="token" type="password" size="60" autocomplete="off"></label> '
            "<button>Sign in</button></form>")
    return page("Reporting — sign in", "", section("Sign in", note + form), "")
