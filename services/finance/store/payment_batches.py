"""The payment run's storage: SQLAlchemy Core statements on the unit of work's connection.

A run pays up to 100k grants a month; it reads grants and loonwaarden as plain rows, bulk
inserts its lines and moves its counters with one UPDATE per batch, so neither the ORM's
identity map nor its change tracking sits on this path. The run has no caller: it goes by its
own id and gemeente.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, Table, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.finance.domain.lks import WageValuePeriod
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
# (id, candidate, employer KvK, hours a week, hourly wage, valid from, end, birth date)
GrantRow = tuple[uuid.UUID, uuid.UUID, str, Decimal, Decimal, date, date | None, date | None]


@dataclass(frozen=True)
class GrantToPay:
    """A grant the run pays, with its candidate's loonwaarden (oldest first)."""

    row: GrantRow
    wage_values: list[WageValuePeriod]


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
        where = grants_in_month(gemeente, first, last)
        if lower is not None:
            where = and_(where, GRANTS.c.id > lower)
        if upper is not None:
            where = and_(where, GRANTS.c.id <= upper)
        query = (select(*GRANT_COLUMNS, CANDIDATES.c.birth_date, WAGE_VALUES.c.measured_at,
                        WAGE_VALUES.c.valid_until, WAGE_VALUES.c.wage_value_pct)
                 .outerjoin(CANDIDATES, CANDIDATES.c.candidate_id == GRANTS.c.candidate_id)
                 .outerjoin(WAGE_VALUES, WAGE_VALUES.c.candidate_id == GRANTS.c.candidate_id)
                 .where(where)
                 .order_by(GRANTS.c.id, WAGE_VALUES.c.measured_at,
                           WAGE_VALUES.c.measurement_id))
        grants: list[GrantToPay] = []
        previous = None
        wage_values: list[WageValuePeriod] = []
        for row in await self._rows(query):
            if row[0] != previous:
                previous, wage_values = row[0], []
                grants.append(GrantToPay(cast(GrantRow, tuple(row[:8])), wage_values))
            if row[8] is not None:
                wage_values.append(WageValuePeriod(row[8], row[9], row[10]))
        return grants

    async def _rows(self, query: Select[Any]) -> Sequence[Sequence[Any]]:
        """The rows of a read, as the driver returns them on Postgres (asyncpg records: no
        SQLAlchemy result processing for a hundred thousand rows; the values are literals
        SQLAlchemy rendered), through Core elsewhere."""
        connection = await self._connection()
        if connection.dialect.driver != "asyncpg":
            found: Sequence[Sequence[Any]] = (await connection.execute(query)).all()
            return found
        sql = str(query.compile(dialect=connection.dialect,
                                compile_kwargs={"literal_binds": True}))
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        rows: Sequence[Sequence[Any]] = await raw.fetch(sql)
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
