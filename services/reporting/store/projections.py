"""Writing folded facts and counters, bulk, on PostgreSQL and SQLite; generations and positions.

Facts are written whole (upsert by key); counters and skipped-type counts are deltas added to
what is stored. One statement per table and chunk (executemany), never a round trip per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from services.reporting.domain.facts import (
    BudgetFact,
    CandidateFact,
    DiagnosisFact,
    FoldState,
    GrantFact,
    PlacementFact,
)
from services.reporting.store.models import (
    BudgetRow,
    CandidateRow,
    CountRow,
    DiagnosisRow,
    Generation,
    GrantRow,
    PlacementRow,
    ReportState,
    SkippedRow,
    StreamPosition,
)

CHUNK = 5000
PROJECTIONS: tuple[type[DeclarativeBase], ...] = (
    CandidateRow, DiagnosisRow, PlacementRow, GrantRow, BudgetRow, CountRow, SkippedRow,
    StreamPosition)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


async def _upsert_whole(session: AsyncSession, model: Any, keys: Sequence[str],
                        rows: list[dict[str, Any]], known: set[Any] | None = None) -> None:
    """Upsert rows; with `known` (keys already stored), new rows are bulk-inserted instead."""
    if not rows:
        return
    if known is not None:
        key_of = _key_getter(keys)
        new: list[dict[str, Any]] = []
        stored: list[dict[str, Any]] = []
        for row in rows:
            (stored if key_of(row) in known else new).append(row)
        if new:
            await _insert_new(session, model, new)
            known.update(key_of(row) for row in new)
        rows = stored
        if not rows:
            return
    statement = _insert(session, model)
    columns = [name for name in rows[0] if name not in keys]
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in columns})
    for chunk in _chunks(rows):
        await session.execute(statement, list(chunk))


def _key_getter(keys: Sequence[str]) -> Any:
    names = [k for k in keys if k != "generation"]
    if len(names) == 1:
        return lambda row: row[names[0]]
    return lambda row: tuple(row[k] for k in names)


async def _insert_new(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """Rows that cannot exist yet: COPY on PostgreSQL, a plain executemany on SQLite."""
    columns = list(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(
            model.__tablename__, columns=columns,
            records=[tuple(row[c] for c in columns) for row in rows])
        return
    for chunk in _chunks(rows):
        await session.execute(model.__table__.insert(), list(chunk))


def _as_rows(generation: int, facts: Iterable[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [{"generation": generation, **{name: getattr(fact, name) for name in names}}
            for fact in facts]


_CANDIDATE = [f.name for f in fields(CandidateFact)]
_DIAGNOSIS = [f.name for f in fields(DiagnosisFact)]
_PLACEMENT = [f.name for f in fields(PlacementFact)]
_GRANT = [f.name for f in fields(GrantFact)]
_BUDGET = [f.name for f in fields(BudgetFact)]


@dataclass
class Stored:
    """Keys a rebuild has written to its (new, initially empty) generation, per table.

    Rows not among them cannot exist yet, so they are bulk-inserted (COPY on PostgreSQL)
    instead of upserted.
    """

    candidates: set[Any] = field(default_factory=set)
    diagnoses: set[Any] = field(default_factory=set)
    placements: set[Any] = field(default_factory=set)
    grants: set[Any] = field(default_factory=set)
    budgets: set[Any] = field(default_factory=set)


async def write_changes(session: AsyncSession, generation: int, state: FoldState,
                        stored: Stored | None = None) -> None:
    """Write what the fold changed since the last write, then clear the change marks."""
    known = stored or Stored()
    fresh = stored is not None
    await _upsert_whole(session, CandidateRow, ("generation", "candidate_id"), _as_rows(
        generation, (state.candidates[k] for k in state.dirty_candidates), _CANDIDATE),
        known.candidates if fresh else None)
    await _upsert_whole(session, DiagnosisRow, ("generation", "diagnosis_id"), _as_rows(
        generation, (state.diagnoses[k] for k in state.dirty_diagnoses), _DIAGNOSIS),
        known.diagnoses if fresh else None)
    await _upsert_whole(session, PlacementRow, ("generation", "placement_id"), _as_rows(
        generation, (state.placements[k] for k in state.dirty_placements), _PLACEMENT),
        known.placements if fresh else None)
    await _upsert_whole(session, GrantRow, ("generation", "grant_id"), _as_rows(
        generation, (state.grants[k] for k in state.dirty_grants), _GRANT),
        known.grants if fresh else None)
    await _upsert_whole(session, BudgetRow, ("generation", "gemeente", "year"), _as_rows(
        generation, (state.budgets[k] for k in state.dirty_budgets), _BUDGET),
        known.budgets if fresh else None)
    await _add_counts(session, generation, state)
    await _add_skipped(session, generation, state)
    state.clear_changes()


async def _add_counts(session: AsyncSession, generation: int, state: FoldState) -> None:
    if not state.counts:
        return
    rows = [{"generation": generation, "gemeente": g, "month": m, "measure": measure,
             "key": key, "count": cell[0], "amount": cell[1]}
            for (g, m, measure, key), cell in state.counts.items()]
    statement = _insert(session, CountRow)
    statement = statement.on_conflict_do_update(
        index_elements=["generation", "gemeente", "month", "measure", "key"],
        set_={"count": CountRow.count + statement.excluded.count,
              "amount": CountRow.amount + statement.excluded.amount})
    for chunk in _chunks(rows):
        await session.execute(statement, list(chunk))


async def _add_skipped(session: AsyncSession, generation: int, state: FoldState) -> None:
    if not state.skipped:
        return
    now = datetime.now(UTC)
    statement = _insert(session, SkippedRow)
    statement = statement.on_conflict_do_update(
        index_elements=["generation", "event_type"],
        set_={"count": SkippedRow.count + statement.excluded.count,
              "last_seen_at": statement.excluded.last_seen_at})
    await session.execute(statement, [
        {"generation": generation, "event_type": t, "count": n, "last_seen_at": now}
        for t, n in state.skipped.items()])


async def load_for_events(session: AsyncSession, generation: int, state: FoldState,
                          events: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Put the stored facts some events (type, data) may touch into the fold state (live
    path): one query per kind of fact for all of them, by their own ids."""
    lookups: tuple[tuple[str, Any, str, dict[str, Any], type[Any], Sequence[str]], ...] = (
        ("candidateId", CandidateRow, "candidate_id", state.candidates, CandidateFact,
         _CANDIDATE),
        ("diagnosisId", DiagnosisRow, "diagnosis_id", state.diagnoses, DiagnosisFact,
         _DIAGNOSIS),
        ("placementId", PlacementRow, "placement_id", state.placements, PlacementFact,
         _PLACEMENT),
        ("grantId", GrantRow, "grant_id", state.grants, GrantFact, _GRANT),
    )
    for field_name, model, column, facts, fact_type, names in lookups:
        keys = {key for _, data in events if isinstance(key := data.get(field_name), str)}
        if not keys:
            continue
        rows = await session.scalars(select(model).where(
            model.generation == generation, getattr(model, column).in_(sorted(keys))))
        for row in rows:
            facts[getattr(row, column)] = fact_type(**{name: getattr(row, name)
                                                      for name in names})
    for event_type, data in events:
        if event_type.endswith("finance.budget-set") and isinstance(data.get("gemeente"), str):
            await _load_budget(session, generation, state, data)


async def _load_budget(session: AsyncSession, generation: int, state: FoldState,
                       data: dict[str, Any]) -> None:
    try:
        year = int(data["year"])
    except (KeyError, TypeError, ValueError):
        return  # the fold reports the bad event
    row = (await session.execute(select(BudgetRow).where(
        BudgetRow.generation == generation, BudgetRow.gemeente == data["gemeente"],
        BudgetRow.year == year))).scalar_one_or_none()
    if row is not None:
        state.budgets[(row.gemeente, row.year)] = BudgetFact(
            **{name: getattr(row, name) for name in _BUDGET})


# --- generations --------------------------------------------------------------------------------

async def active_generation(session: AsyncSession, *, lock: bool = False) -> int:
    """The generation the API reads and live consumers fold into.

    With `lock`, the pointer row is locked until the transaction ends (PostgreSQL; SQLite
    serialises every writing transaction anyway with BEGIN IMMEDIATE). Live folds take it, so
    they run one at a time and no event is folded into the old generation once a swap, which
    takes it too, has read the streams' ends.
    """
    query = select(ReportState.active_generation).where(ReportState.id == 1)
    if lock:
        query = query.with_for_update()
    return int((await session.execute(query)).scalar_one())


async def rebuilt_through(session: AsyncSession, generation: int, stream: str) -> int:
    """The last sequence of `stream` a rebuild folded into `generation` (0: none)."""
    found = await session.scalar(select(StreamPosition.last_seq).where(
        StreamPosition.generation == generation, StreamPosition.stream == stream))
    return int(found or 0)


async def positions_of(session: AsyncSession, generation: int) -> dict[str, int]:
    """Every stream's rebuilt-through sequence for a generation."""
    rows = await session.execute(select(StreamPosition.stream, StreamPosition.last_seq).where(
        StreamPosition.generation == generation))
    return {stream: int(seq) for stream, seq in rows.all()}


async def start_generation(session: AsyncSession) -> int:
    """A new building generation (abandoned building ones are dropped first)."""
    for (stale,) in (await session.execute(select(Generation.id).where(
            Generation.state == "building"))).all():
        await drop_generation_rows(session, int(stale))
        await session.execute(delete(Generation).where(Generation.id == stale))
    newest = await session.scalar(select(Generation.id).order_by(Generation.id.desc()).limit(1))
    generation = int(newest or 0) + 1
    session.add(Generation(id=generation, state="building", started_at=datetime.now(UTC),
                           events_folded=0))
    await session.flush()
    return generation


async def swap_to(session: AsyncSession, generation: int, positions: dict[str, int],
                  events_folded: int) -> int:
    """Make `generation` active with its positions; returns the generation it replaced.

    The caller holds the pointer's lock (active_generation(lock=True)) in this transaction.
    """
    previous = await active_generation(session)
    await _upsert_whole(session, StreamPosition, ("generation", "stream"), [
        {"generation": generation, "stream": s, "last_seq": seq} for s, seq in positions.items()])
    await session.execute(update(Generation).where(Generation.id == previous)
                          .values(state="retired"))
    await session.execute(update(Generation).where(Generation.id == generation).values(
        state="active", swapped_at=datetime.now(UTC), events_folded=events_folded))
    await session.execute(update(ReportState).where(ReportState.id == 1)
                          .values(active_generation=generation))
    return previous


async def drop_generation_rows(session: AsyncSession, generation: int) -> None:
    """Delete a generation's projection rows (after a swap, or of an abandoned rebuild)."""
    for model in PROJECTIONS:
        await session.execute(delete(model).where(
            model.generation == generation))  # type: ignore[attr-defined]


async def retire(session: AsyncSession, generation: int) -> None:
    """Drop a replaced generation's rows and its record."""
    await drop_generation_rows(session, generation)
    await session.execute(delete(Generation).where(Generation.id == generation))
