"""Rebuild the projections from the streams, beside the live ones, and swap them in.

1. A new generation starts (state `building`); the API keeps serving the active one and the
   live consumers keep folding into it.
2. Every stream is replayed from sequence 1 up to its end as it was when that stream's replay
   began, through an ephemeral pull consumer (no acks, deliver-all; never the durable live
   consumers). Events are folded in memory and written in bulk every `flush_events` events.
3. Catch-up passes fold what arrived meanwhile, until the tail is short.
4. The swap: one transaction locks the active-generation pointer (live handlers wait), folds
   the last tail up to each stream's end *read under that lock*, records those sequences as the
   new generation's positions, and switches the pointer. Live consumers then skip any event at
   or below its stream's position (the rebuild has it) and fold everything after — nothing is
   counted twice and nothing is lost.
5. The replaced generation's rows are deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TextIO

import nats
from nats.aio.client import Client
from nats.js.errors import NotFoundError

from services.reporting.domain.facts import FoldState
from services.reporting.domain.fold import InvalidEvent, fold
from services.reporting.events import PRODUCERS
from services.reporting.settings import ReportingSettings
from services.reporting.store.projections import Stored
from services.reporting.stream_reader import read_range
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.events.subjects import stream_name, stream_subjects
from shared.runtime import Runtime

Begin = Callable[[], AbstractAsyncContextManager[ReportingUnitOfWork]]

UNREADABLE = "(unreadable)"
CATCH_UP_ROUNDS = 3
SHORT_TAIL = 2000


@dataclass
class RebuildResult:
    """What a rebuild did."""

    generation: int
    replaced: int
    events: int
    invalid: int
    seconds: float
    positions: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Events folded per second."""
        return self.events / self.seconds if self.seconds else 0.0


class Progress:
    """A plain-text progress bar on a stream (stderr), redrawn at most a few times a second."""

    def __init__(self, out: TextIO | None, total: int) -> None:
        self.out, self.total, self.done = out, max(total, 1), 0
        self.started = time.perf_counter()
        self._drawn = 0.0

    def add(self, count: int, *, force: bool = False) -> None:
        """Count `count` more events and redraw when due."""
        self.done += count
        now = time.perf_counter()
        if self.out is None or (not force and now - self._drawn < 0.25):
            return
        self._drawn = now
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * 30)
        rate = self.done / max(now - self.started, 1e-9)
        self.out.write(f"\r[{bar:<30}] {share:4.0%} {self.done:>10,}/{self.total:,} events "
                       f"{rate:>9,.0f}/s")
        self.out.flush()

    def finish(self, line: str) -> None:
        """End the bar with a final line."""
        if self.out is not None:
            self.add(0, force=True)
            self.out.write(f"\n{line}\n")
            self.out.flush()


class Replayer:
    """Folds ranges of the streams into one in-memory state and writes it in bulk."""

    def __init__(self, begin: Begin, nc: Client, *,
                 namespace: str, generation: int, fetch: int, flush_events: int,
                 progress: Progress) -> None:
        self.begin, self.nc, self.namespace = begin, nc, namespace
        self.js = nc.jetstream()
        self.generation, self.fetch, self.flush_events = generation, fetch, flush_events
        self.progress = progress
        self.state = FoldState()
        self.stored = Stored()
        self.positions: dict[str, int] = dict.fromkeys(PRODUCERS, 0)
        self.events = self.invalid = 0
        self._since_flush = 0

    async def stream_end(self, producer: str) -> int:
        """The stream's last sequence now (0 when it does not exist yet)."""
        try:
            info = await self.js.stream_info(stream_name(producer, self.namespace))
        except NotFoundError:
            return 0
        return int(info.state.last_seq)

    async def replay(self, producer: str, end: int,
                     uow: ReportingUnitOfWork | None = None) -> int:
        """Fold the stream from after its position up to `end`; returns events folded.

        Without `uow`, writes every `flush_events` in units of work of its own; with one (the
        swap), the caller writes at the end of its transaction.
        """
        start = self.positions[producer] + 1
        if end < start:
            return 0
        folded = 0
        async for chunk in read_range(self.nc, stream=stream_name(producer, self.namespace),
                                      subject=stream_subjects(producer, self.namespace)[0],
                                      start=start, end=end, batch=self.fetch):
            for sequence, payload in chunk:
                self._fold_one(payload)
                self.positions[producer] = sequence
            folded += len(chunk)
            self.progress.add(len(chunk))
            if uow is None and self._since_flush >= self.flush_events:
                await self.flush()
        self.positions[producer] = end
        return folded

    def _fold_one(self, raw: bytes) -> None:
        self.events += 1
        self._since_flush += 1
        try:
            body = json.loads(raw)
            event_type, data = body["type"], body["data"]
            if not isinstance(event_type, str) or not isinstance(data, dict):
                raise InvalidEvent("type or data missing")
            fold(self.state, event_type, data)
        except (ValueError, KeyError, TypeError):  # InvalidEvent is a ValueError
            self.invalid += 1
            self.state.skipped[UNREADABLE] = self.state.skipped.get(UNREADABLE, 0) + 1

    async def flush(self, uow: ReportingUnitOfWork | None = None) -> None:
        """Write the changes (in the given unit of work, or in one of its own)."""
        self._since_flush = 0
        if uow is not None:
            await uow.projections.write_changes(self.generation, self.state, self.stored)
            return
        async with self.begin() as own:
            await own.projections.write_changes(self.generation, self.state, self.stored)


async def rebuild(settings: ReportingSettings, *, out: TextIO | None = sys.stderr,
                  nc: Client | None = None,
                  before_swap: Callable[[], Awaitable[None]] | None = None) -> RebuildResult:
    """Replay every stream into a new generation and swap it in (see the module docstring).

    `before_swap` is awaited between the replay and the swap: tests publish events there to
    pin down the race a rebuild must survive.
    """
    # Units of work without a caller, and no bus of the runtime's own: the rebuild reads the
    # streams through `connection`, outside the live consumers.
    runtime = Runtime(settings, unit_of_work=ReportingUnitOfWork, publishes=False)
    own_connection = nc is None
    connection = nc or await nats.connect(settings.nats_url, connect_timeout=5)
    started = time.perf_counter()
    try:
        async with runtime.begin() as uow:
            generation = await uow.projections.start_generation()
        replayer = Replayer(runtime.begin, connection, namespace=settings.bus_namespace,
                            generation=generation, fetch=settings.reporting_rebuild_fetch,
                            flush_events=settings.reporting_rebuild_flush_events,
                            progress=Progress(out, 0))
        replayer.progress.total = max(1, sum([await replayer.stream_end(p) for p in PRODUCERS]))
        await _replay_until_short(replayer)
        if before_swap is not None:
            await before_swap()
        async with runtime.begin() as uow:
            await uow.projections.active_generation(lock=True)  # live handlers wait from here
            for producer in PRODUCERS:
                await replayer.replay(producer, await replayer.stream_end(producer), uow)
            await replayer.flush(uow)
            replaced = await uow.projections.swap_to(generation, replayer.positions,
                                                     replayer.events)
        async with runtime.begin() as uow:
            await uow.projections.retire(replaced)
        result = RebuildResult(generation, replaced, replayer.events, replayer.invalid,
                               time.perf_counter() - started, dict(replayer.positions))
        replayer.progress.finish(
            f"rebuild: generation {generation} active (replaced {replaced}); "
            f"{result.events:,} events folded ({result.invalid:,} unreadable) in "
            f"{result.seconds:.1f} s, {result.rate:,.0f} events/s")
        return result
    finally:
        if own_connection:
            with contextlib.suppress(Exception):
                await connection.close()
        await runtime.engine.dispose()


async def _replay_until_short(replayer: Replayer) -> None:
    """Replay to the ends, then catch up on what arrived meanwhile until the tail is short."""
    for _ in range(CATCH_UP_ROUNDS + 1):
        behind = 0
        for producer in PRODUCERS:
            end = await replayer.stream_end(producer)
            behind += max(0, end - replayer.positions[producer])
            await replayer.replay(producer, end)
        await replayer.flush()
        if behind < SHORT_TAIL:
            return


def run_rebuild(settings: ReportingSettings) -> int:
    """The `rebuild` command."""
    asyncio.run(rebuild(settings))
    return 0
