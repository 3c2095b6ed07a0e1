"""Reports of stocks at a date: placements, places vs target, budget, LKS, youth."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.domain.figures import SUBGROUPS, age_on, subgroup_of
from services.reporting.reports import Column, Context, Report, Row, gemeente_column, money
from services.reporting.store import queries
from services.reporting.store.queries import Scope


async def _placements(session: AsyncSession, scope: Scope, context: Context) -> list[Row]:
    return [{"gemeente": g, "form": form, "started": s, "ended": e, "activeAtEnd": a}
            for g, form, s, e, a in await queries.placements_by_form(session, scope)]


async def _places(session: AsyncSession, scope: Scope, context: Context) -> list[Row]:
    ends = scope.period.month_ends()
    goals = await queries.targets(session, scope.gemeenten, sorted({d.year for d in ends}))
    rows: list[Row] = []
    for day in ends:
        found = await queries.places_on(session, scope, day, context.provider_kvks)
        for g in scope.gemeenten:
            sw, pw, _, _ = found.get(g, (0, 0, 0, 0))
            target = goals.get((g, day.year))
            rows.append({"gemeente": g, "month": day.strftime("%Y-%m"), "target": target,
                         "realised": sw + pw, "sw": sw, "pw": pw,
                         "difference": None if target is None else sw + pw - target})
    return rows


async def budget_rows(session: AsyncSession, scope: Scope, context: Context,
                      places: dict[str, tuple[int, int, int, int]] | None = None) -> list[Row]:
    """The budget table; `places` on the period's last day when the caller has them already."""
    year = scope.period.year
    if places is None:
        places = await queries.places_on(session, scope, scope.period.last,
                                         context.provider_kvks)
    budgets = await queries.budgets(session, scope, year)
    rows: list[Row] = []
    for g in scope.gemeenten:
        _, _, at_provider, direct = places.get(g, (0, 0, 0, 0))
        budget = budgets.get(g)
        funded = budget.funded_places if budget else None
        rows.append({
            "gemeente": g, "year": year, "fundedPlaces": funded,
            "placePrice": money(budget.place_price) if budget else None,
            "guidanceBudget": money(budget.guidance_budget) if budget else None,
            "atProvider": at_provider, "direct": direct,
            "aboveBudget": None if funded is None else max(0, at_provider - funded),
            "realisationPct": (None if not funded else round(100 * at_provider / funded, 1))})
    return rows


async def _lks(session: AsyncSession, scope: Scope, context: Context) -> list[Row]:
    flows = await queries.counts(session, scope,
                                 ["lks-granted", "lks-adjusted", "lks-ended", "lks-paid",
                                  "lks-refused"])
    running = await queries.grants_on(session, scope, scope.period.last)
    budgets = await queries.budgets(session, scope, scope.period.year)
    rows: list[Row] = []
    for g in scope.gemeenten:
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


async def _youth(session: AsyncSession, scope: Scope, context: Context) -> list[Row]:
    day = scope.period.last
    table: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SUBGROUPS, 0))
    for g, birth_year, target_group, n in await queries.people_on(session, scope, day):
        table[(g, age_on(birth_year, day))][subgroup_of(target_group)] += n
    return [{"gemeente": g, "age": age, "sw": cells["sw"], "pWet": cells["p-wet"],
             "stages": cells["stages"], "total": sum(cells.values())}
            for (g, age), cells in sorted(table.items())]


def _people(name: str, description: str) -> Column:
    return Column(name, "people", description)


STOCK_REPORTS = (
    Report("placements", "Placements by form",
           "Per form (trial, lks, regular, sheltered, secondment, wsw): started and ended in "
           "the period, and running on its last day.",
           (gemeente_column(), Column("form", "text", "placement form"),
            _people("started", "placements started in the period"),
            _people("ended", "placements ended in the period"),
            _people("activeAtEnd", "placements running on the period's last day")),
           _placements),
    Report("places", "Places realised vs target",
           "SW + PW places (Wsw, trial, LKS, beschut, detachering) running at each month end, "
           "against the council's target for that year.",
           (gemeente_column(), Column("month", "text", "YYYY-MM (at its last day)"),
            Column("target", "int", "places target for the year (null: none set)"),
            _people("realised", "SW + PW places running"),
            _people("sw", "Wsw places running"), _people("pw", "Participatiewet places running"),
            Column("difference", "derived", "realised minus target", basis="realised")),
           _places),
    Report("budget", "Placements at the uitvoerder vs the guidance budget",
           "PW places at the uitvoerder on the period's last day against the funded places of "
           "the year's guidance budget (finance.budget-set).",
           (gemeente_column(), Column("year", "int", "budget year"),
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
           (gemeente_column(), _people("granted", "grants starting in the period"),
            _people("adjusted", "amount changes in the period"),
            _people("ended", "grants ended in the period"),
            _people("refused", "grants the college refused in the period"),
            _people("running", "grants running on the last day"),
            Column("monthlyCommitment", "derived", "monthly amounts of running grants (EUR)",
                   basis="running"),
            _people("payments", "payments in the period's payment runs"),
            Column("paidAmount", "derived", "paid in the period (EUR)", basis="payments"),
            Column("lksBudget", "money", "the year's LKS budget (EUR)")),
           _lks),
    Report("youth", "Young people (16–27) by age and subgroup",
           "Candidates aged 16–27 on the period's last day, registered and not closed, by age "
           "and subgroup (SW, P-wet, stages).",
           (gemeente_column(), Column("age", "int", "age in years (from the birth year)"),
            _people("sw", "SW (Wsw indication)"), _people("pWet", "Participatiewet"),
            _people("stages", "stages (internships)"), _people("total", "all subgroups")),
           _youth),
)
