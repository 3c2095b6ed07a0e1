"""The payment run's storage: SQLAlchemy Core statements on the unit of work's connection.

A run pays up to 100k grants a month; it reads grants and loonwaarden as plain rows, bulk
inserts its lines and moves its counters with one UPDATE per batch, so neither the ORM's
identity map nor its change tracking sits on this path. The run has no caller: it goes by its
own id and gemeente.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.finance.domain.lks import WageValuePeriod
from services.finance.store.models import (
    COMPLETED,
    Candidate,
    Grant,
    PaymentLine,
    PaymentRun,
    WageValue,
)
from services.finance.store.queries import grants_in_month

RUNS = cast(Table, PaymentRun.__table__)
LINES = cast(Table, PaymentLine.__table__)
GRANTS = cast(Table, Grant.__table__)
CANDIDATES = cast(Table, Candidate.__table__)
WAGE_VALUES = cast(Table, WageValue.__table__)
GRANT_COLUMNS = (GRANTS.c.id, GRANTS.c.candidate_id, GRANTS.c.employer_kvk,
                 GRANTS.c.hours_per_week, GRANTS.c.hourly_wage, GRANTS.c.valid_from,
                 GRANTS.c.end_date)
# (id, candidate, employer KvK, hours a week, hourly wage, valid from, end, birth date)
GrantRow = tuple[uuid.UUID, uuid.UUID, str, Decimal, Decimal, date, date | None, date | None]


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

    async def run_state(self, run_id: uuid.UUID, *, lock: bool) -> RunState | None:
        """The run, locked until the unit of work ends where supported (one worker a run)."""
        query = select(RUNS.c.id, RUNS.c.gemeente, RUNS.c.month, RUNS.c.status,
                       RUNS.c.total_grants, RUNS.c.processed, RUNS.c.payment_count,
                       RUNS.c.total_amount, RUNS.c.last_grant_id).where(RUNS.c.id == run_id)
        if lock:
            query = query.with_for_update()
        row = (await (await self._connection()).execute(query)).first()
        return None if row is None else RunState(*row)

    async def count(self, gemeente: str, first: date, last: date) -> int:
        """How many grants a run of this gemeente and month goes through."""
        return int(await self.session.scalar(
            select(func.count()).select_from(GRANTS).where(grants_in_month(gemeente, first,
                                                                           last))) or 0)

    def _batch(self, run: RunState, first: date, last: date) -> Any:
        where = grants_in_month(run.gemeente, first, last)
        if run.last_grant_id is not None:
            where = and_(where, GRANTS.c.id > run.last_grant_id)
        return where

    async def next_grants(self, run: RunState, first: date, last: date,
                          size: int) -> list[GrantRow]:
        """The next `size` grants after the run's cursor, in id order, with the birth date
        (outer join: unknown → the adult WML) for the jeugd-WML split."""
        query = (select(*GRANT_COLUMNS, CANDIDATES.c.birth_date)
                 .outerjoin(CANDIDATES, CANDIDATES.c.candidate_id == GRANTS.c.candidate_id)
                 .where(self._batch(run, first, last)).order_by(GRANTS.c.id).limit(size))
        result = await (await self._connection()).execute(query)
        return cast(list[GrantRow], result.all())

    async def wage_values(self, run: RunState, last_id: uuid.UUID, first: date,
                          last: date) -> dict[uuid.UUID, list[WageValuePeriod]]:
        """The loonwaarden of the batch's candidates, oldest first, by a join on the batch's id
        range (an IN list of thousands of ids costs more to render and plan than the join)."""
        query = (select(WAGE_VALUES.c.candidate_id, WAGE_VALUES.c.measured_at,
                        WAGE_VALUES.c.valid_until, WAGE_VALUES.c.wage_value_pct)
                 .join(GRANTS, GRANTS.c.candidate_id == WAGE_VALUES.c.candidate_id)
                 .where(self._batch(run, first, last), GRANTS.c.id <= last_id)
                 .order_by(WAGE_VALUES.c.measured_at, WAGE_VALUES.c.measurement_id))
        found: dict[uuid.UUID, list[WageValuePeriod]] = {}
        for candidate, measured, valid_until, pct in await (await self._connection()).execute(
                query):
            found.setdefault(candidate, []).append(WageValuePeriod(measured, valid_until, pct))
        return found

    async def insert_lines(self, run: RunState,
                           lines: list[tuple[uuid.UUID, str, Decimal]]) -> None:
        """The batch's payment lines in one executemany."""
        if lines:
            await (await self._connection()).execute(insert(LINES), [
                {"run_id": run.id, "month": run.month, "gemeente": run.gemeente,
                 "grant_id": grant_id, "employer_kvk": kvk, "amount": amount}
                for grant_id, kvk, amount in lines])

    async def advance(self, run: RunState, *, processed: int, payments: int, amount: Decimal,
                      last_grant_id: uuid.UUID) -> None:
        """Move the run's counters and cursor past the batch (committed with its lines)."""
        run.processed += processed
        run.payment_count += payments
        run.total_amount += amount
        run.last_grant_id = last_grant_id
        await (await self._connection()).execute(update(RUNS).where(RUNS.c.id == run.id).values(
            processed=run.processed, payment_count=run.payment_count,
            total_amount=run.total_amount, last_grant_id=last_grant_id))

    async def complete(self, run: RunState, now: datetime) -> None:
        """Mark the run completed."""
        run.status = COMPLETED
        run.total_grants = max(run.total_grants, run.processed)
        await (await self._connection()).execute(update(RUNS).where(RUNS.c.id == run.id).values(
            status=COMPLETED, completed_at=now, total_grants=run.total_grants))
