"""Folding a live event into the projections (the consumers' use case; no caller)."""

from __future__ import annotations

from services.reporting.domain.facts import FoldState
from services.reporting.domain.fold import FOLDS, fold
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.events.envelope import Envelope


async def apply_event(uow: ReportingUnitOfWork, envelope: Envelope, *, stream: str,
                      sequence: int | None) -> bool:
    """Fold one live event into the active generation; False when a rebuild already has it."""
    projections = uow.projections
    # The pointer's row lock serialises live folds (PostgreSQL): two streams' events about one
    # candidate must not both read its fact and write it back whole (a lost update).
    generation = await projections.active_generation(lock=True)
    if sequence is not None and sequence <= await projections.rebuilt_through(generation, stream):
        return False
    state = FoldState()
    if envelope.type in FOLDS:
        await projections.load_for_event_unscoped(generation, state, envelope.type,
                                                  envelope.data)
    fold(state, envelope.type, envelope.data)  # InvalidEvent: retried, then parked
    await projections.write_changes(generation, state)
    return True
