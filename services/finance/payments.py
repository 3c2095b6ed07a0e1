"""Monthly payment runs: every running grant of a gemeente paid once for a month, in batches.

A run is created once per (gemeente, month) — a unique constraint, so a second request pays
nothing — and then works through the month's grants in id order, one transaction per batch:
the lines (a Core bulk insert), the progress counters and a keyset cursor are committed
together, so a run stopped half-way goes on where it stopped and never pays a grant twice
(`payment_lines` is also unique per grant and month). The last transaction marks the run
completed and publishes `finance.payment-run-completed`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import budgets
from services.finance.domain import lks
from services.finance.domain.parameters import ParameterTable
from services.finance.store.models import (
    COMPLETED,
    RUNNING,
    Candidate,
    Grant,
    PaymentLine,
    PaymentRun,
    WageValue,
)
from services.finance.store.repository import (
    grants_in_month,
    load_parameters,
)
from shared.bus.outbox import add_event
from shared.events.finance import PaymentRunCompleted
from shared.logging import get_logger

log = get_logger(__name__)
UnitOfWork = Callable[[], AbstractAsyncContextManager[AsyncSession]]
_GRANTS = Grant.__table__.c
PAYMENT_LINES = cast(Table, PaymentLine.__table__)
_CANDIDATES = Candidate.__table__.c
GRANT_COLUMNS = (_GRANTS.id, _GRANTS.candidate_id, _GRANTS.employer_kvk, _GRANTS.hours_per_week,
                 _GRANTS.hourly_wage, _GRANTS.valid_from, _GRANTS.end_date)


def month_start(month: str) -> date:
    """"2026-01" → 2026-01-01 (the format is checked by the API schema)."""
    return date(int(month[:4]), int(month[5:7]), 1)


async def count_grants(session: AsyncSession, gemeente: str, month: str) -> int:
    """How many grants the run will go through."""
    first, last = lks.month_bounds(month_start(month))
    return int(await session.scalar(
        select(func.count()).select_from(Grant).where(grants_in_month(gemeente, first, last)))
        or 0)


async def existing_run(session: AsyncSession, gemeente: str, month: str) -> PaymentRun | None:
    """The run of this gemeente and month, if there is one."""
    return await session.scalar(select(PaymentRun).where(
        PaymentRun.gemeente == gemeente, PaymentRun.month == month))


async def create_run(session: AsyncSession, *, gemeente: str, month: str,
                     started_by: str) -> PaymentRun:
    """A new run with its total; the caller checked that none exists (the constraint too)."""
    run = PaymentRun(id=uuid.uuid4(), gemeente=gemeente, month=month, status=RUNNING,
                     total_grants=await count_grants(session, gemeente, month), processed=0,
                     payment_count=0, total_amount=Decimal(0), last_grant_id=None,
                     started_by=started_by, created_at=datetime.now(UTC))
    session.add(run)
    await session.flush()
    return run


def line_amounts(rows: list[Any], month: date, table: ParameterTable,
                 periods: dict[uuid.UUID, list[lks.WageValuePeriod]]) -> list[dict[str, Any]]:
    """The month's amount per grant row (the domain's split by days); zero amounts pay nothing."""
    lines: list[dict[str, Any]] = []
    for grant_id, candidate_id, kvk, hours, wage, valid_from, end_date, birth_date in rows:
        terms = lks.GrantTerms(start=valid_from, end=end_date, hours_per_week=hours,
                               hourly_wage=wage, wage_values=periods.get(candidate_id, ()),
                               birth_date=birth_date)
        amount = lks.month_amount(terms, month, table)
        if amount > 0:
            lines.append({"grant_id": grant_id, "employer_kvk": kvk, "amount": amount})
    return lines


async def run_batch(session: AsyncSession, run: PaymentRun, table: ParameterTable,
                    batch_size: int) -> int:
    """Pay the next batch of grants; returns how many grants it went through."""
    first, last = lks.month_bounds(month_start(run.month))
    # The birth date rides along (outer join: unknown → adult WML) for the jeugd-WML split.
    query = select(*GRANT_COLUMNS, _CANDIDATES.birth_date).outerjoin(
        Candidate.__table__, _CANDIDATES.candidate_id == _GRANTS.candidate_id).where(
        grants_in_month(run.gemeente, first, last))
    if run.last_grant_id is not None:
        query = query.where(Grant.id > run.last_grant_id)
    connection = await session.connection()  # Core: rows, not ORM result processing
    rows = list((await connection.execute(query.order_by(Grant.id).limit(batch_size))).all())
    if not rows:
        return 0
    periods = await _batch_wage_values(session, run, rows[-1][0], first, last)
    lines = line_amounts(rows, first, table, periods)
    if lines:
        for line in lines:
            line.update(run_id=run.id, month=run.month, gemeente=run.gemeente)
        # The table, not the mapped class: a plain Core executemany, no ORM bulk bookkeeping.
        await session.execute(insert(PAYMENT_LINES), lines)
    run.processed += len(rows)
    run.payment_count += len(lines)
    run.total_amount += sum((line["amount"] for line in lines), Decimal(0))
    run.last_grant_id = rows[-1][0]
    return len(rows)


async def _batch_wage_values(session: AsyncSession, run: PaymentRun, last_id: uuid.UUID,
                             first: date, last: date) -> dict[uuid.UUID, list[lks.WageValuePeriod]]:
    """The loonwaarden of the batch's candidates, by a join on the batch's id range (an IN list
    of thousands of ids costs more to render and plan than the join)."""
    wage_values = WageValue.__table__.c
    batch = and_(grants_in_month(run.gemeente, first, last), _GRANTS.id <= last_id)
    if run.last_grant_id is not None:
        batch = and_(batch, _GRANTS.id > run.last_grant_id)
    query = (select(wage_values.candidate_id, wage_values.measured_at, wage_values.valid_until,
                    wage_values.wage_value_pct)
             .join(Grant.__table__, _GRANTS.candidate_id == wage_values.candidate_id)
             .where(batch).order_by(wage_values.measured_at, wage_values.measurement_id))
    found: dict[uuid.UUID, list[lks.WageValuePeriod]] = {}
    for candidate, measured, valid_until, pct in await (await session.connection()).execute(
            query):
        found.setdefault(candidate, []).append(lks.WageValuePeriod(measured, valid_until, pct))
    return found


async def complete(session: AsyncSession, run: PaymentRun, oin: str) -> None:
    """Mark the run done, announce it, and check the LKS budget line."""
    now = datetime.now(UTC)
    run.status, run.completed_at = COMPLETED, now
    run.total_grants = max(run.total_grants, run.processed)
    add_event(session, PaymentRunCompleted(
        run_id=run.id, gemeente=run.gemeente, month=run.month, payment_count=run.payment_count,
        total_amount=run.total_amount, completed_at=now),
        gemeente=run.gemeente, subject_id=str(run.id), oin=oin)
    await budgets.check_lks(session, run.gemeente, int(run.month[:4]), oin)


async def execute_run(unit_of_work: UnitOfWork, run_id: uuid.UUID, *, batch_size: int,
                      oin: str, lock: bool) -> None:
    """Work a run to its end, one transaction per batch (safe to call again after a stop)."""
    async with unit_of_work() as session:
        table = await load_parameters(session)
    while True:
        async with unit_of_work() as session:
            run = await session.get(PaymentRun, run_id, with_for_update=lock,
                                    populate_existing=True)
            if run is None or run.status == COMPLETED:
                return
            if await run_batch(session, run, table, batch_size) == 0:
                await complete(session, run, oin)
                log.info("finance.payment_run_completed", run_id=str(run.id),
                         payments=run.payment_count)
                return


async def unfinished_runs(session: AsyncSession) -> list[uuid.UUID]:
    """Runs a stopped process left half-way (resumed at start-up)."""
    return list((await session.scalars(
        select(PaymentRun.id).where(PaymentRun.status == RUNNING))).all())


async def lines_of(session: AsyncSession, run_id: uuid.UUID,
                   chunk: int = 5000) -> AsyncIterator[list[tuple[Any, ...]]]:
    """A run's lines in chunks (the CSV streams them; a large run never sits in memory)."""
    after = 0
    while True:
        rows = list((await session.execute(
            select(PaymentLine.id, PaymentLine.grant_id, PaymentLine.employer_kvk,
                   PaymentLine.amount)
            .where(PaymentLine.run_id == run_id, PaymentLine.id > after)
            .order_by(PaymentLine.id).limit(chunk))).all())
        if not rows:
            return
        after = rows[-1][0]
        yield [tuple(row) for row in rows]
