"""Reports of stocks at a date: placements, places vs target, budget, LKS, youth."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from services.reporting.domain.figures import SUBGROUPS, age_on, subgroup_of
from services.reporting.domain.places import PlaceTally, budget_day, tally_places
from services.reporting.reports import Column, Context, Report, Row, gemeente_columns, money
from services.reporting.store.queries import Figures
from shared.figures import guidance_figures


async def _placements(figures: Figures, context: Context) -> list[Row]:
    return [{"gemeente": g, "form": form, "started": s, "ended": e, "activeAtEnd": a}
            for g, form, s, e, a in await figures.placements_by_form()]


async def places_on(figures: Figures, day: date, context: Context) -> dict[str, PlaceTally]:
    """Per gemeente, its placements running on `day`, counted as shared/figures.py says."""
    return tally_places(await figures.placements_running_on(day), context.provider_kvks)


async def _places(figures: Figures, context: Context) -> list[Row]:
    ends = figures.scope.period.month_ends()
    goals = await figures.targets(sorted({d.year for d in ends}))
    rows: list[Row] = []
    for day in ends:
        found = await places_on(figures, day, context)
        for g in figures.scope.gemeenten:
            tally = found.get(g, PlaceTally())
            target = goals.get((g, day.year))
            rows.append({"gemeente": g, "month": day.strftime("%Y-%m"), "target": target,
                         "realised": tally.realised, "sw": tally.sw,
                         "pwAtProvider": tally.pw_at_provider, "pwDirect": tally.pw_direct,
                         "difference": None if target is None else tally.realised - target})
    return rows


async def budget_rows(figures: Figures, context: Context) -> list[Row]:
    """The budget table: PW places at the uitvoerder on the budget's day against the funded."""
    year = figures.scope.period.year
    day = budget_day(figures.scope.period, context.today)
    places = await places_on(figures, day, context)
    budgets = await figures.budgets(year)
    rows: list[Row] = []
    for g in figures.scope.gemeenten:
        tally = places.get(g, PlaceTally())
        budget = budgets.get(g)
        funded = budget.funded_places if budget else None
        guidance = guidance_figures(funded or 0, tally.kinds())
        rows.append({
            "gemeente": g, "year": year, "referenceDay": day.isoformat(),
            "fundedPlaces": funded,
            "placePrice": money(budget.place_price) if budget else None,
            "guidanceBudget": money(budget.guidance_budget) if budget else None,
            "atProvider": guidance.at_provider, "direct": guidance.direct,
            "aboveBudget": None if funded is None else guidance.above_budget,
            "realisationPct": (None if not funded
                               else round(100 * guidance.at_provider / funded, 1))})
    return rows


async def _lks(figures: Figures, context: Context) -> list[Row]:
    flows = await figures.counts(["lks-granted", "lks-adjusted", "lks-ended", "lks-paid",
                                  "lks-refused"])
    running = await figures.grants_on(figures.scope.period.last)
    budgets = await figures.budgets(figures.scope.period.year)
    rows: list[Row] = []
    for g in figures.scope.gemeenten:
        mine: dict[str, tuple[int, Decimal]] = {}
        for gg, m, _, n, a in flows:  # refusals come per reason: add them up
            if gg == g:
                before = mine.get(m, (0, Decimal(0)))
                mine[m] = (before[0] + n, before[1] + a)
        grants, commitment = running.get(g, (0, None))
        paid_count, paid = mine.get("lks-paid", (0, Decimal(0)))
        budget = budgets.get(g)
        rows.append({
            "gemeente": g, "granted": mine.get("lks-granted", (0, 0))[0],
            "adjusted": mine.get("lks-adjusted", (0, 0))[0],
            "ended": mine.get("lks-ended", (0, 0))[0],
            "refused": mine.get("lks-refused", (0, 0))[0], "running": grants,
            "monthlyCommitment": money(commitment), "payments": paid_count,
            "paidAmount": money(paid),
            "lksBudget": money(budget.lks_budget) if budget else None})
    return rows


async def _youth(figures: Figures, context: Context) -> list[Row]:
    day = figures.scope.period.last
    table: dict[tuple[str, int | None], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(SUBGROUPS, 0))
    for g, birth_year, target_group, n in await figures.people_on(day):
        age = None if birth_year is None else age_on(birth_year, day)
        table[(g, age)][subgroup_of(target_group)] += n
    # Known ages in order, then "age unknown" (null) last per gemeente.
    ordered = sorted(table.items(), key=lambda item: (item[0][0], item[0][1] is None,
                                                      item[0][1] or 0))
    return [{"gemeente": g, "age": age, "sw": cells["sw"], "pWet": cells["p-wet"],
             "stages": cells["stages"], "total": sum(cells.values())}
            for (g, age), cells in ordered]


def _people(name: str, description: str) -> Column:
    return Column(name, "people", description)


STOCK_REPORTS = (
    Report("placements", "Placements by form",
           "Per form (trial, lks, regular, sheltered, secondment, wsw): started and ended in "
           "the period, and running on its last day.",
           (*gemeente_columns(), Column("form", "text", "placement form"),
            _people("started", "placements started in the period"),
            _people("ended", "placements ended in the period"),
            _people("activeAtEnd", "placements running on the period's last day")),
           _placements),
    Report("places", "Places realised vs target",
           "Places realised (Wsw places plus Participatiewet places — trial, LKS, beschut "
           "werk — at the uitvoerder) running at each month end, against the council's target "
           "for that year; PW places directly with employers are shown beside them but are "
           "not places realised (shared/figures.py).",
           (*gemeente_columns(), Column("month", "text", "YYYY-MM (at its last day)"),
            Column("target", "int", "places target for the year (null: none set)"),
            _people("realised", "SW + PW at the uitvoerder, running"),
            _people("sw", "Wsw places running"),
            _people("pwAtProvider", "PW places running with the uitvoerder as employer"),
            _people("pwDirect", "PW places running directly with another employer"),
            Column("difference", "derived", "realised minus target", basis="realised")),
           _places),
    Report("budget", "Placements at the uitvoerder vs the guidance budget",
           "PW places (trial, LKS, beschut werk) at the uitvoerder on the reference day — the "
           "period's last day, or today while it runs — against the funded places of the "
           "year's guidance budget (finance.budget-set). Direct placements and Wsw places are "
           "not on the guidance budget.",
           (*gemeente_columns(), Column("year", "int", "budget year"),
            Column("referenceDay", "text", "the day the places are counted on (YYYY-MM-DD)"),
            Column("fundedPlaces", "int", "places the guidance budget funds"),
            Column("placePrice", "money", "price per funded place (EUR)"),
            Column("guidanceBudget", "money", "guidance budget (EUR)"),
            _people("atProvider", "PW places at the uitvoerder"),
            _people("direct", "PW places directly with an employer"),
            Column("aboveBudget", "derived", "places at the uitvoerder above the funded ones",
                   basis="atProvider"),
            Column("realisationPct", "derived", "at the uitvoerder as % of funded places",
                   basis="atProvider")),
           budget_rows),
    Report("lks", "Loonkostensubsidie",
           "LKS grants started, adjusted, ended and refused in the period; grants running on "
           "its last day with their monthly amounts; payments made in the period.",
           (*gemeente_columns(), _people("granted", "grants starting in the period"),
            _people("adjusted", "amount changes in the period"),
            _people("ended", "grants ended in the period"),
            _people("refused", "grants the college refused in the period"),
            _people("running", "grants running on the last day"),
            Column("monthlyCommitment", "derived-money",
                   "monthly amounts of running grants (EUR, decimal string)",
                   basis="running"),
            _people("payments", "payments in the period's payment runs"),
            Column("paidAmount", "derived-money", "paid in the period (EUR, decimal string)",
                   basis="payments"),
            Column("lksBudget", "money", "the year's LKS budget (EUR)")),
           _lks),
    Report("youth", "Young people (16–27) by age and subgroup",
           "Candidates aged 16–27 on the period's last day, registered and not closed, by age "
           "and subgroup (SW, P-wet, stages); those registered without a birth year are one "
           "row with age null (unknown), never given an age.",
           (*gemeente_columns(),
            Column("age", "int", "age in years (from the birth year); null: unknown"),
            _people("sw", "SW (Wsw indication)"), _people("pWet", "Participatiewet"),
            _people("stages", "stages (internships)"), _people("total", "all subgroups")),
           _youth),
)
