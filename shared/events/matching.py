"""Events published by matching: ids, codes, hours and amounts; never names or free text.

Defined ahead of the service because finance and reporting consume them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from shared.events.catalogue import EventData, register
from shared.events.vocabulary import Werksoort


class PlacementForm(StrEnum):
    """The forms of placement the seeds count separately."""

    TRIAL = "trial"  # proefplaatsing, with benefit, no wage
    LKS = "lks"  # labour contract with loonkostensubsidie
    REGULAR = "regular"  # regular job, no subsidy
    SHELTERED = "sheltered"  # beschut werk
    SECONDMENT = "secondment"  # detachering via the uitvoerder
    WSW = "wsw"  # Wsw employment (old scheme, outflow only)


class PlacementEndReason(StrEnum):
    """Why a placement ended."""

    COMPLETED = "completed"  # planned end reached
    REGULAR_JOB = "regular-job"  # moved on to regular work
    CONTRACT_NOT_RENEWED = "contract-not-renewed"
    EMPLOYER_ENDED = "employer-ended"
    CANDIDATE_LEFT = "candidate-left"
    SICKNESS = "sickness"
    MOVED = "moved"
    OTHER = "other"


class ProposalOutcome(StrEnum):
    """How a proposal of a candidate to an employer ended."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@register
class VacancyPublished(EventData):
    """A vacancy (or a carved job made from one) is open for matching."""

    name = "matching.vacancy-published"
    subject_field = "vacancy_id"
    vacancy_id: UUID
    employer_id: UUID
    gemeente: str  # where the work is
    werksoort: Werksoort
    hours_per_week: Decimal
    carved_from: UUID | None = None
    positions: int = 1  # how many people the employer seeks; filled → vacancy-closed "filled"
    published_at: datetime


@register
class VacancyClosed(EventData):
    """A vacancy was withdrawn or filled."""

    name = "matching.vacancy-closed"
    subject_field = "vacancy_id"
    vacancy_id: UUID
    gemeente: str
    reason: str  # "withdrawn" | "filled"
    closed_at: datetime


@register
class CandidateProposed(EventData):
    """An accountmanager proposed a candidate to an employer for a vacancy."""

    name = "matching.candidate-proposed"
    proposal_id: UUID
    vacancy_id: UUID
    candidate_id: UUID
    gemeente: str  # the candidate's gemeente
    provider: str
    score: Decimal
    proposed_at: datetime


@register
class ProposalClosed(EventData):
    """A proposal ended: accepted, declined or withdrawn."""

    name = "matching.proposal-closed"
    proposal_id: UUID
    vacancy_id: UUID
    candidate_id: UUID
    gemeente: str
    outcome: ProposalOutcome
    closed_at: datetime


@register
class PlacementStarted(EventData):
    """A candidate started work: finance grants LKS for form `lks`, reporting counts all forms."""

    name = "matching.placement-started"
    placement_id: UUID
    candidate_id: UUID
    gemeente: str  # the candidate's gemeente (who pays)
    provider: str
    employer_id: UUID
    employer_kvk: str
    vacancy_id: UUID | None = None
    proposal_id: UUID | None = None  # the accepted proposal this placement came from, if any
    form: PlacementForm
    hours_per_week: Decimal
    hourly_wage: Decimal
    start_date: date
    planned_end: date | None = None
    started_at: datetime


@register
class PlacementEnded(EventData):
    """A placement ended, with its reason."""

    name = "matching.placement-ended"
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    form: PlacementForm
    end_date: date
    reason: PlacementEndReason
    ended_at: datetime


@register
class WebhookDeliveryFailed(EventData):
    """An outbound webhook delivery gave up after its last retry: the alert ops act on."""

    name = "matching.webhook-delivery-failed"
    subject_field = "subscription_id"
    subscription_id: UUID
    delivery_id: UUID
    gemeente: str
    event_type: str
    attempts: int
    last_status: int | None = None
    failed_at: datetime
