"""Reports that follow people: MWD/OAD trajectories, lead times, and the headline overview."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from services.reporting.domain.figures import WORK_OUTCOMES, add_months, percentile
from services.reporting.reports import Column, Context, Report, Row, gemeente_columns, money
from services.reporting.reports.stocks import budget_rows, places_on
from services.reporting.store.models import DiagnosisRow, PlacementRow
from services.reporting.store.queries import Figures
from shared.dutch_time import dutch_today

TRAJECTORIES = {"mijn-werk-dichtbij": "mijn-werk-dichtbij", "oad": "oad"}
FINAL_DIAGNOSIS = "advice-given"
STEPS = (("registration-to-diagnosis", 1, 2), ("diagnosis-to-programme", 2, 3),
         ("programme-to-placement", 3, 4), ("registration-to-placement", 1, 4))


def working_on(day: date, placements: list[PlacementRow]) -> bool:
    """In a placement that day, or left one for a regular job before it."""
    for p in placements:
        if p.start_date is None or p.start_date > day:
            continue
        if p.end_date is None or p.end_date > day or p.end_reason == "regular-job":
            return True
    return False


async def _trajectories(figures: Figures, context: Context) -> list[Row]:
    instruments = list(TRAJECTORIES)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for g, _, question, n, _ in await figures.counts(["referral-questions"]):
        if question in TRAJECTORIES:
            counts[(g, question, "referred")] += n
    for g, instrument, n in await figures.started_diagnoses(instruments):
        counts[(g, instrument, "started")] += n
    closed = await figures.closed_diagnoses(instruments)
    for case in closed:
        counts[(case.gemeente, str(case.instrument), f"closed:{case.outcome}")] += 1
        if (case.outcome == FINAL_DIAGNOSIS and case.started_on and case.closed_on
                and case.closed_on <= add_months(case.started_on, 3)):
            counts[(case.gemeente, str(case.instrument), "final-diagnosis-within-3-months")] += 1
    await _still_working(figures, closed, counts)
    return [{"gemeente": g, "instrument": i, "measure": m, "people": n}
            for (g, i, m), n in sorted(counts.items())]


async def _still_working(figures: Figures, closed: list[DiagnosisRow],
                         counts: dict[tuple[str, str, str], int]) -> None:
    """Of those who went to work: working 6 months after the trajectory ended (when known)."""
    to_work = [c for c in closed if c.outcome in WORK_OUTCOMES and c.closed_on is not None]
    today = dutch_today()
    placements: dict[str, list[PlacementRow]] = defaultdict(list)
    for p in await figures.placements_of(sorted({c.candidate_id for c in to_work})):
        placements[p.candidate_id].append(p)
    for case in to_work:
        assert case.closed_on is not None
        key = (case.gemeente, str(case.instrument))
        counts[(*key, "went-to-work")] += 1
        checked_on = add_months(case.closed_on, 6)
        if checked_on > today:
            continue
        counts[(*key, "measurable-after-6-months")] += 1
        if working_on(checked_on, placements[case.candidate_id]):
            counts[(*key, "still-working-after-6-months")] += 1


async def _lead_times(figures: Figures, context: Context) -> list[Row]:
    first, last = figures.scope.period.first, figures.scope.period.last
    spans: dict[tuple[str, str], list[float]] = defaultdict(list)
    for journey in await figures.journeys():
        for step, start, end in STEPS:
            begin, finish = journey[start], journey[end]
            if begin is None or finish is None or not first <= finish <= last:
                continue
            spans[(journey[0], step)].append(float((finish - begin).days))
    rows: list[Row] = []
    for g in figures.scope.gemeenten:
        for step, _, _ in STEPS:
            days = spans.get((g, step), [])
            rows.append({"gemeente": g, "step": step, "people": len(days),
                         "medianDays": percentile(days, 0.5), "p90Days": percentile(days, 0.9)})
    return rows


_HEADLINE = {"registrations": "registrations", "referrals": "referrals",
             "diagnoses-started": "diagnosesStarted", "programmes": "programmes",
             "placements-started": "placementsStarted", "placements-ended": "placementsEnded",
             "closures": "closures"}


async def _overview(figures: Figures, context: Context) -> list[Row]:
    flows = await figures.counts([*_HEADLINE, "lks-paid"])
    places = await places_on(figures, figures.scope.period.last, context)
    budgets = {r["gemeente"]: r for r in await budget_rows(figures, context)}
    goals = await figures.targets([figures.scope.period.year])
    rows: list[Row] = []
    for g in figures.scope.gemeenten:
        row: Row = {"gemeente": g, **dict.fromkeys(_HEADLINE.values(), 0)}
        paid = None
        for gg, measure, _, n, amount in flows:
            if gg != g:
                continue
            if measure == "lks-paid":
                paid = amount if paid is None else paid + amount
            else:
                row[_HEADLINE[measure]] += n
        budget = budgets[g]
        realised = places[g].realised if g in places else 0
        row.update(placesRealised=realised, placesTarget=goals.get((g, figures.scope.period.year)),
                   atProvider=budget["atProvider"], fundedPlaces=budget["fundedPlaces"],
                   aboveBudget=budget["aboveBudget"], lksPaid=money(paid))
        rows.append(row)
    return rows


def _people(name: str, description: str) -> Column:
    return Column(name, "people", description)


JOURNEY_REPORTS = (
    Report("overview", "Headline figures",
           "In-, door- and uit-stroom in the period; places, budget and LKS at its end.",
           (*gemeente_columns(), _people("registrations", "registered (in-stroom)"),
            _people("referrals", "referred to an uitvoerder"),
            _people("diagnosesStarted", "werkdiagnoses started"),
            _people("programmes", "programme decisions (door-stroom)"),
            _people("placementsStarted", "placements started"),
            _people("placementsEnded", "placements ended"),
            _people("closures", "left the klantreis (uit-stroom)"),
            _people("placesRealised", "SW + PW at the uitvoerder on the last day"),
            Column("placesTarget", "int", "places target for the year"),
            _people("atProvider", "PW places at the uitvoerder on the budget's reference day"),
            Column("fundedPlaces", "int", "places the guidance budget funds"),
            Column("aboveBudget", "derived", "at the uitvoerder above funded",
                   basis="atProvider"),
            Column("lksPaid", "money", "LKS paid in the period (EUR)")),
           _overview),
    Report("trajectories", "MWD and OAD outcomes",
           "Mijn Werk Dichtbij and OAD: referred, started, closed per outcome, final diagnosis "
           "within 3 months, and of those who went to work: still working 6 months after the "
           "trajectory (once 6 months have passed).",
           (*gemeente_columns(), Column("instrument", "text", "mijn-werk-dichtbij or oad"),
            Column("measure", "text", "referred, started, closed:<outcome>, went-to-work, "
                   "measurable-after-6-months, still-working-after-6-months, "
                   "final-diagnosis-within-3-months"),
            _people("people", "number of people")),
           _trajectories),
    Report("lead-times", "Lead times",
           "Days from registration to the first diagnosis, to the programme decision and to "
           "the first placement, for steps reached in the period (median and 90th percentile).",
           (*gemeente_columns(), Column("step", "text", "which two steps"),
            _people("people", "people who reached the step in the period"),
            Column("medianDays", "derived", "median in days", basis="people"),
            Column("p90Days", "derived", "90th percentile in days", basis="people")),
           _lead_times),
)
