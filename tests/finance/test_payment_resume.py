"""A payment run stopped half-way: it goes on from its cursor and pays every grant once; a
worker whose batch starts where the run no longer stands writes nothing."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from services.finance.commands import DecideGrant, StartPaymentRun
from services.finance.domain import lks
from services.finance.handlers import grant_decisions, payment_runs, payments
from services.finance.store.models import Grant, PaymentLine, PaymentRun
from services.finance.store.payment_batches import GrantsToPay
from services.finance.unit_of_work import FinanceRuntime
from shared.auth import Role
from tests.finance.conftest import BOXTEL, FAR, pending_grant, staff

CONTROLLER = staff(BOXTEL, Role.CONTROLLER)


async def decided_grant(runtime: FinanceRuntime, pct: int) -> Grant:
    """A candidate's loonwaarde and LKS placement from 1 January, decided as proposed."""
    grant = await pending_grant(runtime, pct)
    async with runtime.begin(CONTROLLER) as uow:
        await grant_decisions.decide_grant(uow, DecideGrant(
            grant_id=grant.id, decision_number="LKS-2026-0001", start=grant.valid_from,
            monthly_amount=grant.monthly_amount, wage_value_pct=grant.wage_value_pct,
            reassessment_date=FAR))
    return grant


async def started_run(runtime: FinanceRuntime) -> uuid.UUID:
    """January's run of Boxtel, created (not yet worked)."""
    async with runtime.begin(CONTROLLER) as uow:
        run = await payment_runs.start_payment_run(uow, StartPaymentRun(
            gemeente=BOXTEL, month="2026-01", today=date(2026, 1, 31), lead_days=0))
    return run.id


async def stored(runtime: FinanceRuntime, run_id: uuid.UUID
                 ) -> tuple[PaymentRun, list[tuple[uuid.UUID, Decimal]]]:
    """The run as stored and its lines (grant, amount) in the order they were paid."""
    async with runtime.transaction() as session:
        run = await session.get(PaymentRun, run_id)
        lines = (await session.execute(select(PaymentLine.grant_id, PaymentLine.amount)
                                       .where(PaymentLine.run_id == run_id)
                                       .order_by(PaymentLine.id))).all()
    assert run is not None
    return run, [(grant_id, amount) for grant_id, amount in lines]


async def first_batch(runtime: FinanceRuntime, run_id: uuid.UUID, size: int
                      ) -> tuple[GrantsToPay, list[payments.Line]]:
    """The run's first `size` grants as a worker reads them, and the lines it computes."""
    async with runtime.begin() as uow:
        run = await uow.payment_batches.run_state(run_id)
        assert run is not None
        first, last = lks.month_bounds(payments.month_start(run.month))
        (upper, *_) = await uow.payment_batches.boundaries(run, first, last, size)
        table = await uow.parameters.table()
    batch = await payments.read_batch(runtime, run, None, upper)
    return batch, await payments.amounts_yielding(batch, first, table)


async def test_a_stopped_run_goes_on_from_its_cursor_and_pays_each_grant_once(
        runtime: FinanceRuntime) -> None:
    decided = [await decided_grant(runtime, pct) for pct in (50, 20, 90, 60, 35)]
    run_id = await started_run(runtime)
    batch, lines = await first_batch(runtime, run_id, 2)
    # A worker pays the first batch and stops (its process ends before the next one).
    assert await payments.write_batch(runtime, run_id, None, batch, lines,
                                      last=False) == payments.PAID
    half, paid = await stored(runtime, run_id)
    assert (half.status, half.processed, half.last_grant_id) == ("running", 2, batch.ids[-1])
    assert [grant_id for grant_id, _ in paid] == batch.ids

    # A second worker that read the same batch before the first paid it writes nothing.
    assert await payments.write_batch(runtime, run_id, None, batch, lines,
                                      last=False) == payments.MOVED
    assert (await stored(runtime, run_id))[1] == paid

    # The run resumed (as at start-up) pays the rest, once each, in id order.
    assert await payments.unfinished_runs(runtime) == [run_id]
    await payments.execute_run(runtime, run_id, batch_size=2)
    done, paid = await stored(runtime, run_id)
    by_id = sorted(decided, key=lambda grant: grant.id)
    assert [grant_id for grant_id, _ in paid] == [grant.id for grant in by_id]
    assert paid == [(grant.id, grant.monthly_amount) for grant in by_id]
    assert (done.status, done.processed, done.payment_count) == ("completed", 5, 5)
    assert done.total_amount == sum((grant.monthly_amount for grant in decided), Decimal(0))
    assert await payments.unfinished_runs(runtime) == []

    # Late writers of a completed run: nothing more is written, the run stays as it is.
    assert await payments.write_batch(runtime, run_id, batch.ids[-1], batch, lines,
                                      last=True) == payments.DONE
    await payments.execute_run(runtime, run_id, batch_size=2)
    async with runtime.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(PaymentLine))
    assert count == 5
    assert (await stored(runtime, run_id))[0].total_amount == done.total_amount
