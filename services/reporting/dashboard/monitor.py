"""The content of the dashboard and of the twice-yearly monitor (HTML and PDF alike), in Dutch:
every headline figure against its target as a percentage and against the previous period."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from services.reporting.dashboard import pages
from services.reporting.dashboard.pages import against, euro, kpi, nl_number, percent
from services.reporting.domain.labels import code_label
from services.reporting.domain.monitor import change, pct_of
from services.reporting.handlers.dashboard import MonitorData, PlanActionView

# The flows of the overview report: (Dutch label, field); they have no target.
FLOWS = (("Aangemeld (instroom)", "registrations"),
         ("Programmabesluiten (doorstroom)", "programmes"),
         ("Plaatsingen gestart", "placementsStarted"),
         ("Klantreis verlaten (uitstroom)", "closures"))


def tiles(data: MonitorData) -> str:
    """The KPI tiles: the figure, % of its target, change since the previous period."""
    now, before = data.first("overview"), data.first("overview", previous=True)
    lks = data.first("lks")
    marked, prev = data.marked, data.previous_label
    shown = [kpi(label, nl_number(now[key]), "overview" in marked,
                 lines=against(now[key], before.get(key), prev)) for label, key in FLOWS]
    shown += [
        kpi("Plaatsen gerealiseerd (SW + PW)", nl_number(now["placesRealised"]),
            "places" in marked, lines=against(now["placesRealised"], before.get("placesRealised"),
                                              prev, target=now["placesTarget"],
                                              target_label="taakstelling")),
        # The council's decision, never a demo figure: targets carry no marks.
        kpi("Taakstelling plaatsen", nl_number(now["placesTarget"])),
        kpi("Bij de uitvoerder / gefinancierd",
            f"{nl_number(now['atProvider'])} / {nl_number(now['fundedPlaces'])}",
            "budget" in marked, lines=against(now["atProvider"], before.get("atProvider"), prev,
                                              target=now["fundedPlaces"],
                                              target_label="gefinancierde plaatsen")),
        kpi("LKS betaald", euro(now["lksPaid"]), "lks" in marked,
            lines=against(now["lksPaid"], before.get("lksPaid"), prev,
                          target=lks.get("lksBudget"), target_label="jaarbudget", money=True))]
    return pages.headline(shown)


def key_figures(data: MonitorData) -> str:
    """The monitor's table: figure | period | previous | change | target | % of target."""
    now, before = data.first("overview"), data.first("overview", previous=True)
    lks, lks_before = data.first("lks"), data.first("lks", previous=True)
    lines: list[tuple[str, Any, Any, Any, bool]] = [
        (label, now[key], before.get(key), None, False) for label, key in FLOWS]
    lines += [
        ("Plaatsen gerealiseerd (SW + PW)", now["placesRealised"], before.get("placesRealised"),
         now["placesTarget"], False),
        ("PW-plaatsen bij de uitvoerder (begeleidingsbudget)", now["atProvider"],
         before.get("atProvider"), now["fundedPlaces"], False),
        ("Lopende LKS-dienstverbanden", lks.get("running"), lks_before.get("running"), None,
         False),
        ("LKS betaald (doel: LKS-jaarbudget)", now["lksPaid"], before.get("lksPaid"),
         lks.get("lksBudget"), True)]
    head = ("<tr><th>Cijfer</th>" + f'<th class="n nowrap">{escape(data.label)}</th>'
            + f'<th class="n nowrap">{escape(data.previous_label)}</th>'
            + '<th class="n">Verschil</th><th class="n">Doel</th>'
            + '<th class="n nowrap">% van doel</th></tr>')
    body = ""
    for label, value, previous, target, money in lines:
        show = euro if money else nl_number
        body += (f"<tr><td>{escape(label)}</td><td class=\"n\">{show(value)}</td>"
                 f'<td class="n">{show(previous)}</td>'
                 f'<td class="n">{pages.signed(change(value, previous), money=money)}</td>'
                 f'<td class="n">{show(target)}</td>'
                 f'<td class="n">{percent(pct_of(value, target))}</td></tr>')
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def plan_actions(actions: Sequence[PlanActionView], label: str) -> str:
    """The lokaal-plan actions with their status and the note of this period."""
    if not actions:
        return "<p>Nog geen acties uit het lokaal plan vastgelegd.</p>"
    rows = "".join(f"<tr><td>{escape(a.action)}</td><td>{escape(a.owner)}</td>"
                   f"<td>{escape(a.status_label)}</td>"
                   f"<td>{escape(a.note) if a.note else '–'}</td></tr>" for a in actions)
    return ("<table><thead><tr><th>Actie</th><th>Eigenaar</th><th>Status</th>"
            f"<th>Toelichting {escape(label)}</th></tr></thead><tbody>{rows}</tbody></table>")


def content(data: MonitorData, *, monitor: bool) -> str:
    """The page body: tiles, charts and tables (the monitor adds the rest of what councils
    ask for twice a year, and the lokaal-plan actions)."""
    rows = {slug: body["rows"] for slug, body in data.bodies.items()}
    marked = data.marked

    def section(title: str, slug: str, inner: str, note: str = "", wide: bool = False) -> str:
        return pages.section(title, inner, note, illustrative=slug in marked, wide=wide)

    parts = [tiles(data)]
    if monitor:
        parts.append(section("Kerncijfers tegen doel en vorige periode", "overview",
                             key_figures(data), "Verschil: deze periode min de vorige. % van "
                             "doel: het cijfer gedeeld door het doel (taakstelling, "
                             "gefinancierde plaatsen, LKS-jaarbudget).", wide=True))
    places_note = ("Staven: gerealiseerde plaatsen (SW + PW bij de uitvoerder) op elk "
                   "maandeinde; stippellijn: de taakstelling." + data.regional_note)
    parts += [
        section("In-, door- en uitstroom", "overview", pages.funnel(rows["overview"][0])),
        section("Plaatsen gerealiseerd en taakstelling", "places",
                pages.places_chart(rows["places"]), places_note),
        section("Realisatie begeleidingsbudget", "budget",
                pages.budget_chart(rows["budget"][0])),
        section("Jongeren (16–27) naar leeftijd", "youth", pages.youth_chart(rows["youth"])),
        section("Plaatsingen naar vorm", "placements", pages.table(
            rows["placements"], ("form", "started", "ended", "activeAtEnd"))),
        section("Loonkostensubsidie (LKS)", "lks", pages.facts(
            rows["lks"][0] if rows["lks"] else None,
            ("granted", "refused", "ended", "running", "monthlyCommitment", "payments",
             "paidAmount", "lksBudget")))]
    if monitor:
        parts += [
            section("Uitkomsten MWD en OAD", "trajectories", pages.table(
                [{**r, "measure": code_label(r["measure"])} for r in rows["trajectories"]],
                ("instrument", "measure", "people"))),
            section("Doorlooptijden (dagen)", "lead-times", pages.table(
                rows["lead-times"], ("step", "people", "medianDays", "p90Days"))),
            section("Uitstroom", "outflow", pages.table(rows["outflow"],
                                                       ("source", "reason", "people"))),
            section("Aanmeldingen naar doelgroep", "registrations", pages.table(
                rows["registrations"], ("targetGroup", "people"))),
            section("Verwijzingen naar uitvoerder", "referrals", pages.table(
                rows["referrals"], ("providerName", "people"))),
            pages.section("Voortgang acties lokaal plan", plan_actions(data.actions, data.label),
                          "Bijgehouden door de gemeente zelf (API: /v1/reports/lokaal-plan).",
                          illustrative=bool(data.plan_notes), wide=True)]
    parts.append(pages.illustrative_notes(data.notes))
    return "".join(parts)
