"""Beschut werk (Participatiewet art. 10b): the college decides the indication after UWV's advice.

Pure rules on the dates and on how the decision relates to the advice. The law (as DOMAIN.md
gives it) says the college decides *after* advice from UWV; it does not say here that the college
is bound by the outcome. So a decision that differs from the advice (granted on a negative
advice, refused on a positive one) is not refused outright: it must be recorded deliberately
(`deviates_from_uwv_advice`) and every view of it carries a warning. A klantmanager who clicked
the wrong option gets a 400 that says so instead of an indication no one meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.events.intake import IndicationDecision, UwvAdviceOutcome


@dataclass(frozen=True)
class Violation:
    """One broken rule: the fields it concerns (API names) and why."""

    fields: tuple[str, ...]
    reason: str


def deviates(outcome: UwvAdviceOutcome, decision: IndicationDecision) -> bool:
    """Does the college's decision go against UWV's advice?"""
    granted = decision is IndicationDecision.GRANTED
    return granted != (outcome is UwvAdviceOutcome.POSITIVE)


def check_indication(
    *, uwv_advice_date: date, uwv_outcome: UwvAdviceOutcome, decision: IndicationDecision,
    decided_on: date, valid_until: date | None, deviates_from_uwv_advice: bool, today: date,
) -> list[Violation]:
    """Every rule the indication breaks (empty: it may be recorded)."""
    found: list[Violation] = []
    if decided_on < uwv_advice_date:
        found.append(Violation(
            ("decidedOn", "uwvAdviceDate"),
            f"decidedOn {decided_on} lies before uwvAdviceDate {uwv_advice_date}: the college "
            "decides after UWV's advice"))
    for name, day in (("uwvAdviceDate", uwv_advice_date), ("decidedOn", decided_on)):
        if day > today:
            found.append(Violation((name,), f"{name} {day} lies in the future"))
    if valid_until is not None:
        if decision is IndicationDecision.REFUSED:
            found.append(Violation(("validUntil",), "only a granted indication has a validity"))
        elif valid_until <= decided_on:
            found.append(Violation(
                ("validUntil",), f"validUntil {valid_until} must lie after decidedOn {decided_on}"))
    against = deviates(uwv_outcome, decision)
    if against and not deviates_from_uwv_advice:
        found.append(Violation(
            ("decision", "deviatesFromUwvAdvice"),
            f"decision {decision.value} goes against UWV's {uwv_outcome.value} advice: record a "
            "deliberate deviation with deviatesFromUwvAdvice true, or correct the decision"))
    if deviates_from_uwv_advice and not against:
        found.append(Violation(
            ("deviatesFromUwvAdvice",),
            f"decision {decision.value} follows UWV's {uwv_outcome.value} advice"))
    return found


def warnings_for(outcome: UwvAdviceOutcome, decision: IndicationDecision) -> list[str]:
    """What anyone reading the indication should notice."""
    if deviates(outcome, decision):
        return [f"the college's decision ({decision.value}) deviates from UWV's "
                f"{outcome.value} advice"]
    return []
