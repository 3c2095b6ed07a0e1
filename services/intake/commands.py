"""Intake's commands as plain typed objects: what a use case needs, no HTTP in them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from shared.events.intake import IndicationDecision, UwvAdviceOutcome


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
