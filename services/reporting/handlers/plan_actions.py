"""The lokaal-plan actions a gemeente keeps (action, owner, status, a note per period): use
cases taking the session first and a command keyword-only. The caller's right (the gemeente's
own controller or admin) was checked at the boundary; here an action of another gemeente is
simply not found (404), never touched."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.commands import CreatePlanAction, SetPlanActionNote, UpdatePlanAction
from services.reporting.store.models import PlanActionNoteRow, PlanActionRow
from shared.problems import NotFound


async def create_action(session: AsyncSession, *, command: CreatePlanAction,
                        now: datetime | None = None) -> PlanActionRow:
    """Record a new action."""
    at = now or datetime.now(UTC)
    row = PlanActionRow(id=str(uuid.uuid4()), gemeente=command.gemeente, action=command.action,
                        owner=command.owner, status=command.status, created_by=command.by,
                        created_at=at, updated_by=command.by, updated_at=at)
    session.add(row)
    await session.flush()
    return row


async def _own(session: AsyncSession, gemeente: str, action_id: str) -> PlanActionRow:
    row = await session.get(PlanActionRow, action_id)
    if row is None or row.gemeente != gemeente:
        raise NotFound(f"no lokaal-plan action {action_id} of {gemeente}")
    return row


async def update_action(session: AsyncSession, *, command: UpdatePlanAction,
                        now: datetime | None = None) -> PlanActionRow:
    """Replace an action's text, owner and status."""
    row = await _own(session, command.gemeente, command.action_id)
    row.action, row.owner, row.status = command.action, command.owner, command.status
    row.updated_by, row.updated_at = command.by, now or datetime.now(UTC)
    await session.flush()
    return row


async def set_note(session: AsyncSession, *, command: SetPlanActionNote,
                   now: datetime | None = None) -> PlanActionNoteRow:
    """Store (or replace) the note of one period on an action."""
    await _own(session, command.gemeente, command.action_id)
    note = await session.get(PlanActionNoteRow, (command.action_id, command.period))
    if note is None:
        note = PlanActionNoteRow(action_id=command.action_id, period=command.period)
        session.add(note)
    note.note, note.set_by, note.set_at = command.note, command.by, now or datetime.now(UTC)
    await session.flush()
    return note


async def get_action(session: AsyncSession, *, gemeente: str, action_id: str
                     ) -> tuple[PlanActionRow, list[PlanActionNoteRow]]:
    """One action of the gemeente with its notes, oldest period first."""
    row = await _own(session, gemeente, action_id)
    notes = await session.execute(select(PlanActionNoteRow).where(
        PlanActionNoteRow.action_id == action_id).order_by(PlanActionNoteRow.period))
    return row, list(notes.scalars().all())


async def list_actions(session: AsyncSession, *, gemeente: str
                       ) -> list[tuple[PlanActionRow, list[PlanActionNoteRow]]]:
    """The gemeente's actions in the order it recorded them, each with its notes."""
    rows = list((await session.execute(select(PlanActionRow).where(
        PlanActionRow.gemeente == gemeente).order_by(PlanActionRow.created_at,
                                                     PlanActionRow.id))).scalars().all())
    notes: dict[str, list[PlanActionNoteRow]] = {row.id: [] for row in rows}
    if rows:
        found = await session.execute(select(PlanActionNoteRow).where(
            PlanActionNoteRow.action_id.in_(list(notes))).order_by(PlanActionNoteRow.period))
        for note in found.scalars().all():
            notes[note.action_id].append(note)
    return [(row, notes[row.id]) for row in rows]


async def put_action(session: AsyncSession, *, action_id: str, command: CreatePlanAction,
                     now: datetime | None = None) -> PlanActionRow:
    """Create or replace an action under a known id: a re-seeded demo stays one set."""
    row = await session.get(PlanActionRow, action_id)
    if row is None:
        at = now or datetime.now(UTC)
        row = PlanActionRow(id=action_id, gemeente=command.gemeente, created_by=command.by,
                            created_at=at)
        session.add(row)
    row.action, row.owner, row.status = command.action, command.owner, command.status
    row.updated_by, row.updated_at = command.by, now or datetime.now(UTC)
    await session.flush()
    return row
