"""Stream and durable-consumer set-up, idempotent so every process can run it at start-up."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import BadRequestError, NotFoundError

from shared.events.subjects import gemeente_subjects, stream_name, stream_subjects

DUPLICATE_WINDOW_S = 120.0


def stream_config(producer: str, namespace: str = "", replicas: int = 1) -> StreamConfig:
    """The one configuration of a producing service's stream.

    Limits retention with no age limit: reporting rebuilds its projections by replaying the
    streams from the start, so the history is the record.
    """
    return StreamConfig(
        name=stream_name(producer, namespace),
        subjects=stream_subjects(producer, namespace),
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_S,
    )


async def ensure_stream(
    js: JetStreamContext, producer: str, *, namespace: str = "", replicas: int = 1
) -> None:
    """Create the stream, or bring an existing one to the configuration above."""
    config = stream_config(producer, namespace, replicas)
    try:
        existing = (await js.stream_info(config.name or "")).config
    except NotFoundError:
        try:
            await js.add_stream(config)
            return
        except BadRequestError:
            existing = (await js.stream_info(config.name or "")).config  # created meanwhile
    if _same_config(existing, config):
        return  # nothing to change: an organisation's user need not be allowed to update it
    await js.update_stream(config)


def _same_config(existing: StreamConfig, wanted: StreamConfig) -> bool:
    return (sorted(existing.subjects or []) == sorted(wanted.subjects or [])
            and existing.num_replicas == wanted.num_replicas
            and existing.duplicate_window == wanted.duplicate_window)


def durable_name(consumer_service: str, producer: str, gemeente: str = "") -> str:
    """One durable consumer per (consuming service, stream), or per gemeente when scoped."""
    scope = f"-{gemeente}" if gemeente else ""
    return f"{consumer_service}{scope}-from-{producer}"


async def ensure_consumer(
    js: JetStreamContext,
    *,
    consumer_service: str,
    producer: str,
    namespace: str = "",
    ack_wait_s: float = 30.0,
    gemeente: str = "",
) -> str:
    """Create (or keep) the durable pull consumer; returns its name.

    max_deliver is unlimited on the server: the inbox counts deliveries and parks a poison
    event in the dead-letter table itself, so nothing is dropped silently by NATS.

    With `gemeente` the consumer reads only that gemeente's subjects and is created through
    the API subject that names its filter, so NATS permissions (deploy/nats/accounts.conf) can
    confine an organisation's user to its own gemeente.
    """
    name = durable_name(consumer_service, producer, gemeente)
    config = ConsumerConfig(
        durable_name=name,
        name=name if gemeente else None,
        filter_subject=gemeente_subjects(producer, gemeente, namespace) if gemeente else None,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ack_wait_s,
        max_deliver=-1,
        max_ack_pending=1000,
    )
    await js.add_consumer(stream_name(producer, namespace), config)
    return name
