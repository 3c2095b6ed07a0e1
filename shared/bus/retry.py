"""Retrying what must outlive a NATS outage: backoff with full jitter, and honouring a stop."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from shared.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")


def raise_if_cancelling() -> None:
    """Honour a pending cancel that a library turned into a timeout or connection error.

    nats-py's fetch can swallow the CancelledError of a stopping task and raise its own
    TimeoutError instead; a loop that retries on timeouts would then never stop.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def backoff_s(failures: int, cap_s: float) -> float:
    """Exponential backoff with full jitter, capped: how long to wait after `failures`."""
    return random.uniform(0, min(cap_s, 0.2 * 2**failures))


async def until_it_works(what: str, attempt: Callable[[], Awaitable[T]], *,
                         cap_s: float = 10.0) -> T:
    """`attempt` again and again, with backoff and a warning each time, until it succeeds.

    For setting up a stream or a consumer: a JetStream cluster that lost a node answers
    "timeout" or "no responders" until it has elected new leaders, and a consumer that gave up
    then took the service's relay down with it (`tests/chain/test_outbox_faults.py`, R3).
    """
    failures = 0
    while True:
        try:
            return await attempt()
        except Exception as exc:  # noqa: BLE001 — any failure is retried; a stop is not
            raise_if_cancelling()
            failures += 1
            delay = backoff_s(failures, cap_s)
            log.warning("bus.setup_failed", what=what, error=repr(exc), retry_in=round(delay, 2))
            await asyncio.sleep(delay)
