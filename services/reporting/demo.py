"""`seed-demo`: publish a history that tells the seeds' story, and set the council's target.

Every figure is from ../shared/DOMAIN.md or marked illustrative (ILLUSTRATIVE below, stored
with the seed and shown with the reports and on the dashboard): WSD's gemeenten (Boxtel's 120
places at WSD against a budget for 108, 20 directly with employers, ≈470 places at WSD with the
Wsw staff; Boxtel's target of 483), the MWD pilot in Boxtel and Sint-Michielsgestel, Boxtel's
OAD pilot of 12, WSD's 71 young people (Boxtel's by age, Sint-Michielsgestel's of unknown age),
and Maasgouw's 50 inflow with 13 LKS placements at the Westrom entity. `demo_events()` gives the
same events without a bus (for tests that feed them to other services' consumers).
Deterministic (seeded RNG, uuid5 ids): a re-run publishes the same event ids, which JetStream
de-duplication and the inbox turn into a no-op.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import nats

from services.reporting.commands import SetRegionalTarget, SetTarget
from services.reporting.demo_marks import ILLUSTRATIVE
from services.reporting.demo_plan import seed_plan_actions
from services.reporting.handlers.illustrative import mark_illustrative
from services.reporting.handlers.targets import set_regional_target, set_target
from services.reporting.history import History
from services.reporting.settings import ReportingSettings
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.bus.streams import ensure_stream
from shared.events.envelope import Envelope
from shared.events.intake import ClosureReason, Programme, ReferralQuestion, Route
from shared.events.matching import PlacementForm
from shared.events.subjects import subject_for
from shared.events.vocabulary import DiagnosisOutcome, Instrument
from shared.organisations import ORGANISATIONS
from shared.runtime import Runtime

BOXTEL, GESTEL, VUGHT, MEIERIJSTAD, MAASGOUW = "GM0757", "GM0845", "GM0865", "GM1948", "GM1641"
WSD, WESTROM = "WSD", "WESTROM"  # codes of shared/organisations.py
WSD_KVK = ORGANISATIONS[WSD].kvks[0]  # illustrative KvK (shared/organisations.py)
YEAR = 2026
# Places targets (SW + PW) for 2026. Only Boxtel's is in the sources (≈483, 100% of end-2014);
# the other WSD gemeenten's are not (only the region's 2,100 for all nine), so none is made up.
TARGETS = {BOXTEL: 483}
# WSD's break-even: 2,100 work places (SW + PW) across its nine gemeenten — the region's target,
# its governing board's decision (stored as the uitvoerder's regional target).
REGIONAL_TARGETS = {WSD: 2100}
# Youth (16–27), WSD data of 26 April 2021: per subgroup, {age: people}. Boxtel's ages exactly
# as in the source (as ages in the demo's year); Sint-Michielsgestel's ages are not legible in
# the source, so they are registered without a birth year and counted as "age unknown".
YOUTH_SUBGROUPS = {"sw": "wsw-indicatie", "p-wet": "bijstand", "stages": "jongere"}
BOXTEL_YOUTH_AGES: dict[str, dict[int, int]] = {
    "sw": {24: 1, 25: 3, 26: 2},
    "p-wet": {18: 3, 19: 5, 20: 4, 21: 11, 22: 6, 23: 6, 24: 3, 25: 3, 26: 2},
    "stages": {16: 2, 17: 4, 18: 2, 19: 2},
}
GESTEL_YOUTH_UNKNOWN_AGE = {"sw": 1, "p-wet": 10, "stages": 1}
MWD_OUTCOMES = ((DiagnosisOutcome.OTHER_TRAJECTORY, 9), (DiagnosisOutcome.NO_BENEFIT, 1),
                (DiagnosisOutcome.STARTS_LATER, 2), (DiagnosisOutcome.REGULAR_WORK, 1))
OAD_OUTCOMES = ((DiagnosisOutcome.THROUGH_TO_WORK, 2), (DiagnosisOutcome.VOLUNTEERING, 1),
                (DiagnosisOutcome.BACK_TO_CARE, 7), (DiagnosisOutcome.MOVED, 2))
LKS_MONTHLY = Decimal("1530.38")  # the worked example of DOMAIN.md


def day_in(rng: random.Random, first: date, last: date) -> date:
    """A day between two days (inclusive)."""
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def boxtel_places(h: History, rng: random.Random) -> None:
    """350 Wsw staff and 140 PW places (120 at WSD, 20 direct); budget for 108 places."""
    for n in range(350):
        person = h.register(f"boxtel-wsw-{n}", BOXTEL, target_group="wsw-indicatie",
                            birth_year=rng.randint(1962, 1990), on=date(2014, 12, 1))
        h.place(person, BOXTEL, provider=WSD, form=PlacementForm.WSW, employer_kvk=WSD_KVK,
                on=day_in(rng, date(2000, 1, 1), date(2014, 12, 31)))
    forms = ([(PlacementForm.LKS, WSD_KVK)] * 60 + [(PlacementForm.SHELTERED, WSD_KVK)] * 40
             + [(PlacementForm.TRIAL, WSD_KVK)] * 20 + [(PlacementForm.LKS, "30123456")] * 20)
    for n, (form, kvk) in enumerate(forms):
        registered = day_in(rng, date(2024, 1, 1), date(2025, 12, 31))
        person = h.register(f"boxtel-pw-{n}", BOXTEL, target_group="bijstand",
                            birth_year=rng.randint(1965, 1995), on=registered)
        start = day_in(rng, max(registered, date(2025, 1, 1)), date(2026, 3, 31))
        placement = h.place(person, BOXTEL, provider=WSD, form=form, on=start, employer_kvk=kvk)
        if form is PlacementForm.LKS:
            h.grant_lks(person, BOXTEL, placement=placement, amount=LKS_MONTHLY, on=start)
    h.set_budget(BOXTEL, year=YEAR, funded_places=108, place_price=Decimal("12500"),
                 lks_budget=Decimal("1500000"), on=date(2025, 11, 15))
    for month in range(1, 7):
        h.payment_run(BOXTEL, month=f"{YEAR}-{month:02d}", payments=80,
                      total=LKS_MONTHLY * 80, on=date(YEAR, month, 25))


def wsd_members(h: History, rng: random.Random) -> None:
    """Some PW places and budgets in the other WSD gemeenten, for the side-by-side view."""
    for gemeente, places, funded in ((GESTEL, 31, 30), (VUGHT, 3, 10), (MEIERIJSTAD, 44, 40)):
        for n in range(places):
            person = h.register(f"{gemeente}-pw-{n}", gemeente, target_group="bijstand",
                                birth_year=rng.randint(1965, 1995), on=date(2025, 6, 1))
            h.place(person, gemeente, provider=WSD, form=PlacementForm.SHELTERED,
                    employer_kvk=WSD_KVK, on=day_in(rng, date(2025, 7, 1), date(2026, 2, 28)))
        h.set_budget(gemeente, year=YEAR, funded_places=funded, place_price=Decimal("12500"),
                     lks_budget=Decimal("500000"), on=date(2025, 11, 15))


def youth(h: History, rng: random.Random) -> None:
    """WSD's 71 young people: Boxtel's 59 by age and subgroup, Sint-Michielsgestel's 12 of
    unknown age (no birth year: the source's ages are not legible)."""
    for subgroup, ages in BOXTEL_YOUTH_AGES.items():
        for age, people in ages.items():
            for n in range(people):
                h.register(f"youth-{BOXTEL}-{subgroup}-{age}-{n}", BOXTEL,
                           target_group=YOUTH_SUBGROUPS[subgroup], birth_year=YEAR - age,
                           on=day_in(rng, date(2025, 1, 1), date(2026, 5, 31)))
    for subgroup, people in GESTEL_YOUTH_UNKNOWN_AGE.items():
        for n in range(people):
            h.register(f"youth-{GESTEL}-{subgroup}-{n}", GESTEL,
                       target_group=YOUTH_SUBGROUPS[subgroup], birth_year=None,
                       on=day_in(rng, date(2025, 1, 1), date(2026, 5, 31)))


def mwd_pilot(h: History, rng: random.Random) -> None:
    """The MWD pilot in a neighbourhood of Boxtel and one of Sint-Michielsgestel: 26 referred →
    10 started, 9 other trajectory, 1 no benefit, 2 start later, 1 regular work; 4 final
    diagnoses within 3 months. Which of the two gemeenten each person is in is illustrative
    (alternating): the sources give the pilot's totals only."""
    people = []
    for n in range(26):
        gemeente = BOXTEL if n % 2 == 0 else GESTEL
        registered = day_in(rng, date(2026, 1, 5), date(2026, 2, 15))
        person = h.register(f"mwd-{n}", gemeente, target_group="bijstand",
                            birth_year=rng.randint(1965, 1995), on=registered)
        h.refer(person, gemeente, provider=WSD, question=ReferralQuestion.MWD,
                on=registered + timedelta(days=7))
        people.append((person, gemeente, registered + timedelta(days=7)))
    for n, (person, gemeente, referred) in enumerate(people[:10]):
        started = referred + timedelta(days=14)
        h.start_diagnosis(person, gemeente, provider=WSD, instrument=Instrument.MWD,
                          on=started, planned_end=started + timedelta(days=91))
        if n < 4:
            h.close_diagnosis(person, gemeente, provider=WSD, instrument=Instrument.MWD,
                              outcome=DiagnosisOutcome.ADVICE_GIVEN,
                              on=started + timedelta(days=80))
            h.decide_programme(person, gemeente, provider=WSD, programme=Programme.ONTWIKKEL,
                               on=started + timedelta(days=95))
    rest = iter(people[10:])
    for outcome, count in MWD_OUTCOMES:
        for _ in range(count):
            person, gemeente, referred = next(rest)
            h.close_diagnosis(person, gemeente, provider=WSD, instrument=Instrument.MWD,
                              outcome=outcome, on=referred + timedelta(days=21))


def oad_pilot(h: History, rng: random.Random) -> None:
    """Boxtel's OAD pilot, 12 people: 2 working, 1 volunteering, 7 back to care, 2 moved."""
    n = 0
    for outcome, count in OAD_OUTCOMES:
        for _ in range(count):
            person = h.register(f"oad-{n}", BOXTEL, target_group="niet-uitkeringsgerechtigde",
                                birth_year=rng.randint(1960, 1990), on=date(2025, 3, 1))
            h.refer(person, BOXTEL, provider=WSD, question=ReferralQuestion.OAD,
                    on=date(2025, 3, 10))
            h.start_diagnosis(person, BOXTEL, provider=WSD, instrument=Instrument.OAD,
                              on=date(2025, 4, 1), planned_end=date(2026, 1, 31))
            closed = date(2026, 1, 15) + timedelta(days=n)
            h.close_diagnosis(person, BOXTEL, provider=WSD, instrument=Instrument.OAD,
                              outcome=outcome, on=closed)
            if outcome is DiagnosisOutcome.THROUGH_TO_WORK:
                h.place(person, BOXTEL, provider=WSD, form=PlacementForm.REGULAR,
                        on=closed + timedelta(days=10), employer_kvk="30999999")
            elif outcome is DiagnosisOutcome.MOVED:
                h.close(person, BOXTEL, reason=ClosureReason.MOVED, on=closed)
            n += 1


def maasgouw(h: History, rng: random.Random) -> None:
    """Maasgouw (the Westrom entity): 50 inflow in 2026, of whom 13 in a durable LKS job."""
    routes = [Route.REFER] * 30 + [Route.REGULAR_WORK] * 5 + [Route.EXEMPT] * 10 + \
        [Route.CARE] * 5
    for n, route in enumerate(routes):
        registered = day_in(rng, date(2026, 1, 5), date(2026, 2, 27))
        person = h.register(f"maasgouw-{n}", MAASGOUW,
                            target_group="vergunninghouder" if n % 5 == 0 else "bijstand",
                            birth_year=rng.randint(1968, 1996), on=registered)
        decided = registered + timedelta(days=rng.randint(5, 15))
        h.decide_route(person, MAASGOUW, route=route, on=decided,
                       provider=WESTROM if route is Route.REFER else None)
        if route is not Route.REFER:
            continue
        h.refer(person, MAASGOUW, provider=WESTROM, question=ReferralQuestion.WERKDIAGNOSE,
                on=decided)
        if n >= 13:
            continue
        started = decided + timedelta(days=rng.randint(7, 25))
        h.start_diagnosis(person, MAASGOUW, provider=WESTROM, instrument=Instrument.WERKDIAGNOSE,
                          on=started, planned_end=started + timedelta(days=42))
        programme_on = started + timedelta(days=rng.randint(30, 50))
        h.decide_programme(person, MAASGOUW, provider=WESTROM, programme=Programme.WERK,
                           on=programme_on)
        placed = programme_on + timedelta(days=rng.randint(10, 40))
        placement = h.place(person, MAASGOUW, provider=WESTROM, form=PlacementForm.LKS,
                            on=placed, employer_kvk="14000000")
        h.grant_lks(person, MAASGOUW, placement=placement, amount=Decimal("1412.60"), on=placed)


def demo_history() -> History:
    """The whole demo history, in publication order; the same every time."""
    h, rng = History("demo-2026"), random.Random(20260101)
    for chapter in (boxtel_places, wsd_members, youth, mwd_pilot, oad_pilot, maasgouw):
        chapter(h, rng)
    return h


def demo_events() -> list[Envelope]:
    """The demo's events as the producers' outboxes would publish them, without a bus: each a
    CloudEvents envelope with `type`, `gemeente` (the tenant of its subject), `subject` and
    `data` (camelCase JSON, catalogue-valid). Feed the same list to any service's consumers to
    compare their figures; `subject_for(e.event_name, e.gemeente)` gives each NATS subject."""
    return list(demo_history().envelopes)


async def publish_history(h: History, settings: ReportingSettings) -> int:
    """Publish the envelopes (Nats-Msg-Id = event id, many in flight); returns how many."""
    nc = await nats.connect(settings.nats_url, connect_timeout=5)
    try:
        js = nc.jetstream()
        for producer in ("intake", "diagnose", "matching", "finance"):
            await ensure_stream(js, producer, namespace=settings.bus_namespace)
        for start in range(0, len(h.envelopes), 500):
            await asyncio.gather(*(
                js.publish(subject_for(e.event_name, e.gemeente, settings.bus_namespace),
                           e.to_json(), headers={"Nats-Msg-Id": e.id})
                for e in h.envelopes[start:start + 500]))
    finally:
        await nc.close()
    return len(h.envelopes)


def seeding_as(organisation: str, kind: OrgKind) -> Principal:
    """The seed writes what an organisation owns as that organisation's admin would: through
    the same handlers, past the same rights (its subject is "seed-demo")."""
    return Principal(subject="seed-demo", org=organisation, kind=kind, gemeenten=frozenset(),
                     roles=frozenset({Role.ADMIN}))


async def store_reference_data(settings: ReportingSettings) -> None:
    """What the demo writes into reporting's own tables, not as events: Boxtel's 2026 places
    target and WSD's regional 2,100 (from the sources), the marks of every illustrative
    figure, and Boxtel's lokaal-plan actions. One unit of work per owner: a re-run redoes each
    (they replace what they wrote before)."""
    runtime = Runtime(settings, unit_of_work=ReportingUnitOfWork, publishes=False)
    try:
        for gemeente, places in TARGETS.items():
            async with runtime.begin(seeding_as(gemeente, OrgKind.GEMEENTE)) as uow:
                await set_target(uow, SetTarget(gemeente=gemeente, year=YEAR, places=places,
                                                set_by="seed-demo"))
        for organisation, places in REGIONAL_TARGETS.items():
            async with runtime.begin(seeding_as(organisation, OrgKind.PROVIDER)) as uow:
                await set_regional_target(uow, SetRegionalTarget(
                    organisation=organisation, year=YEAR, places=places, set_by="seed-demo"))
        async with runtime.begin() as uow:  # marks are the seed's own, no one else's
            await mark_illustrative(uow, ILLUSTRATIVE)
        async with runtime.begin(seeding_as(BOXTEL, OrgKind.GEMEENTE)) as uow:
            await seed_plan_actions(uow)
    finally:
        await runtime.engine.dispose()


async def seed_demo(settings: ReportingSettings) -> int:
    """Target and marks, then the history; returns the number of events published."""
    if settings.environment == "production":
        raise RuntimeError("seed-demo refuses to run in production")
    await store_reference_data(settings)
    return await publish_history(demo_history(), settings)


def run_seed_demo(settings: ReportingSettings, argv: Sequence[str] = ()) -> int:
    """The `seed-demo` command."""
    if settings.environment == "production":
        sys.stderr.write("seed-demo: refused, ENVIRONMENT is production\n")
        return 2
    count = asyncio.run(seed_demo(settings))
    sys.stdout.write(f"seed-demo: {count} events published, {len(TARGETS)} target and "
                     f"{len(REGIONAL_TARGETS)} regional target set, "
                     f"{len(ILLUSTRATIVE)} illustrative figures marked\n")
    return 0
