"""Reporting's repositories, each scoped by the caller the unit of work was opened for.

The figures (projections, targets, illustrative marks) are read for the caller's Audience
(audience.py): a gemeente its own, a governing board its member gemeenten. Targets and
lokaal-plan actions are written only by the gemeente (or uitvoerder) that owns them, so the
write paths read `own` rows only. A read without a caller says so in its name (`_unscoped`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.audience import Audience, audience_for, readable_gemeenten
from services.reporting.domain.facts import FoldState
from services.reporting.domain.periods import Period
from services.reporting.store import projections
from services.reporting.store.models import (
    Generation,
    IllustrativeRow,
    PlanActionNoteRow,
    PlanActionRow,
    RegionalTargetRow,
    SkippedRow,
    TargetRow,
)
from services.reporting.store.queries import Figures, Scope
from shared.auth import Principal
from shared.repository import Repository
from shared.unit_of_work import NoCaller

PlanAction = tuple[PlanActionRow, list[PlanActionNoteRow]]


class FigureRepository:
    """The projections' figures as the caller may see them: its Audience, in one period."""

    def __init__(self, session: AsyncSession, principal: Principal | None = None) -> None:
        self.session = session
        self._principal = principal

    @property
    def principal(self) -> Principal:
        """The caller whose Audience scopes every read; NoCaller for an event."""
        if self._principal is None:
            raise NoCaller("figures are read for a caller")
        return self._principal

    def audience(self, gemeente: str | None = None) -> Audience:
        """The caller's gemeenten (or the one asked for, if theirs); 403 otherwise."""
        return audience_for(self.principal, gemeente)

    async def visible(self, gemeente: str | None, period: Period) -> tuple[Audience, Figures]:
        """The Audience and its figures of the active generation in `period`."""
        audience = self.audience(gemeente)
        generation = await projections.active_generation(self.session)
        return audience, Figures(self.session, Scope(generation, audience.gemeenten, period))


class TargetRepository(Repository[TargetRow]):
    """Councils' places targets: read by the caller's gemeenten, written by the gemeente."""

    model = TargetRow

    async def visible(self, year: int | None) -> Sequence[TargetRow]:
        """Targets of every gemeente the caller reads (one year, or all); 403 when none."""
        query = select(TargetRow).where(TargetRow.gemeente.in_(
            readable_gemeenten(self.principal)))
        if year is not None:
            query = query.where(TargetRow.year == year)
        rows = await self.session.scalars(query.order_by(TargetRow.gemeente, TargetRow.year))
        return rows.all()

    async def own(self, year: int) -> TargetRow | None:
        """The caller's own target for a year (the caller being a gemeente), or None."""
        principal = self.principal
        if not principal.is_gemeente(principal.org):
            return None
        return await self.session.get(TargetRow, (principal.org, year))


class RegionalTargetRepository(Repository[RegionalTargetRow]):
    """Uitvoerders' regional targets: only the uitvoerder itself reads and writes its own."""

    model = RegionalTargetRow

    async def own(self, year: int | None) -> Sequence[RegionalTargetRow]:
        """The caller organisation's regional targets (one year, or all), oldest first."""
        query = select(RegionalTargetRow).where(
            RegionalTargetRow.organisation == self.principal.org)
        if year is not None:
            query = query.where(RegionalTargetRow.year == year)
        return (await self.session.scalars(query.order_by(RegionalTargetRow.year))).all()

    async def own_for(self, year: int) -> RegionalTargetRow | None:
        """The caller organisation's regional target of one year, or None."""
        return await self.session.get(RegionalTargetRow, (self.principal.org, year))


class PlanActionRepository(Repository[PlanActionRow]):
    """Lokaal-plan actions: read by whoever reads the gemeente's figures, written by it alone.

    An action of another gemeente is simply not found, never touched.
    """

    model = PlanActionRow

    def _readable(self, gemeente: str) -> bool:
        return gemeente in readable_gemeenten(self.principal)

    async def of_gemeente(self, gemeente: str) -> list[PlanAction]:
        """The gemeente's actions in the order it recorded them, each with its notes."""
        if not self._readable(gemeente):
            return []
        rows = list((await self.session.scalars(select(PlanActionRow).where(
            PlanActionRow.gemeente == gemeente).order_by(PlanActionRow.created_at,
                                                         PlanActionRow.id))).all())
        notes: dict[str, list[PlanActionNoteRow]] = {row.id: [] for row in rows}
        if rows:
            found = await self.session.scalars(select(PlanActionNoteRow).where(
                PlanActionNoteRow.action_id.in_(list(notes))).order_by(PlanActionNoteRow.period))
            for note in found.all():
                notes[note.action_id].append(note)
        return [(row, notes[row.id]) for row in rows]

    async def get(self, gemeente: str, action_id: str) -> PlanAction | None:
        """One action of the gemeente with its notes (oldest period first), if readable."""
        row = await self.session.get(PlanActionRow, action_id)
        if row is None or row.gemeente != gemeente or not self._readable(gemeente):
            return None
        notes = await self.session.scalars(select(PlanActionNoteRow).where(
            PlanActionNoteRow.action_id == action_id).order_by(PlanActionNoteRow.period))
        return row, list(notes.all())

    async def own(self, action_id: str) -> PlanActionRow | None:
        """An action of the caller's own gemeente (the only one that writes it), or None."""
        row = await self.session.get(PlanActionRow, action_id)
        if row is None or not self.principal.is_gemeente(row.gemeente):
            return None
        return row

    async def own_note(self, action_id: str, period: str) -> PlanActionNoteRow | None:
        """The note of one period on an action of the caller's own gemeente, or None."""
        if await self.own(action_id) is None:
            return None
        return await self.session.get(PlanActionNoteRow, (action_id, period))

    def add_note(self, note: PlanActionNoteRow) -> PlanActionNoteRow:
        """Stage a new note (on an action the handler found among the caller's own)."""
        self.session.add(note)
        return note


class IllustrativeRepository(Repository[IllustrativeRow]):
    """The marks of illustrative (demo) figures; read with the figures (Figures.illustrative)."""

    model = IllustrativeRow

    async def replace(self, gemeenten: Iterable[str], marks: Iterable[IllustrativeRow]) -> None:
        """Drop every mark of these gemeenten and stage `marks` instead."""
        await self.session.execute(delete(IllustrativeRow).where(
            IllustrativeRow.gemeente.in_(sorted(set(gemeenten)))))
        self.session.add_all(list(marks))


class ProjectionRepository(Repository[Generation]):
    """The projections as the fold and the rebuild write them, and their generations.

    Caller-free by nature: events and the rebuild carry no caller. The generation pointer,
    stream positions and skipped-type counts are about the service, not about any gemeente;
    the facts are read only by an event's own ids (`load_for_events_unscoped`).
    """

    model = Generation

    async def active_generation(self, *, lock: bool = False) -> int:
        """The generation served and folded into; `lock` serialises folds (see projections)."""
        return await projections.active_generation(self.session, lock=lock)

    async def building_generation(self) -> int | None:
        """The generation a rebuild is filling now, if any."""
        return await self.session.scalar(select(Generation.id).where(
            Generation.state == "building"))

    async def positions(self, generation: int) -> dict[str, int]:
        """Every stream's rebuilt-through sequence for a generation."""
        return await projections.positions_of(self.session, generation)

    async def rebuilt_through(self, generation: int, stream: str) -> int:
        """The last sequence of `stream` a rebuild folded into `generation` (0: none)."""
        return await projections.rebuilt_through(self.session, generation, stream)

    async def skipped(self, generation: int) -> list[SkippedRow]:
        """Unknown event types seen, with counts."""
        rows = await self.session.scalars(select(SkippedRow).where(
            SkippedRow.generation == generation).order_by(SkippedRow.event_type))
        return list(rows.all())

    async def load_for_events_unscoped(self, generation: int, state: FoldState,
                                       events: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Put the stored facts some events (type, data) may touch into the fold state, by
        their own ids."""
        await projections.load_for_events(self.session, generation, state, events)

    async def write_changes(self, generation: int, state: FoldState,
                            stored: projections.Stored | None = None) -> None:
        """Write what the fold changed since the last write (bulk), then clear the marks."""
        await projections.write_changes(self.session, generation, state, stored)

    async def start_generation(self) -> int:
        """A new building generation (abandoned building ones are dropped first)."""
        return await projections.start_generation(self.session)

    async def swap_to(self, generation: int, positions: dict[str, int],
                      events_folded: int) -> int:
        """Make `generation` active; returns the one it replaced (pointer locked before)."""
        return await projections.swap_to(self.session, generation, positions, events_folded)

    async def retire(self, generation: int) -> None:
        """Drop a replaced generation's rows and its record."""
        await projections.retire(self.session, generation)
