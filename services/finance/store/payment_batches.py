"""The payment run's storage: SQLAlchemy Core statements on the unit of work's connection.

A run pays up to 100k grants a month; it reads grants and loonwaarden as plain rows, bulk
inserts its lines and moves its counters with one UPDATE per batch, so neither the ORM's
identity map nor its change tracking sits on this path. The run has no caller: it goes by its
own id and gemeente.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, cast

from sqlalchemy import Dialect, Select, Table, and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.finance.domain.statuses import COMPLETED, RUNNING
from services.finance.store.models import Candidate, Grant, PaymentLine, PaymentRun, WageValue
from services.finance.store.queries import grants_in_month

RUNS = cast(Table, PaymentRun.__table__)
LINES = cast(Table, PaymentLine.__table__)
GRANTS = cast(Table, Grant.__table__)
CANDIDATES = cast(Table, Candidate.__table__)
WAGE_VALUES = cast(Table, WageValue.__table__)
GRANT_COLUMNS = (GRANTS.c.id, GRANTS.c.candidate_id, GRANTS.c.employer_kvk,
                 GRANTS.c.hours_per_week, GRANTS.c.hourly_wage, GRANTS.c.valid_from,
                 GRANTS.c.end_date)
RUN_COLUMNS = (RUNS.c.id, RUNS.c.gemeente, RUNS.c.month, RUNS.c.status, RUNS.c.total_grants,
               RUNS.c.processed, RUNS.c.payment_count, RUNS.c.total_amount,
               RUNS.c.last_grant_id)
COPY_COLUMNS = ("run_id", "grant_id", "month", "gemeente", "employer_kvk", "amount")
# What the run reads of a grant, in GrantToPay's order, and of each of its loonwaarden.
PAY_COLUMNS = (GRANTS.c.id, GRANTS.c.employer_kvk, GRANTS.c.hours_per_week,
               GRANTS.c.hourly_wage, GRANTS.c.valid_from, GRANTS.c.end_date,
               CANDIDATES.c.birth_date, WAGE_VALUES.c.measured_at, WAGE_VALUES.c.valid_until,
               WAGE_VALUES.c.wage_value_pct)
# A loonwaarde as read: (measured at, valid until, percentage).
WageValueRow = tuple[date, date, int]


class GrantToPay(NamedTuple):
    """A grant the run pays: what the month split needs of it, and its candidate's
    loonwaarden oldest first.

    One tuple per grant (its loonwaarden plain tuples), not objects: a batch read ahead waits
    in memory while the one before it is computed, and every object alive then is one more
    for the garbage collector to walk. The domain's objects are made per grant as it is
    computed, and dropped with it."""

    id: uuid.UUID
    employer_kvk: str
    hours_per_week: Decimal
    hourly_wage: Decimal
    valid_from: date
    end_date: date | None
    birth_date: date | None  # unknown: the adult WML
    wage_values: tuple[WageValueRow, ...]


@dataclass
class RunState:
    """A run's row as the batches move it on (a plain object, not a tracked ORM instance)."""

    id: uuid.UUID
    gemeente: str
    month: str
    status: str
    total_grants: int
    processed: int
    payment_count: int
    total_amount: Decimal
    last_grant_id: uuid.UUID | None


@functools.cache
def batch_query(lower: bool, upper: bool) -> Select[Any]:
    """A batch's read: the month's grants of a gemeente after `lower` and up to `upper` (each
    bound only when there is one), joined to birth dates and loonwaarden; the values are
    bound when it runs (`gemeente`, `first`, `last`, `lower`, `upper`)."""
    where = grants_in_month(bindparam("gemeente", None), bindparam("first", None),
                             bindparam("last", None))
    if lower:
        where = and_(where, GRANTS.c.id > bindparam("lower", None))
    if upper:
        where = and_(where, GRANTS.c.id <= bindparam("upper", None))
    return (select(*PAY_COLUMNS)
            .outerjoin(CANDIDATES, CANDIDATES.c.candidate_id == GRANTS.c.candidate_id)
            .outerjoin(WAGE_VALUES, WAGE_VALUES.c.candidate_id == GRANTS.c.candidate_id)
            .where(where)
            .order_by(GRANTS.c.id, WAGE_VALUES.c.measured_at, WAGE_VALUES.c.measurement_id))


_RENDERED: dict[tuple[bool, bool, str], tuple[str, tuple[str, ...], dict[str, Any]]] = {}


def _rendered(lower: bool, upper: bool, dialect: Dialect
              ) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """A batch read's SQL for the driver, its parameters' names in their positions and the
    values fixed in the statement (the decided statuses): rendered once, not per batch."""
    key = (lower, upper, dialect.name)
    if key not in _RENDERED:
        compiled = batch_query(lower, upper).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True})
        _RENDERED[key] = (compiled.string, tuple(compiled.positiontup or ()),
                          dict(compiled.params))
    return _RENDERED[key]


class PaymentBatches:
    """The payment run's reads and writes, batch by batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _connection(self) -> AsyncConnection:
        return await self.session.connection()

    async def run_state(self, run_id: uuid.UUID) -> RunState | None:
        """The run as it stands (not locked: `advance` locks it when it writes)."""
        row = (await (await self._connection()).execute(
            select(*RUN_COLUMNS).where(RUNS.c.id == run_id))).first()
        return None if row is None else RunState(*row)

    async def count(self, gemeente: str, first: date, last: date) -> int:
        """How many grants a run of this gemeente and month goes through."""
        return int(await self.session.scalar(
            select(func.count()).select_from(GRANTS).where(grants_in_month(gemeente, first,
                                                                           last))) or 0)

    async def boundaries(self, run: RunState, first: date, last: date,
                         size: int) -> list[uuid.UUID]:
        """The id of every `size`-th grant still to pay, in id order: the batches' upper
        bounds, found in one statement per run.

        Each batch then reads one id range (`> lower AND <= upper`) instead of "the next `size`
        after the cursor", which makes the database find and sort every grant still to pay once
        per batch (quadratic in the month's grants when the planner has no statistics).
        """
        remaining = grants_in_month(run.gemeente, first, last)
        if run.last_grant_id is not None:
            remaining = and_(remaining, GRANTS.c.id > run.last_grant_id)
        numbered = select(GRANTS.c.id, func.row_number().over(order_by=GRANTS.c.id)
                          .label("position")).where(remaining).subquery()
        result = await (await self._connection()).execute(
            select(numbered.c.id).where(numbered.c.position % size == 0)
            .order_by(numbered.c.id))
        return [grant_id for (grant_id,) in result]

    async def grants_between(self, gemeente: str, first: date, last: date,
                             lower: uuid.UUID | None,
                             upper: uuid.UUID | None) -> list[GrantToPay]:
        """The month's grants after `lower` up to `upper` (None: no bound) in id order, each
        with its birth date (outer join: unknown → the adult WML) and its candidate's
        loonwaarden oldest first: one statement, a row per loonwaarde."""
        rows = await self._rows(lower is not None, upper is not None, {
            "gemeente": gemeente, "first": first, "last": last, "lower": lower,
            "upper": upper})
        grants: list[GrantToPay] = []
        append = grants.append
        previous = None
        for grant_id, kvk, hours, wage, start, end, birth, measured, until, pct in rows:
            if grant_id != previous:
                previous = grant_id
                append(GrantToPay(grant_id, kvk, hours, wage, start, end, birth,
                                  () if measured is None else ((measured, until, pct),)))
            elif measured is not None:  # a later loonwaarde of the same grant
                grants[-1] = grants[-1]._replace(
                    wage_values=(*grants[-1].wage_values, (measured, until, pct)))
        return grants

    async def _rows(self, lower: bool, upper: bool, values: dict[str, Any]
                    ) -> Sequence[Sequence[Any]]:
        """The rows of a read, as the driver returns them on Postgres (asyncpg records: no
        SQLAlchemy result processing for a hundred thousand rows; the statement rendered once,
        prepared once per connection), through Core elsewhere."""
        connection = await self._connection()
        if connection.dialect.driver != "asyncpg":
            found: Sequence[Sequence[Any]] = (
                await connection.execute(batch_query(lower, upper), values)).all()
            return found
        sql, names, fixed = _rendered(lower, upper, connection.dialect)
        values = {**fixed, **values}
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        rows: Sequence[Sequence[Any]] = await raw.fetch(sql, *[values[name] for name in names])
        return rows

    async def insert_lines(self, run: RunState,
                           lines: list[tuple[uuid.UUID, str, Decimal]]) -> None:
        """The batch's payment lines: COPY through the driver on Postgres (no statement to
        render and bind per row), one Core executemany elsewhere."""
        if not lines:
            return
        connection = await self._connection()
        if connection.dialect.driver == "asyncpg":
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.copy_records_to_table(
                LINES.name, columns=COPY_COLUMNS, records=[
                    (run.id, grant_id, run.month, run.gemeente, kvk, amount)
                    for grant_id, kvk, amount in lines])
            return
        await connection.execute(insert(LINES), [
            {"run_id": run.id, "month": run.month, "gemeente": run.gemeente,
             "grant_id": grant_id, "employer_kvk": kvk, "amount": amount}
            for grant_id, kvk, amount in lines])

    async def advance(self, run_id: uuid.UUID, cursor: uuid.UUID | None, *, processed: int,
                      payments: int, amount: Decimal,
                      last_grant_id: uuid.UUID | None) -> RunState | None:
        """Move a running run's counters and cursor past a batch that starts at `cursor`, in
        one UPDATE that also locks the run until the unit of work ends; the run as it is then,
        or None when it is not running or its cursor is elsewhere (nothing changed)."""
        row = (await (await self._connection()).execute(
            update(RUNS)
            .where(RUNS.c.id == run_id, RUNS.c.status == RUNNING,
                   RUNS.c.last_grant_id.is_not_distinct_from(cursor))
            .values(processed=RUNS.c.processed + processed,
                    payment_count=RUNS.c.payment_count + payments,
                    total_amount=RUNS.c.total_amount + amount,
                    last_grant_id=last_grant_id)
            .returning(*RUN_COLUMNS))).first()
        return None if row is None else RunState(*row)

    async def complete(self, run: RunState, now: datetime) -> None:
        """Mark the run completed."""
        run.status = COMPLETED
        run.total_grants = max(run.total_grants, run.processed)
        await (await self._connection()).execute(update(RUNS).where(RUNS.c.id == run.id).values(
            status=COMPLETED, completed_at=now, total_grants=run.total_grants))
