"""Fold one event into the facts: the same code for the live consumers and for a rebuild.

Input is the event's JSON data (camelCase, as on the bus), not the pydantic model: a rebuild
folds a million events and validation would cost more than the fold. Dates are Dutch dates
(Europe/Amsterdam) of the business time the event carries, never of its publication.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.reporting.domain.facts import (
    BudgetFact,
    CandidateFact,
    DiagnosisFact,
    FoldState,
    GrantFact,
    PlacementFact,
    earliest,
)
from shared.dutch_time import dutch_day

PREFIX = "nl.participatiewet."
Data = dict[str, Any]
Fold = Callable[[FoldState, Data], None]


def dutch_date(value: str) -> date:
    """The Dutch calendar date of an RFC 3339 timestamp."""
    return dutch_day(datetime.fromisoformat(value))


def month_of(day: date) -> str:
    """`YYYY-MM`."""
    return f"{day.year:04d}-{day.month:02d}"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def candidate(state: FoldState, data: Data) -> CandidateFact:
    """The candidate's fact, created on first sight (events may come in any order)."""
    key = data["candidateId"]
    fact = state.candidates.get(key)
    if fact is None:
        fact = state.candidates[key] = CandidateFact(key, data["gemeente"])
    state.dirty_candidates.add(key)
    return fact


def on_registered(state: FoldState, data: Data) -> None:
    """intake.candidate-registered: in-stroom by target group."""
    fact = candidate(state, data)
    day = dutch_date(data["registeredAt"])
    if data.get("birthYear") is not None:  # absent: age unknown (or known from a referral)
        fact.birth_year = data["birthYear"]
    fact.target_group = data["targetGroup"]
    fact.registered_on = earliest(fact.registered_on, day)
    state.count(data["gemeente"], month_of(day), "registrations", data["targetGroup"])


def on_route_decided(state: FoldState, data: Data) -> None:
    """intake.route-decided."""
    day = dutch_date(data["decidedAt"])
    state.count(data["gemeente"], month_of(day), "routes", data["route"])


def on_referred(state: FoldState, data: Data) -> None:
    """intake.candidate-referred: by provider and by question (MWD, OAD … funnels)."""
    fact = candidate(state, data)
    day = dutch_date(data["referredAt"])
    if fact.birth_year is None:
        fact.birth_year, fact.target_group = data["birthYear"], data["targetGroup"]
    fact.referred_on = earliest(fact.referred_on, day)
    month = month_of(day)
    state.count(data["gemeente"], month, "referrals", data["provider"])
    state.count(data["gemeente"], month, "referral-questions", data["question"])


def on_programme_decided(state: FoldState, data: Data) -> None:
    """intake.programme-decided: door-stroom into uitstroom/ontwikkel/werk."""
    fact = candidate(state, data)
    day = dutch_date(data["decidedAt"])
    fact.programme_on = earliest(fact.programme_on, day)
    state.count(data["gemeente"], month_of(day), "programmes", data["programme"])


def on_candidate_closed(state: FoldState, data: Data) -> None:
    """intake.candidate-closed: uit-stroom by reason (the latest closure counts as the state)."""
    fact = candidate(state, data)
    day = dutch_date(data["closedAt"])
    if fact.closed_on is None or day >= fact.closed_on:
        fact.closed_on, fact.closed_reason = day, data["reason"]
    state.count(data["gemeente"], month_of(day), "closures", data["reason"])


def diagnosis(state: FoldState, data: Data) -> DiagnosisFact:
    """The case's fact, created on first sight."""
    key = data["diagnosisId"]
    fact = state.diagnoses.get(key)
    if fact is None:
        fact = state.diagnoses[key] = DiagnosisFact(key, data["candidateId"], data["gemeente"],
                                                    data["provider"])
    state.dirty_diagnoses.add(key)
    return fact


def on_diagnosis_started(state: FoldState, data: Data) -> None:
    """diagnose.diagnosis-started: by instrument; the candidate's first diagnosis date."""
    fact = diagnosis(state, data)
    day = date.fromisoformat(data["startedOn"])
    fact.instrument = data["instrument"]
    fact.started_on, fact.planned_end = day, _day(data.get("plannedEnd"))
    person = candidate(state, data)
    person.diagnosis_on = earliest(person.diagnosis_on, day)
    state.count(data["gemeente"], month_of(day), "diagnoses-started", data["instrument"])


def on_diagnosis_closed(state: FoldState, data: Data) -> None:
    """diagnose.diagnosis-closed: outcome per instrument (MWD/OAD outcome categories)."""
    fact = diagnosis(state, data)
    day = dutch_date(data["closedAt"])
    if data.get("instrument"):
        fact.instrument = data["instrument"]
    fact.closed_on, fact.outcome = day, data["outcome"]
    key = f"{fact.instrument or 'none'}/{data['outcome']}"
    state.count(data["gemeente"], month_of(day), "diagnoses-closed", key)


def on_advice_issued(state: FoldState, data: Data) -> None:
    """diagnose.advice-issued: advised programme, and LKS / beschut indications."""
    month = month_of(dutch_date(data["issuedAt"]))
    state.count(data["gemeente"], month, "advices", data["programme"])
    if data.get("lksIndicated"):
        state.count(data["gemeente"], month, "advice-indications", "lks")
    if data.get("shelteredWorkIndicated"):
        state.count(data["gemeente"], month, "advice-indications", "sheltered")


def placement(state: FoldState, data: Data) -> PlacementFact:
    """The placement's fact, created on first sight."""
    key = data["placementId"]
    fact = state.placements.get(key)
    if fact is None:
        fact = state.placements[key] = PlacementFact(key, data["candidateId"], data["gemeente"],
                                                     data["provider"], data["form"])
    state.dirty_placements.add(key)
    return fact


def on_placement_started(state: FoldState, data: Data) -> None:
    """matching.placement-started: by form; the candidate's first placement date."""
    fact = placement(state, data)
    day = date.fromisoformat(data["startDate"])
    fact.form, fact.employer_kvk, fact.start_date = data["form"], data["employerKvk"], day
    person = candidate(state, data)
    person.placement_on = earliest(person.placement_on, day)
    state.count(data["gemeente"], month_of(day), "placements-started", data["form"])


def on_placement_ended(state: FoldState, data: Data) -> None:
    """matching.placement-ended: uit-stroom from a placement, by reason."""
    fact = placement(state, data)
    day = date.fromisoformat(data["endDate"])
    fact.end_date, fact.end_reason = day, data["reason"]
    state.count(data["gemeente"], month_of(day), "placements-ended", data["reason"])


def on_vacancy_published(state: FoldState, data: Data) -> None:
    """matching.vacancy-published: by werksoort, carved jobs apart."""
    month = month_of(dutch_date(data["publishedAt"]))
    key = "carved" if data.get("carvedFrom") else data["werksoort"]
    state.count(data["gemeente"], month, "vacancies", key)


def on_proposal_closed(state: FoldState, data: Data) -> None:
    """matching.proposal-closed: accepted, declined, withdrawn."""
    month = month_of(dutch_date(data["closedAt"]))
    state.count(data["gemeente"], month, "proposals", data["outcome"])


def grant(state: FoldState, data: Data) -> GrantFact:
    """The grant's fact, created on first sight."""
    key = data["grantId"]
    fact = state.grants.get(key)
    if fact is None:
        fact = state.grants[key] = GrantFact(key, data["candidateId"], data["gemeente"])
    state.dirty_grants.add(key)
    return fact


def _set_amount(fact: GrantFact, amount: Decimal, effective: date) -> None:
    if fact.amount_from is None or effective >= fact.amount_from:
        fact.monthly_amount, fact.amount_from = amount, effective


def on_lks_granted(state: FoldState, data: Data) -> None:
    """finance.lks-granted: the grant and its first monthly amount."""
    fact = grant(state, data)
    day = date.fromisoformat(data["validFrom"])
    amount = Decimal(data["monthlyAmount"])
    fact.valid_from = day
    _set_amount(fact, amount, day)
    state.count(data["gemeente"], month_of(day), "lks-granted", "", amount)


def on_lks_adjusted(state: FoldState, data: Data) -> None:
    """finance.lks-adjusted: a new monthly amount from a date."""
    fact = grant(state, data)
    day = date.fromisoformat(data["effectiveFrom"])
    _set_amount(fact, Decimal(data["monthlyAmount"]), day)
    state.count(data["gemeente"], month_of(day), "lks-adjusted", "")


def on_lks_ended(state: FoldState, data: Data) -> None:
    """finance.lks-ended."""
    fact = grant(state, data)
    fact.end_date = date.fromisoformat(data["endDate"])
    state.count(data["gemeente"], month_of(fact.end_date), "lks-ended", "")


def on_payment_run(state: FoldState, data: Data) -> None:
    """finance.payment-run-completed: LKS paid in a month (payments and total)."""
    state.count(data["gemeente"], data["month"], "lks-paid", "", Decimal(data["totalAmount"]),
                people=int(data["paymentCount"]))


def on_budget_set(state: FoldState, data: Data) -> None:
    """finance.budget-set: funded places and budgets for a year (latest wins)."""
    key = (data["gemeente"], int(data["year"]))
    set_at = datetime.fromisoformat(data["setAt"])
    current = state.budgets.get(key)
    if current is not None and current.set_at > set_at:
        return
    state.budgets[key] = BudgetFact(key[0], key[1], int(data["fundedPlaces"]),
                                    Decimal(data["placePrice"]),
                                    Decimal(data["guidanceBudget"]), Decimal(data["lksBudget"]),
                                    set_at)
    state.dirty_budgets.add(key)


def on_budget_exceeded(state: FoldState, data: Data) -> None:
    """finance.budget-exceeded: a signal, counted per line."""
    month = month_of(dutch_date(data["detectedAt"]))
    state.count(data["gemeente"], month, "budget-exceeded", data["line"])


def on_sheltered_indication(state: FoldState, data: Data) -> None:
    """intake.sheltered-work-indication-decided: the college's beschut-werk decisions."""
    month = month_of(dutch_date(data["decidedAt"]))
    state.count(data["gemeente"], month, "sheltered-indications", data["decision"])


def on_lks_refused(state: FoldState, data: Data) -> None:
    """finance.lks-refused: refusals by reason."""
    month = month_of(dutch_date(data["refusedAt"]))
    state.count(data["gemeente"], month, "lks-refused", data["reason"])


def ignore(state: FoldState, data: Data) -> None:
    """A known event no figure needs (profiles, wage values, webhooks, re-assessments)."""


FOLDS: dict[str, Fold] = {PREFIX + name: fold for name, fold in {
    "intake.candidate-registered": on_registered,
    "intake.route-decided": on_route_decided,
    "intake.candidate-referred": on_referred,
    "intake.programme-decided": on_programme_decided,
    "intake.candidate-closed": on_candidate_closed,
    "intake.sheltered-work-indication-decided": on_sheltered_indication,
    "diagnose.diagnosis-started": on_diagnosis_started,
    "diagnose.diagnosis-closed": on_diagnosis_closed,
    "diagnose.advice-issued": on_advice_issued,
    "diagnose.wage-value-measured": ignore,
    "diagnose.profile-updated": ignore,
    "matching.vacancy-published": on_vacancy_published,
    "matching.vacancy-closed": ignore,
    "matching.candidate-proposed": ignore,
    "matching.proposal-closed": on_proposal_closed,
    "matching.placement-started": on_placement_started,
    "matching.placement-ended": on_placement_ended,
    "matching.webhook-delivery-failed": ignore,
    "finance.reassessment-due": ignore,
    "finance.lks-granted": on_lks_granted,
    "finance.lks-adjusted": on_lks_adjusted,
    "finance.lks-ended": on_lks_ended,
    "finance.payment-run-completed": on_payment_run,
    "finance.budget-set": on_budget_set,
    "finance.budget-exceeded": on_budget_exceeded,
    "finance.lks-refused": on_lks_refused,
    # National data under the tenant `NL`, no gemeente's figure: never counted per gemeente.
    "finance.legal-parameter-set": ignore,
}.items()}


class InvalidEvent(ValueError):
    """Data a known event type cannot have (a missing field, a malformed date)."""


def fold(state: FoldState, event_type: str, data: Data) -> bool:
    """Fold one event; False (and counted as skipped) when the type is unknown.

    Raises InvalidEvent for a known type whose data does not fit.
    """
    step = FOLDS.get(event_type)
    if step is None:
        state.skipped[event_type] = state.skipped.get(event_type, 0) + 1
        return False
    try:
        step(state, data)
    except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
        raise InvalidEvent(f"{event_type}: {exc!r}") from exc
    return True
