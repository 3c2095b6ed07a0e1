"""Intake's commands as plain typed objects: what a use case needs, no HTTP in them.

The API builds them from its request bodies (which add the wire format: camelCase, reference
lists, the BSN's elfproef); handlers take them and never import `api/`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from services.intake.domain.candidate import Benefit, Status, TargetGroup
from shared.events.intake import (
    ClosureReason,
    IndicationDecision,
    Programme,
    ReferralQuestion,
    Route,
    UwvAdviceOutcome,
)


@dataclass(frozen=True, kw_only=True)
class RegisterCandidate:
    """Register a resident in the caller's gemeente (the BSN and postcode already checked)."""

    bsn: str
    given_name: str
    family_name: str
    birth_date: date
    postcode: str
    target_group: TargetGroup
    benefit: Benefit


@dataclass(frozen=True, kw_only=True)
class DecideRoute:
    """Decide the route of a candidate; `refer` names the provider and the question."""

    candidate_id: uuid.UUID
    route: Route
    provider: str | None = None
    question: ReferralQuestion | None = None


@dataclass(frozen=True, kw_only=True)
class DecideProgramme:
    """Decide the programme and the provider that runs it."""

    candidate_id: uuid.UUID
    programme: Programme
    provider: str
    start_date: date
    migrated: bool = False


@dataclass(frozen=True, kw_only=True)
class CloseCandidate:
    """Close the candidate's klantreis."""

    candidate_id: uuid.UUID
    reason: ClosureReason


@dataclass(frozen=True, kw_only=True)
class CandidateFilter:
    """Filters of the candidate list (all optional)."""

    status: Status | None = None
    target_group: TargetGroup | None = None
    route: Route | None = None


@dataclass(frozen=True, kw_only=True)
class RecordShelteredWorkIndication:
    """Record the college's beschut-werk decision on UWV's advice for one candidate."""

    candidate_id: uuid.UUID
    uwv_advice_date: date
    uwv_outcome: UwvAdviceOutcome
    decision: IndicationDecision
    decided_on: date
    valid_until: date | None = None
    deviates_from_uwv_advice: bool = False
