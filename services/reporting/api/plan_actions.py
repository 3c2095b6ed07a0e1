"""The lokaal-plan actions of a gemeente under /v1/reports/lokaal-plan/{gemeente}/actions:
written only by that gemeente's own controller or admin (403 for anyone else, before the body
is looked at), read by the gemeente and by the governing boards it belongs to."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from services.reporting.api.access import GemeentePath, plan_writer
from services.reporting.api.deps import Uow
from services.reporting.api.plan_schemas import (
    PlanActionIn,
    PlanActionList,
    PlanActionOut,
    PlanNoteIn,
    PlanNoteOut,
)
from services.reporting.commands import (
    CreatePlanAction,
    ReadPlanAction,
    ReadPlanActions,
    SetPlanActionNote,
    UpdatePlanAction,
)
from services.reporting.domain.periods import PERIOD_PATTERN
from services.reporting.handlers import plan_actions
from services.reporting.reference import STATUSES
from services.reporting.store.models import PlanActionNoteRow, PlanActionRow
from shared.auth import CurrentPrincipal, Principal
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.routes import UnitOfWorkRoute
from shared.organisations import display_name

router = APIRouter(prefix="/reports/lokaal-plan", tags=["reports"], route_class=UnitOfWorkRoute)
PATH = "/{gemeente}/actions"
Writer = Annotated[Principal, Depends(plan_writer)]
ActionId = Annotated[UUID, Path(alias="actionId", description="id of the action")]
PeriodPath = Annotated[str, Path(pattern=PERIOD_PATTERN,
                                 description="reporting period of the note: 2026-H1, 2026, …")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: problem_response("No such action")}


def note_out(note: PlanActionNoteRow) -> PlanNoteOut:
    return PlanNoteOut(period=note.period, note=note.note, set_by=note.set_by,
                       set_at=note.set_at)


def action_out(row: PlanActionRow, notes: list[PlanActionNoteRow]) -> PlanActionOut:
    return PlanActionOut(
        id=UUID(row.id), gemeente=row.gemeente, gemeente_name=display_name(row.gemeente),
        action=row.action, owner=row.owner, status=row.status,
        status_label=STATUSES.label_of(row.status), notes=[note_out(n) for n in notes],
        created_at=row.created_at, updated_at=row.updated_at)


@router.post(PATH, status_code=201, response_model=PlanActionOut, responses={201: {
    "headers": {"Location": {"description": "URI of the created action",
                             "schema": {"type": "string"}}}}})
async def create_plan_action(request: Request, principal: Writer, uow: Uow,
                             gemeente: GemeentePath, body: PlanActionIn,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record an action of the gemeente's lokaal plan (its own controller or admin only)."""
    command = CreatePlanAction(gemeente=gemeente, action=body.action, owner=body.owner,
                               status=body.status, by=principal.subject)

    async def create() -> tuple[PlanActionOut, str]:
        row = await plan_actions.create_action(uow, command)
        return action_out(row, []), f"/v1/reports/lokaal-plan/{gemeente}/actions/{row.id}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=body.model_dump(mode="json"), create=create)


@router.get(PATH, response_model=PlanActionList)
async def list_plan_actions(principal: CurrentPrincipal, uow: Uow,
                            gemeente: GemeentePath) -> PlanActionList:
    """The gemeente's actions with their notes: the gemeente itself and its boards."""
    found = await plan_actions.list_actions(uow, ReadPlanActions(gemeente))
    return PlanActionList(items=[action_out(row, notes) for row, notes in found])


@router.get(PATH + "/{actionId}", response_model=PlanActionOut, responses=NOT_FOUND)
async def read_plan_action(principal: CurrentPrincipal, uow: Uow,
                           gemeente: GemeentePath, action_id: ActionId) -> PlanActionOut:
    """One action with its notes."""
    row, notes = await plan_actions.get_action(uow, ReadPlanAction(gemeente, str(action_id)))
    return action_out(row, notes)


@router.put(PATH + "/{actionId}", response_model=PlanActionOut, responses=NOT_FOUND)
async def update_plan_action(principal: Writer, uow: Uow, gemeente: GemeentePath,
                             action_id: ActionId, body: PlanActionIn) -> PlanActionOut:
    """Rewrite an action: text, owner and status (its own controller or admin only)."""
    command = UpdatePlanAction(gemeente=gemeente, action_id=str(action_id), action=body.action,
                               owner=body.owner, status=body.status, by=principal.subject)
    row, notes = await plan_actions.update_action(uow, command)
    return action_out(row, notes)


@router.put(PATH + "/{actionId}/notes/{period}", response_model=PlanNoteOut,
            responses=NOT_FOUND)
async def set_plan_action_note(principal: Writer, uow: Uow, gemeente: GemeentePath,
                               action_id: ActionId, period: PeriodPath, body: PlanNoteIn
                               ) -> PlanNoteOut:
    """The gemeente's note on the action for one period, shown in that period's monitor."""
    command = SetPlanActionNote(gemeente=gemeente, action_id=str(action_id), period=period,
                                note=body.note, by=principal.subject)
    return note_out(await plan_actions.set_note(uow, command))
