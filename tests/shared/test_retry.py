"""Retrying a set-up until NATS lets it: backoff, a warning per failure, and a stop honoured."""

from __future__ import annotations

import asyncio

import pytest

from shared.bus.retry import backoff_s, until_it_works


async def test_a_set_up_is_tried_again_until_it_works() -> None:
    attempts: list[int] = []

    async def set_up() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise TimeoutError("nats: timeout")  # a cluster still electing its leaders
        return "subscribed"

    assert await until_it_works("consumer of intake", set_up, cap_s=0.01) == "subscribed"
    assert attempts == [1, 2, 3]


async def test_a_stop_ends_the_retrying() -> None:
    attempts: list[int] = []

    async def never() -> None:
        attempts.append(1)
        raise TimeoutError("nats: timeout")

    task = asyncio.create_task(until_it_works("stream of intake", never, cap_s=0.01))
    while len(attempts) < 3:
        await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_the_backoff_grows_and_stays_under_its_cap() -> None:
    assert all(0 <= backoff_s(1, 30.0) <= 0.4 for _ in range(100))
    assert all(0 <= backoff_s(20, 5.0) <= 5.0 for _ in range(100))
    assert max(backoff_s(6, 30.0) for _ in range(200)) > 0.4  # it does grow
