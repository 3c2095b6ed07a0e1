"""Events published by finance (defined ahead of the service: diagnose consumes them)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.events.catalogue import EventData, register


@register
class ReassessmentDue(EventData):
    """A wage value that LKS depends on expires soon: the uitvoerder must measure again."""

    name = "finance.reassessment-due"
    candidate_id: UUID
    gemeente: str
    provider: str | None = None
    measurement_id: UUID | None = None
    valid_until: date
    due_date: date
