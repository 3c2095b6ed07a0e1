"""The live fold of a consumer's batch is the live fold of its events one at a time.

The demo history (every kind of event reporting folds, several per candidate, budgets and
unknown types among them) is folded once event by event and once in batches, each on a fresh
database; every projection table must come out the same, row for row.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from services.reporting.demo import demo_events
from services.reporting.handlers.projections import LiveEvent, apply_event, apply_events
from services.reporting.main import make_runtime
from services.reporting.settings import ReportingSettings
from services.reporting.store.models import (
    BudgetRow,
    CandidateRow,
    CountRow,
    DiagnosisRow,
    GrantRow,
    PlacementRow,
    SkippedRow,
)
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.events.envelope import Envelope
from shared.runtime import Runtime
from tests.support.databases import DatabaseFactory

Reporting = Runtime[ReportingSettings, ReportingUnitOfWork]
TABLES = (CandidateRow, DiagnosisRow, PlacementRow, GrantRow, BudgetRow, CountRow, SkippedRow)
UNSTAMPED = {"updated_at", "first_seen_at", "last_seen_at"}  # when written, not what


@pytest.fixture
async def runtimes(reporting_databases: DatabaseFactory) -> AsyncIterator[list[Reporting]]:
    """Two reporting runtimes, each on a fresh database; never started (handlers only)."""
    made = [make_runtime(ReportingSettings(database_url=await reporting_databases.fresh(),
                                           environment="test")) for _ in range(2)]
    try:
        yield made
    finally:
        for runtime in made:
            await runtime.engine.dispose()


def mixed_events() -> list[Envelope]:
    """The demo history plus an event type reporting does not know."""
    events = demo_events()
    known = events[0]
    unknown = Envelope(type="nl.participatiewet.intake.something-new.v1", source=known.source,
                       subject=known.subject, gemeente=known.gemeente, data={}, id="new-1")
    return [*events[:10], unknown, *events[10:]]


async def contents(runtime: Reporting) -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table's rows, without write-time stamps, in a fixed order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with runtime.transaction() as session:
        for model in TABLES:
            columns = [c for c in model.__table__.columns if c.name not in UNSTAMPED]
            rows = (await session.execute(select(*columns))).all()
            tables[model.__tablename__] = sorted((tuple(row) for row in rows), key=repr)
    return tables


async def fold_one_by_one(runtime: Reporting, events: Sequence[Envelope]) -> None:
    for sequence, envelope in enumerate(events, start=1):
        async with runtime.begin() as uow:
            assert await apply_event(uow, envelope, stream="intake", sequence=sequence)


async def fold_in_batches(runtime: Reporting, events: Sequence[Envelope], size: int) -> None:
    for start in range(0, len(events), size):
        batch = [LiveEvent(envelope, "intake", sequence)
                 for sequence, envelope in enumerate(events[start:start + size], start + 1)]
        async with runtime.begin() as uow:
            assert await apply_events(uow, batch) == [True] * len(batch)


async def test_a_batch_folds_as_its_events_one_at_a_time(runtimes: list[Reporting]) -> None:
    events = mixed_events()
    assert len(events) > 100  # several batches, and candidates whose events span two
    single, batched = runtimes
    await fold_one_by_one(single, events)
    await fold_in_batches(batched, events, size=37)
    one_by_one, in_batches = await contents(single), await contents(batched)
    assert all(one_by_one[table] for table in ("report_candidates", "report_diagnoses",
                                                 "report_counts", "report_skipped"))
    assert in_batches == one_by_one


async def test_what_a_rebuild_folded_is_skipped_within_a_batch(runtimes: list[Reporting]) -> None:
    runtime, _ = runtimes
    events = demo_events()[:6]
    async with runtime.begin() as uow:
        generation = await uow.projections.active_generation()
        await uow.projections.swap_to(generation, {"intake": 3}, events_folded=3)
    async with runtime.begin() as uow:
        folded = await apply_events(uow, [LiveEvent(envelope, "intake", sequence)
                                           for sequence, envelope in enumerate(events, 1)])
    assert folded == [False, False, False, True, True, True]
