"""The pure rules of a beschut-werk indication, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from services.intake.domain.sheltered_work import check_indication, deviates, warnings_for
from shared.events.intake import IndicationDecision, UwvAdviceOutcome

POSITIVE, NEGATIVE = UwvAdviceOutcome.POSITIVE, UwvAdviceOutcome.NEGATIVE
GRANTED, REFUSED = IndicationDecision.GRANTED, IndicationDecision.REFUSED
TODAY = date(2026, 11, 29)


def fields(**changes: object) -> set[tuple[str, ...]]:
    arguments: dict[str, object] = {
        "uwv_advice_date": date(2026, 3, 2), "uwv_outcome": POSITIVE, "decision": GRANTED,
        "decided_on": date(2026, 3, 16), "valid_until": date(2031, 3, 16),
        "deviates_from_uwv_advice": False, "today": TODAY}
    arguments.update(changes)
    return {v.fields for v in check_indication(**arguments)}  # type: ignore[arg-type]


@pytest.mark.parametrize(("outcome", "decision", "expected"), [
    (POSITIVE, GRANTED, False), (NEGATIVE, REFUSED, False),
    (NEGATIVE, GRANTED, True), (POSITIVE, REFUSED, True)])
def test_a_decision_deviates_when_it_goes_against_the_advice(
    outcome: UwvAdviceOutcome, decision: IndicationDecision, expected: bool,
) -> None:
    assert deviates(outcome, decision) is expected
    assert bool(warnings_for(outcome, decision)) is expected


def test_a_decision_that_follows_the_advice_breaks_no_rule() -> None:
    assert fields() == set()
    assert fields(decided_on=date(2026, 3, 2)) == set()  # decided on the day of the advice
    assert fields(decided_on=TODAY, valid_until=None) == set()


def test_each_broken_rule_names_its_fields() -> None:
    assert fields(decided_on=date(2026, 3, 1)) == {("decidedOn", "uwvAdviceDate")}
    assert fields(decided_on=date(2026, 11, 30), valid_until=None) == {("decidedOn",)}
    assert fields(uwv_advice_date=date(2026, 11, 30), decided_on=date(2026, 11, 30),
                  valid_until=None) == {("uwvAdviceDate",), ("decidedOn",)}
    assert fields(valid_until=date(2026, 3, 16)) == {("validUntil",)}
    assert fields(uwv_outcome=NEGATIVE, decision=REFUSED) == {("validUntil",)}
    assert fields(uwv_outcome=NEGATIVE) == {("decision", "deviatesFromUwvAdvice")}
    assert fields(uwv_outcome=NEGATIVE, deviates_from_uwv_advice=True) == set()
    assert fields(deviates_from_uwv_advice=True) == {("deviatesFromUwvAdvice",)}
