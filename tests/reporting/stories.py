"""Small histories for the tests: every kind of figure, in two gemeenten, with known counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.reporting.demo import WSD_KVK
from services.reporting.history import History, at_noon, stable_id
from shared.events.diagnose import AdviceIssued
from shared.events.finance import LksAdjusted
from shared.events.intake import ClosureReason, Programme, ReferralQuestion, Route
from shared.events.matching import PlacementEndReason, PlacementForm
from shared.events.vocabulary import DevelopmentPotential, DiagnosisOutcome, Instrument
from tests.reporting.conftest import BOXTEL, GESTEL

WSD = "WSD"


def journey(h: History, name: str, gemeente: str, *, registered: date, form: PlacementForm,
            target_group: str = "bijstand", birth_year: int = 1980,
            employer_kvk: str = WSD_KVK) -> None:
    """Registered → routed → referred → MWD → advice → programme → placed (20 days apart)."""
    person = h.register(name, gemeente, target_group=target_group, birth_year=birth_year,
                        on=registered)
    step = [date.fromordinal(registered.toordinal() + 20 * n) for n in range(6)]
    h.decide_route(person, gemeente, route=Route.REFER, on=step[0], provider=WSD)
    h.refer(person, gemeente, provider=WSD, question=ReferralQuestion.MWD, on=step[0])
    h.start_diagnosis(person, gemeente, provider=WSD, instrument=Instrument.MWD, on=step[1],
                      planned_end=step[4])
    case = stable_id(h.seed, "diagnosis", person, Instrument.MWD)
    h.add(AdviceIssued(diagnosis_id=case, candidate_id=person, gemeente=gemeente, provider=WSD,
                       advice_id=stable_id(h.seed, "advice", person), programme=Programme.WERK,
                       lks_indicated=form is PlacementForm.LKS, sheltered_work_indicated=False,
                       development_potential=DevelopmentPotential.CLEAR,
                       issued_at=at_noon(step[2])), gemeente, person)
    h.close_diagnosis(person, gemeente, provider=WSD, instrument=Instrument.MWD,
                      outcome=DiagnosisOutcome.ADVICE_GIVEN, on=step[2])
    h.decide_programme(person, gemeente, provider=WSD, programme=Programme.WERK, on=step[3])
    placement = h.place(person, gemeente, provider=WSD, form=form, on=step[4],
                        employer_kvk=employer_kvk)
    if form is PlacementForm.LKS:
        h.grant_lks(person, gemeente, placement=placement, amount=Decimal("1530.38"),
                    on=step[4])


def two_gemeenten(copy: int = 0) -> History:
    """Boxtel: 7 journeys (5 LKS at WSD, 2 trial direct), 1 closed; Gestel: 3 (sheltered).

    Boxtel's budget funds 4 places; Gestel's 2. Registrations in January–February 2026.
    """
    h = History(f"two-gemeenten-{copy}" if copy else "two-gemeenten")
    for n in range(7):
        form = PlacementForm.LKS if n < 5 else PlacementForm.TRIAL
        journey(h, f"boxtel-{n}", BOXTEL, registered=date(2026, 1, 5 + n), form=form,
                employer_kvk=WSD_KVK if n < 5 else "30123456",
                target_group="vergunninghouder" if n == 6 else "bijstand")
    for n in range(3):
        journey(h, f"gestel-{n}", GESTEL, registered=date(2026, 2, 2 + n),
                form=PlacementForm.SHELTERED, birth_year=2005, target_group="jongere")
    boxtel_6 = stable_id(h.seed, "candidate", "boxtel-6")
    h.end_placement(boxtel_6, BOXTEL, provider=WSD, form=PlacementForm.TRIAL,
                    reason=PlacementEndReason.REGULAR_JOB, on=date(2026, 5, 20))
    h.close(boxtel_6, BOXTEL, reason=ClosureReason.WORK, on=date(2026, 5, 21))
    boxtel_0 = stable_id(h.seed, "candidate", "boxtel-0")
    placement = stable_id(h.seed, "placement", boxtel_0, 0)
    h.add(LksAdjusted(grant_id=stable_id(h.seed, "grant", placement), placement_id=placement,
                      candidate_id=boxtel_0, gemeente=BOXTEL, wage_value_pct=20,
                      monthly_amount=Decimal("2142.53"), effective_from=date(2026, 6, 1),
                      adjusted_at=at_noon(date(2026, 5, 28))), BOXTEL, boxtel_0)
    for gemeente, funded in ((BOXTEL, 4), (GESTEL, 2)):
        h.set_budget(gemeente, year=2026, funded_places=funded, place_price=Decimal("12500"),
                     lks_budget=Decimal("100000"), on=date(2025, 12, 1))
    h.payment_run(BOXTEL, month="2026-05", payments=5, total=Decimal("7651.90"),
                  on=date(2026, 5, 25))
    return h
