"""Request and response bodies of intake's API (camelCase on the wire)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, TypeAlias
from uuid import UUID

from pydantic import AfterValidator, Field

from services.intake.api.reference_lists import (
    BENEFITS,
    CLOSURE_REASONS,
    INDICATION_DECISIONS,
    PROGRAMMES,
    PROVIDERS_LIST,
    REFERRAL_QUESTIONS,
    ROUTES,
    TARGET_GROUPS,
    UWV_ADVICE_OUTCOMES,
)
from services.intake.domain.bsn import is_valid_bsn
from services.intake.domain.candidate import (
    MIN_AGE,
    AccessGround,
    Benefit,
    Status,
    TargetGroup,
    age_on,
)
from shared.dutch_time import dutch_today
from shared.events.intake import (
    ClosureReason,
    IndicationDecision,
    Programme,
    ReferralQuestion,
    Route,
    UwvAdviceOutcome,
)
from shared.events.vocabulary import DevelopmentPotential
from shared.http.reference import code_type, enum_type
from shared.http.schemas import ApiModel, Day
from shared.http.schemas import BirthDate as BoundedBirthDate

_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")


def _check_bsn(value: str) -> str:
    if not is_valid_bsn(value):
        raise ValueError("not a valid BSN: nine digits that pass the elfproef")
    return value


def _normalise_postcode(value: str) -> str:
    match = _POSTCODE.match(value.strip())
    if not match:
        raise ValueError("not a Dutch postcode (1234 AB)")
    return f"{match.group(1)}{match.group(2).upper()}"


def _check_birth_date(value: date) -> date:
    # The 1900…2100 bounds come first (BoundedBirthDate); here only the minimum age.
    today = dutch_today()
    if value > today or age_on(value, today) < MIN_AGE:
        raise ValueError(f"the candidate must be at least {MIN_AGE} years old")
    return value


Bsn = Annotated[str, Field(min_length=9, max_length=9, pattern=r"^\d{9}$"),
                AfterValidator(_check_bsn)]
PersonName = Annotated[str, Field(min_length=1, max_length=200)]
Postcode = Annotated[str, Field(max_length=7), AfterValidator(_normalise_postcode)]
BirthDate = Annotated[BoundedBirthDate, AfterValidator(_check_birth_date)]
# Codes are what tokens, events and invoices carry: a code no one knows (a typo, a name in free
# text) would refer a resident to an uitvoerder that can never see the case.
if TYPE_CHECKING:  # what the handlers receive
    ProviderCode: TypeAlias = str
    TargetGroupCode: TypeAlias = TargetGroup
    BenefitCode: TypeAlias = Benefit
    RouteCode: TypeAlias = Route
    QuestionCode: TypeAlias = ReferralQuestion
    ProgrammeCode: TypeAlias = Programme
    ClosureReasonCode: TypeAlias = ClosureReason
    UwvOutcomeCode: TypeAlias = UwvAdviceOutcome
    DecisionCode: TypeAlias = IndicationDecision
else:
    ProviderCode = code_type(PROVIDERS_LIST)
    TargetGroupCode = enum_type(TARGET_GROUPS, TargetGroup)
    BenefitCode = enum_type(BENEFITS, Benefit)
    RouteCode = enum_type(ROUTES, Route)
    QuestionCode = enum_type(REFERRAL_QUESTIONS, ReferralQuestion)
    ProgrammeCode = enum_type(PROGRAMMES, Programme)
    ClosureReasonCode = enum_type(CLOSURE_REASONS, ClosureReason)
    UwvOutcomeCode = enum_type(UWV_ADVICE_OUTCOMES, UwvAdviceOutcome)
    DecisionCode = enum_type(INDICATION_DECISIONS, IndicationDecision)


class RegisterCandidate(ApiModel):
    """Register a candidate; the gemeente is the caller's."""

    bsn: Bsn
    given_name: PersonName
    family_name: PersonName
    birth_date: BirthDate
    postcode: Postcode
    target_group: TargetGroupCode
    benefit: BenefitCode


class DecideRoute(ApiModel):
    """A route decision; `refer` needs the provider and the question."""

    route: RouteCode
    provider: ProviderCode | None = None
    question: QuestionCode | None = None


class DecideProgramme(ApiModel):
    """A programme decision with the provider that runs it."""

    programme: ProgrammeCode
    provider: ProviderCode
    start_date: Day
    migrated: bool = Field(default=False, description=(
        "history recorded afterwards: without it a start before the registration is refused"))


class CloseCandidate(ApiModel):
    """Close the candidate's klantreis."""

    reason: ClosureReasonCode


class ReferralOut(ApiModel):
    """A referral to an uitvoerder."""

    id: UUID
    provider: str
    question: ReferralQuestion
    referred_at: datetime
    active: bool


class ProgrammeOut(ApiModel):
    """The programme decided."""

    programme: Programme
    provider: str
    start_date: date
    migrated: bool


class LatestAdviceOut(ApiModel):
    """The uitvoerder's latest advice (from diagnose), for the programme decision."""

    diagnosis_id: UUID
    provider: str
    programme: Programme
    lks_indicated: bool
    sheltered_work_indicated: bool
    uwv_advice_requested_on: date | None = None
    development_potential: DevelopmentPotential
    issued_at: datetime


class CandidateOut(ApiModel):
    """A candidate. `bsn` is shown to the gemeente only, never to an uitvoerder."""

    id: UUID
    gemeente: str
    bsn: str | None = None
    given_name: str
    family_name: str
    birth_date: date
    postcode: str
    target_group: TargetGroup
    benefit: Benefit
    status: Status
    route: Route | None = None
    referrals: list[ReferralOut]
    programme: ProgrammeOut | None = None
    closure_reason: ClosureReason | None = None
    closed_at: datetime | None = None
    latest_advice: LatestAdviceOut | None = None
    registered_at: datetime
    updated_at: datetime


class CandidatePage(ApiModel):
    """One page of candidates."""

    items: list[CandidateOut]
    page: int
    page_size: int
    total: int


class RouteDecisionOut(ApiModel):
    """A recorded route decision."""

    id: UUID
    candidate_id: UUID
    route: Route
    provider: str | None = None
    referral_id: UUID | None = None
    decided_at: datetime


class ProgrammeDecisionOut(ApiModel):
    """A recorded programme decision."""

    id: UUID
    candidate_id: UUID
    programme: Programme
    provider: str
    start_date: date
    migrated: bool
    decided_at: datetime


class ClosureOut(ApiModel):
    """A recorded closure."""

    candidate_id: UUID
    reason: ClosureReason
    closed_at: datetime


class AccessLogOut(ApiModel):
    """One read of personal data."""

    id: int
    candidate_id: UUID
    actor_org: str
    actor_kind: str
    actor_subject: str
    action: str
    ground: AccessGround
    trace_id: str | None = None
    at: datetime


class AccessLogPage(ApiModel):
    """One page of the access log."""

    items: list[AccessLogOut]
    page: int
    page_size: int
    total: int


class RecordShelteredWorkIndication(ApiModel):
    """The college's beschut-werk decision after UWV's advice (Participatiewet art. 10b).

    A decision that goes against the advice needs `deviatesFromUwvAdvice: true`: the college
    may deviate, but only deliberately, and the indication then carries a warning.
    """

    uwv_advice_date: Day = Field(description="the date of UWV's advice")
    uwv_outcome: UwvOutcomeCode
    decision: DecisionCode
    decided_on: Day = Field(description="the date of the college's decision (not before the "
                                        "advice, not in the future)")
    valid_until: Day | None = Field(default=None, description="end of a granted indication")
    deviates_from_uwv_advice: bool = False


class ShelteredWorkIndicationOut(ApiModel):
    """A recorded beschut-werk indication."""

    id: UUID
    candidate_id: UUID
    uwv_advice_date: date
    uwv_outcome: UwvAdviceOutcome
    decision: IndicationDecision
    decided_on: date
    valid_until: date | None = None
    deviates_from_uwv_advice: bool
    decided_at: datetime
    warnings: list[str]


class ShelteredWorkIndicationList(ApiModel):
    """A candidate's beschut-werk indications, oldest decision first."""

    items: list[ShelteredWorkIndicationOut]
