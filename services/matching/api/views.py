"""Read models: from stored rows and domain matches to the API's bodies.

The handlers return stored rows; the protocols below say what each body reads of them, so the
API needs nothing of the store (a route never reaches the database, not even by a type).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from services.matching.api.schemas import (
    CandidateMatch,
    CarvingOut,
    ComponentOut,
    ConflictOut,
    EmployerOut,
    PlacementOut,
    ProposalOut,
    VacancyMatch,
    VacancyOut,
)
from services.matching.api.webhook_schemas import AttemptOut, DeliveryOut, SubscriptionOut
from services.matching.domain.scoring import Match, Profile

DIGITS = 4  # scores are shown rounded; ranking uses the exact floats


class EmployerView(Protocol):
    """What an employer shows."""

    id: UUID
    kvk_number: str
    name: str
    sector: str
    gemeente: str
    owner_org: str
    contacts: list[dict[str, Any]]
    created_at: datetime


class VacancyView(Protocol):
    """What a vacancy (or carved job) shows."""

    id: UUID
    employer_id: UUID
    owner_org: str
    gemeente: str
    title: str
    werksoort: str
    hours_per_week: Decimal
    hourly_wage: Decimal | None
    contract_forms: list[str]
    tasks: list[dict[str, Any]]
    status: str
    close_reason: str | None
    carved_from: UUID | None
    external_ref: str | None
    positions: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class ProposalView(Protocol):
    """What a proposal shows."""

    id: UUID
    vacancy_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    status: str
    score: Decimal
    carved_tasks: list[str] | None
    proposed_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class PlacementView(Protocol):
    """What a placement shows."""

    id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    employer_id: UUID
    vacancy_id: UUID | None
    proposal_id: UUID | None
    form: str
    through_uwv: bool
    hours_per_week: Decimal
    hourly_wage: Decimal
    start_date: date
    planned_end: date | None
    end_date: date | None
    end_reason: str | None
    started_at: datetime
    ended_at: datetime | None


class SubscriptionView(Protocol):
    """What a webhook subscription shows (its secret only when it is created)."""

    id: UUID
    url: str
    event_types: list[str]
    gemeenten: list[str]
    status: str
    secret: str
    created_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None


class DeliveryView(Protocol):
    """What a webhook delivery shows."""

    id: UUID
    subscription_id: UUID
    event_id: str
    event_type: str
    status: str
    failures: int
    next_attempt_at: datetime | None
    last_status: int | None
    created_at: datetime
    finished_at: datetime | None


class AttemptView(Protocol):
    """What one attempt of a delivery shows."""

    attempted_at: datetime
    duration_ms: float
    status_code: int | None
    error: str | None


def employer_view(row: EmployerView) -> EmployerOut:
    """An employer."""
    return EmployerOut.model_validate(row, from_attributes=True)


def vacancy_view(row: VacancyView) -> VacancyOut:
    """A vacancy with its tasks."""
    return VacancyOut.model_validate({
        "id": row.id, "employer_id": row.employer_id, "owner_org": row.owner_org,
        "gemeente": row.gemeente, "title": row.title, "werksoort": row.werksoort,
        "hours_per_week": row.hours_per_week,
        "hourly_wage": None if row.hourly_wage is None else f"{row.hourly_wage:.2f}",
        "contract_forms": row.contract_forms, "tasks": row.tasks, "status": row.status,
        "close_reason": row.close_reason, "carved_from": row.carved_from,
        "external_ref": row.external_ref, "positions": row.positions,
        "created_at": row.created_at,
        "updated_at": row.updated_at, "closed_at": row.closed_at})


def _explanation(match: Match) -> dict[str, object]:
    return {
        "score": round(match.score, DIGITS),
        "fitting_tasks": list(match.fitting_tasks),
        "conflicts": [ConflictOut(task=c.task, code=c.code, demanded=c.demanded,
                                  allowed=c.allowed) for c in match.conflicts],
        "suggested_carving": None if match.carving is None else CarvingOut(
            tasks=list(match.carving.tasks), hours_per_week=match.carving.hours),
        "components": [ComponentOut(name=c.name, value=round(c.value, DIGITS),
                                    weight=c.weight, detail=c.detail)
                       for c in match.components],
    }


def candidate_match_view(profile: Profile, match: Match) -> CandidateMatch:
    """A ranked candidate with the reasons."""
    return CandidateMatch.model_validate({
        "candidate_id": profile.candidate_id, "gemeente": profile.gemeente,
        "provider": profile.provider, "programme": profile.programme,
        "wage_value_pct": profile.wage_value_pct, **_explanation(match)})


def vacancy_match_view(vacancy: VacancyView, match: Match) -> VacancyMatch:
    """A ranked vacancy with the reasons."""
    return VacancyMatch.model_validate({
        "vacancy_id": vacancy.id, "title": vacancy.title, "werksoort": vacancy.werksoort,
        "gemeente": vacancy.gemeente, "employer_id": vacancy.employer_id,
        **_explanation(match)})


def proposal_view(row: ProposalView) -> ProposalOut:
    """A proposal."""
    return ProposalOut.model_validate({
        "id": row.id, "vacancy_id": row.vacancy_id, "candidate_id": row.candidate_id,
        "gemeente": row.gemeente, "provider": row.provider, "status": row.status,
        "score": float(row.score), "carved_tasks": row.carved_tasks,
        "proposed_at": row.proposed_at, "updated_at": row.updated_at,
        "closed_at": row.closed_at})


def placement_view(row: PlacementView) -> PlacementOut:
    """A placement."""
    return PlacementOut.model_validate({
        "id": row.id, "candidate_id": row.candidate_id, "gemeente": row.gemeente,
        "provider": row.provider, "employer_id": row.employer_id,
        "vacancy_id": row.vacancy_id, "proposal_id": row.proposal_id, "form": row.form,
        "through_uwv": row.through_uwv, "hours_per_week": row.hours_per_week,
        "hourly_wage": f"{row.hourly_wage:.2f}", "start_date": row.start_date,
        "planned_end": row.planned_end, "end_date": row.end_date,
        "end_reason": row.end_reason, "started_at": row.started_at,
        "ended_at": row.ended_at})


def subscription_view(row: SubscriptionView) -> SubscriptionOut:
    """A subscription, never with its secret."""
    return SubscriptionOut.model_validate({
        "id": row.id, "url": row.url, "event_types": row.event_types,
        "gemeenten": row.gemeenten, "status": row.status, "created_at": row.created_at,
        "disabled_at": row.disabled_at, "disabled_reason": row.disabled_reason})


def delivery_view(row: DeliveryView, attempts: Sequence[AttemptView]) -> DeliveryOut:
    """A delivery and its attempt log."""
    return DeliveryOut.model_validate({
        "id": row.id, "subscription_id": row.subscription_id, "event_id": row.event_id,
        "event_type": row.event_type, "status": row.status, "failures": row.failures,
        "next_attempt_at": row.next_attempt_at, "last_status": row.last_status,
        "created_at": row.created_at, "finished_at": row.finished_at,
        "attempts": [AttemptOut.model_validate(a, from_attributes=True) for a in attempts]})
