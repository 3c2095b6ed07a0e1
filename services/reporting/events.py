"""What reporting consumes: every event of every producing stream, folded into the projections.

Each stream has the spine's durable, idempotent consumer (inbox by event id, retries, dead
letters). The handler reads the message's stream position (to skip what a rebuild already
folded into the active generation), and a type the fold does not know reaches it too, as the
consumer's fallback: the fold counts it in `report_skipped` instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.reporting.domain.fold import FOLDS
from services.reporting.handlers.projections import LiveEvent, apply_events
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.bus.inbox import StreamedEvent, StreamPosition, current_stream_position
from shared.events.envelope import Envelope
from shared.logging import get_logger
from shared.runtime import ConsumerSpec

log = get_logger(__name__)

PRODUCERS = ("intake", "diagnose", "matching", "finance")


async def fold_live(uow: ReportingUnitOfWork, envelope: Envelope) -> None:
    """The handler of every type on every stream, unknown types included (the fold counts
    those in `report_skipped`): fold the event unless a rebuild already did."""
    await _fold(uow, [_live(envelope, current_stream_position())])


async def fold_live_batch(uow: ReportingUnitOfWork, events: Sequence[StreamedEvent]) -> None:
    """A fetched batch's new events folded at once (after a failure: one at a time, by
    fold_live)."""
    await _fold(uow, [_live(event.envelope, event.position) for event in events])


def _live(envelope: Envelope, position: StreamPosition | None) -> LiveEvent:
    stream, sequence = (position.producer, position.sequence) if position else ("", None)
    return LiveEvent(envelope, stream, sequence)


async def _fold(uow: ReportingUnitOfWork, events: list[LiveEvent]) -> None:
    for event, new in zip(events, await apply_events(uow, events), strict=True):
        if not new:
            log.debug("reporting.folded_by_rebuild", type=event.envelope.type,
                      stream=event.stream, sequence=event.sequence)
        elif event.envelope.type not in FOLDS:
            log.warning("reporting.unknown_event_type", type=event.envelope.type,
                        stream=event.stream)


def consumers() -> tuple[ConsumerSpec, ...]:
    """One durable consumer per producing stream; every type goes to the fold, a batch at a
    time."""
    handlers = dict.fromkeys(FOLDS, fold_live)
    return tuple(ConsumerSpec(producer, handlers, fallback=fold_live, batch_apply=True,
                              batch_handler=fold_live_batch)
                 for producer in PRODUCERS)
