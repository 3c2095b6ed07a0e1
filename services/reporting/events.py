"""What reporting consumes: every event of every producing stream, folded into the projections.

Each stream has the spine's durable, idempotent consumer (inbox by event id, retries, dead
letters). The handler reads the message's stream position (to skip what a rebuild already
folded into the active generation), and a type the fold does not know reaches it too, as the
consumer's fallback: the fold counts it in `report_skipped` instead of failing.
"""

from __future__ import annotations

from services.reporting.domain.fold import FOLDS
from services.reporting.handlers.projections import apply_event
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.bus.inbox import current_stream_position
from shared.events.envelope import Envelope
from shared.logging import get_logger
from shared.runtime import ConsumerSpec

log = get_logger(__name__)

PRODUCERS = ("intake", "diagnose", "matching", "finance")


async def fold_live(uow: ReportingUnitOfWork, envelope: Envelope) -> None:
    """The handler of every type on every stream, unknown types included (the fold counts
    those in `report_skipped`): fold the event unless a rebuild already did."""
    position = current_stream_position()
    stream, sequence = (position.producer, position.sequence) if position else ("", None)
    if not await apply_event(uow, envelope, stream=stream, sequence=sequence):
        log.debug("reporting.folded_by_rebuild", type=envelope.type, stream=stream,
                  sequence=sequence)
    elif envelope.type not in FOLDS:
        log.warning("reporting.unknown_event_type", type=envelope.type, stream=stream)


def consumers() -> tuple[ConsumerSpec, ...]:
    """One durable consumer per producing stream; every type goes to the fold."""
    handlers = dict.fromkeys(FOLDS, fold_live)
    return tuple(ConsumerSpec(producer, handlers, fallback=fold_live, batch_apply=True)
                 for producer in PRODUCERS)
