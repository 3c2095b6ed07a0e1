"""The lokaal-plan actions a gemeente keeps (action, owner, status, a note per period).

Written only by the gemeente's own controller or admin, read by the gemeente and by the
governing boards it belongs to. An action of another gemeente is simply not found (404),
never touched.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.reporting.audience import (
    TARGET_KINDS,
    TARGET_ROLES,
    audience_for,
    require_own_gemeente,
)
from services.reporting.commands import (
    CreatePlanAction,
    ReadPlanAction,
    ReadPlanActions,
    SetPlanActionNote,
    UpdatePlanAction,
)
from services.reporting.store.models import PlanActionNoteRow, PlanActionRow
from services.reporting.store.repositories import PlanAction
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.problems import NotFound

WHAT = "its lokaal-plan actions"


def _writer(uow: ReportingUnitOfWork, gemeente: str) -> None:
    require_own_gemeente(uow.require(*TARGET_ROLES, kinds=TARGET_KINDS), gemeente, WHAT)


def _not_found(gemeente: str, action_id: str) -> NotFound:
    return NotFound(f"no lokaal-plan action {action_id} of {gemeente}")


async def _own(uow: ReportingUnitOfWork, gemeente: str, action_id: str) -> PlanActionRow:
    row = await uow.plan_actions.own(action_id)
    if row is None or row.gemeente != gemeente:
        raise _not_found(gemeente, action_id)
    return row


async def create_action(uow: ReportingUnitOfWork, command: CreatePlanAction, *,
                        now: datetime | None = None) -> PlanActionRow:
    """Record a new action."""
    _writer(uow, command.gemeente)
    at = now or datetime.now(UTC)
    row = uow.plan_actions.add(PlanActionRow(
        id=str(uuid.uuid4()), gemeente=command.gemeente, action=command.action,
        owner=command.owner, status=command.status, created_by=command.by, created_at=at,
        updated_by=command.by, updated_at=at))
    await uow.flush()
    return row


async def update_action(uow: ReportingUnitOfWork, command: UpdatePlanAction, *,
                        now: datetime | None = None) -> PlanAction:
    """Replace an action's text, owner and status; the action with its notes after."""
    _writer(uow, command.gemeente)
    row = await _own(uow, command.gemeente, command.action_id)
    row.action, row.owner, row.status = command.action, command.owner, command.status
    row.updated_by, row.updated_at = command.by, now or datetime.now(UTC)
    await uow.flush()
    return await get_action(uow, ReadPlanAction(command.gemeente, command.action_id))


async def set_note(uow: ReportingUnitOfWork, command: SetPlanActionNote, *,
                   now: datetime | None = None) -> PlanActionNoteRow:
    """Store (or replace) the note of one period on an action."""
    _writer(uow, command.gemeente)
    await _own(uow, command.gemeente, command.action_id)
    note = await uow.plan_actions.own_note(command.action_id, command.period)
    if note is None:
        note = uow.plan_actions.add_note(
            PlanActionNoteRow(action_id=command.action_id, period=command.period))
    note.note, note.set_by, note.set_at = command.note, command.by, now or datetime.now(UTC)
    await uow.flush()
    return note


async def get_action(uow: ReportingUnitOfWork, query: ReadPlanAction) -> PlanAction:
    """One action of the gemeente with its notes, oldest period first."""
    audience_for(uow.principal, query.gemeente)
    found = await uow.plan_actions.get(query.gemeente, query.action_id)
    if found is None:
        raise _not_found(query.gemeente, query.action_id)
    return found


async def list_actions(uow: ReportingUnitOfWork, query: ReadPlanActions) -> list[PlanAction]:
    """The gemeente's actions in the order it recorded them, each with its notes."""
    audience_for(uow.principal, query.gemeente)
    return await uow.plan_actions.of_gemeente(query.gemeente)


async def put_action(uow: ReportingUnitOfWork, action_id: str, command: CreatePlanAction, *,
                     now: datetime | None = None) -> PlanActionRow:
    """Create or replace an action under a known id: a re-seeded demo stays one set."""
    _writer(uow, command.gemeente)
    row = await uow.plan_actions.own(action_id)
    if row is None:
        at = now or datetime.now(UTC)
        row = uow.plan_actions.add(PlanActionRow(
            id=action_id, gemeente=command.gemeente, created_by=command.by, created_at=at))
    row.action, row.owner, row.status = command.action, command.owner, command.status
    row.updated_by, row.updated_at = command.by, now or datetime.now(UTC)
    await uow.flush()
    return row
