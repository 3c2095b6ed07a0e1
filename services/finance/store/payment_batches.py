"""The payment run's storage: SQLAlchemy Core statements on the unit of work's connection.

A run pays up to 100k grants a month; it reads grants and loonwaarden as plain rows and pays a
batch (its lines and the run's counters) with one statement, so neither the ORM's identity map
nor its change tracking sits on this path. The run has no caller: it goes by its
own id and gemeente.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Dialect, Select, Table, Text, and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.finance.domain.lks import GrantTerms, WageValuePeriod
from services.finance.domain.statuses import COMPLETED, RUNNING
from services.finance.store.models import Candidate, Grant, PaymentLine, PaymentRun, WageValue
from services.finance.store.queries import grants_in_month
from shared.db import Storage

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
# A batch paid in one statement on Postgres: the run's counters and cursor moved (the UPDATE
# locks the run; it matches only a running run whose cursor is where the batch starts) and the
# lines inserted in their order, for the run the UPDATE returned: none when it matched nothing.
# $1 run, $2 running, $3 cursor, $4 processed, $5 lines, $6 amount, $7 the batch's last grant;
# $8 the grant ids and $10 the amounts each as one comma-separated text, $9 the employers' KvK
# numbers (free text, so an array). The driver encodes an array element by element, checking
# each for a nested array: for the amounts four times the cost of the other two arrays, and
# the ids' array alone cost about 1.5% of the run's Python time.
PAY_BATCH = f"""
WITH advanced AS (
    UPDATE {RUNS.name}
    SET processed = processed + $4::integer, payment_count = payment_count + $5::integer,
        total_amount = total_amount + $6::numeric, last_grant_id = $7::uuid
    WHERE id = $1::uuid AND status = $2::varchar AND last_grant_id IS NOT DISTINCT FROM $3::uuid
    RETURNING {", ".join(column.name for column in RUN_COLUMNS)}
), paid AS (
    INSERT INTO {LINES.name} (run_id, grant_id, month, gemeente, employer_kvk, amount)
    SELECT advanced.id, line.grant_id, advanced.month, advanced.gemeente, line.employer_kvk,
           line.amount
    FROM advanced, unnest(string_to_array($8::text, ',')::uuid[], $9::varchar[],
                        string_to_array($10::text, ',')::numeric[])
         WITH ORDINALITY AS line (grant_id, employer_kvk, amount, position)
    ORDER BY line.position
)
SELECT * FROM advanced
"""
# What the run reads of a grant and of each of its loonwaarden (grants_between's order).
PAY_COLUMNS = (GRANTS.c.id, GRANTS.c.employer_kvk, GRANTS.c.hours_per_week,
               GRANTS.c.hourly_wage, GRANTS.c.valid_from, GRANTS.c.end_date,
               CANDIDATES.c.birth_date, WAGE_VALUES.c.measured_at, WAGE_VALUES.c.valid_until,
               WAGE_VALUES.c.wage_value_pct)
# The driver's read takes the grant's two numerics as text: asyncpg decodes a binary numeric
# at about twice the cost of the text and a Decimal made of it (about half of the run's
# decoding was numerics).
NUMBERS = (GRANTS.c.hours_per_week, GRANTS.c.hourly_wage)
DRIVER_PAY_COLUMNS = tuple(column.cast(Text) if any(column is n for n in NUMBERS) else column
                           for column in PAY_COLUMNS)


@dataclass(frozen=True, slots=True)
class GrantsToPay:
    """A batch of the month's grants in id order, as parallel lists: the grants' ids, their
    employers' KvK numbers and the terms the domain splits by days (each with its candidate's
    birth date and loonwaarden oldest first).

    Lists rather than an object per grant, and the domain's own `GrantTerms` as read: computing
    a batch is then the bare domain loop over `terms`, with nothing rebuilt per grant. A batch
    read ahead waits in memory while the one before it is computed, and every object alive then
    is one more for the garbage collector to walk."""

    ids: list[uuid.UUID]
    employers: list[str]
    terms: list[GrantTerms]

    def __len__(self) -> int:
        return len(self.ids)


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
def batch_query(lower: bool, upper: bool, numbers_as_text: bool = False) -> Select[Any]:
    """A batch's read: the month's grants of a gemeente after `lower` and up to `upper` (each
    bound only when there is one), joined to birth dates and loonwaarden; the values are
    bound when it runs (`gemeente`, `first`, `last`, `lower`, `upper`)."""
    where = grants_in_month(bindparam("gemeente", None), bindparam("first", None),
                             bindparam("last", None))
    if lower:
        where = and_(where, GRANTS.c.id > bindparam("lower", None))
    if upper:
        where = and_(where, GRANTS.c.id <= bindparam("upper", None))
    return (select(*(DRIVER_PAY_COLUMNS if numbers_as_text else PAY_COLUMNS))
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
        compiled = batch_query(lower, upper, numbers_as_text=True).compile(
            dialect=dialect, compile_kwargs={"render_postcompile": True})
        _RENDERED[key] = (compiled.string, tuple(compiled.positiontup or ()),
                          dict(compiled.params))
    return _RENDERED[key]


class PaymentBatches:
    """The payment run's reads and writes, batch by batch."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    async def _connection(self) -> AsyncConnection:
        # Core and the driver only: the run needs no ORM session, so it never makes one.
        return await self.storage.connection()

    async def run_state(self, run_id: uuid.UUID) -> RunState | None:
        """The run as it stands (not locked: `advance` locks it when it writes)."""
        row = (await (await self._connection()).execute(
            select(*RUN_COLUMNS).where(RUNS.c.id == run_id))).first()
        return None if row is None else RunState(*row)

    async def count(self, gemeente: str, first: date, last: date) -> int:
        """How many grants a run of this gemeente and month goes through."""
        return int(await (await self._connection()).scalar(
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
                             lower: uuid.UUID | None, upper: uuid.UUID | None) -> GrantsToPay:
        """The month's grants after `lower` up to `upper` (None: no bound) in id order, each
        with its birth date (outer join: unknown → the adult WML) and its candidate's
        loonwaarden oldest first: one statement, a row per loonwaarde (the driver's rows carry
        the two numerics as text; a Decimal of either is exact)."""
        rows = await self._rows(lower is not None, upper is not None, {
            "gemeente": gemeente, "first": first, "last": last, "lower": lower,
            "upper": upper})
        ids: list[uuid.UUID] = []
        employers: list[str] = []
        terms: list[GrantTerms] = []
        previous = None
        for grant_id, kvk, hours, wage, start, end, birth, measured, until, pct in rows:
            period = () if measured is None else (WageValuePeriod(measured, until, pct),)
            if grant_id != previous:
                previous = grant_id
                ids.append(grant_id)
                employers.append(kvk)
                terms.append(GrantTerms(start, end, Decimal(hours), Decimal(wage), period, birth))
            elif period:  # a later loonwaarde of the same grant
                terms[-1] = terms[-1]._replace(wage_values=(*terms[-1].wage_values, *period))
        return GrantsToPay(ids, employers, terms)

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

    async def pay(self, run_id: uuid.UUID, cursor: uuid.UUID | None, *, processed: int,
                  amount: Decimal, last_grant_id: uuid.UUID | None,
                  lines: list[tuple[uuid.UUID, str, Decimal]]) -> RunState | None:
        """Pay a batch that starts at `cursor`: move the running run's counters and cursor past
        it (the UPDATE locks the run until the unit of work ends) and insert its lines, only
        when the run is running there; the run as it is then, or None (nothing changed).

        On Postgres one statement through the driver (PAY_BATCH: the UPDATE and the INSERT of
        the lines), one round trip instead of an UPDATE and a COPY's two; elsewhere an UPDATE,
        then the lines."""
        raw = await self.storage.driver()
        if raw is not None:
            row = await raw.fetchrow(
                PAY_BATCH, run_id, RUNNING, cursor, processed, len(lines), amount,
                last_grant_id, ",".join([str(grant_id) for grant_id, _, _ in lines]),
                [kvk for _, kvk, _ in lines], ",".join([str(paid) for _, _, paid in lines]))
            return None if row is None else RunState(*row)
        connection = await self._connection()
        found = (await connection.execute(
            update(RUNS)
            .where(RUNS.c.id == run_id, RUNS.c.status == RUNNING,
                   RUNS.c.last_grant_id.is_not_distinct_from(cursor))
            .values(processed=RUNS.c.processed + processed,
                    payment_count=RUNS.c.payment_count + len(lines),
                    total_amount=RUNS.c.total_amount + amount,
                    last_grant_id=last_grant_id)
            .returning(*RUN_COLUMNS))).first()
        if found is None:
            return None
        run = RunState(*found)
        if lines:
            await connection.execute(insert(LINES), [
                {"run_id": run.id, "month": run.month, "gemeente": run.gemeente,
                 "grant_id": grant_id, "employer_kvk": kvk, "amount": paid}
                for grant_id, kvk, paid in lines])
        return run

    async def complete(self, run: RunState, now: datetime) -> None:
        """Mark the run completed."""
        run.status = COMPLETED
        run.total_grants = max(run.total_grants, run.processed)
        await (await self._connection()).execute(update(RUNS).where(RUNS.c.id == run.id).values(
            status=COMPLETED, completed_at=now, total_grants=run.total_grants))
