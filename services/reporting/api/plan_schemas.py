"""Bodies of the lokaal-plan actions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from services.reporting.reference import STATUSES
from shared.http.reference import code_type
from shared.http.schemas import ApiModel

Status = code_type(STATUSES)


class PlanActionIn(ApiModel):
    """An action of the lokaal plan: what, who carries it out, how far it is."""

    action: str = Field(min_length=1, max_length=500, description="the action, as in the plan")
    owner: str = Field(min_length=1, max_length=200,
                       description="who carries it out (a team or role, not a resident)")
    status: Status = Field(description="how far it is")  # type: ignore[valid-type]


class PlanNoteIn(ApiModel):
    """The gemeente's note on an action for one period."""

    note: str = Field(min_length=1, max_length=2000, description="progress in this period")


class PlanNoteOut(ApiModel):
    """A stored note."""

    period: str
    note: str
    set_by: str
    set_at: datetime


class PlanActionOut(ApiModel):
    """A stored action with its notes per period."""

    id: UUID
    gemeente: str = Field(description="CBS code of the gemeente")
    gemeente_name: str = Field(description="name of the gemeente")
    action: str
    owner: str
    status: str = Field(description="a code of /v1/reference/lokaal-plan-action-statuses")
    status_label: str = Field(description="the status in Dutch")
    notes: list[PlanNoteOut]
    created_at: datetime
    updated_at: datetime


class PlanActionList(ApiModel):
    """The actions of one gemeente."""

    items: list[PlanActionOut]
