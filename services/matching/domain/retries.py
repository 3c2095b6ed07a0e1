"""When to try an outbound delivery again: exponential steps, full jitter, Retry-After."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# The steps grow roughly exponentially and add up to about 23 hours: a receiver that is down
# for most of a day still gets its events.
DEFAULT_SCHEDULE_S: tuple[float, ...] = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800,
                                         28800)
MAX_RETRY_AFTER_S = 24 * 3600.0  # a receiver cannot park us for longer than a day


def next_delay(schedule: Sequence[float], failures: int, rng: random.Random,
               retry_after_s: float | None = None) -> float | None:
    """Seconds until the next attempt after `failures` failed ones; None when out of retries.

    Full jitter: uniformly between 0 and twice the step, so on average the step itself and
    retries of many deliveries spread out instead of hitting a recovering receiver together.
    A receiver's Retry-After is a lower bound (capped at a day).
    """
    if failures > len(schedule):
        return None
    delay = rng.uniform(0.0, 2.0 * schedule[failures - 1])
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, MAX_RETRY_AFTER_S))
    return delay


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP date; None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now) / timedelta(seconds=1))
