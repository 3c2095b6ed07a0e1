"""Folding live events into the projections (the consumers' use case; no caller)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from services.reporting.domain.facts import FoldState
from services.reporting.domain.fold import FOLDS, fold
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.events.envelope import Envelope


class LiveEvent(NamedTuple):
    """An event to fold, and where it sits in its stream (sequence None: not from a stream)."""

    envelope: Envelope
    stream: str
    sequence: int | None


async def apply_event(uow: ReportingUnitOfWork, envelope: Envelope, *, stream: str,
                      sequence: int | None) -> bool:
    """Fold one live event into the active generation; False when a rebuild already has it."""
    return (await apply_events(uow, [LiveEvent(envelope, stream, sequence)]))[0]


async def apply_events(uow: ReportingUnitOfWork, events: Sequence[LiveEvent]) -> list[bool]:
    """Fold live events, in order, into the active generation; per event False when a rebuild
    already has it.

    One lock, one look-up per kind of fact and one write for them all: folded one at a time,
    a consumer's batch of registrations cost five round trips each, and reporting kept up with
    300 registrations a second however fast intake took them (bench/chain.py).
    """
    projections = uow.projections
    # The pointer's row lock serialises live folds (PostgreSQL): two streams' events about one
    # candidate must not both read its fact and write it back whole (a lost update).
    generation = await projections.active_generation(lock=True)
    rebuilt: dict[str, int] = {}
    folded: list[bool] = []
    for event in events:
        if event.sequence is not None and event.stream not in rebuilt:
            rebuilt[event.stream] = await projections.rebuilt_through(generation, event.stream)
        folded.append(event.sequence is None or event.sequence > rebuilt[event.stream])
    todo = [event.envelope for event, new in zip(events, folded, strict=True) if new]
    state = FoldState()
    await projections.load_for_events_unscoped(generation, state, [
        (envelope.type, envelope.data) for envelope in todo if envelope.type in FOLDS])
    for envelope in todo:
        fold(state, envelope.type, envelope.data)  # InvalidEvent: retried, then parked
    await projections.write_changes(generation, state)
    return folded
