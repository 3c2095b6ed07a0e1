"""Matching's commands: plain typed objects, no HTTP in them (the api maps bodies onto these)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shared.events.matching import PlacementForm


@dataclass(frozen=True, kw_only=True)
class StartPlacement:
    """A candidate starts work (or a trial) with an employer, perhaps from a proposal."""

    candidate_id: uuid.UUID
    employer_id: uuid.UUID
    vacancy_id: uuid.UUID | None
    proposal_id: uuid.UUID | None
    form: PlacementForm
    hours_per_week: Decimal
    hourly_wage: Decimal
    start_date: date
    planned_end: date | None
    through_uwv: bool
