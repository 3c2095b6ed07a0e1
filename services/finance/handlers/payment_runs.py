"""Starting a payment run: the gemeente's month, once, and only once the month may be paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import payments
from services.finance.commands import ReadPaymentLines, StartPaymentRun
from services.finance.domain.parameters import MissingParameter
from services.finance.domain.schedule import first_run_day, may_run
from services.finance.store.models import PaymentLine, PaymentRun
from services.finance.store.repository import load_parameters
from shared.problems import BadRequest, Conflict, InvalidParam, NotFound


def already(run: PaymentRun) -> Conflict:
    """The 409 naming the run a month already has."""
    return Conflict(f"{run.gemeente} {run.month} has payment run {run.id} already; a month is "
                    "paid once", extra={"existingRun": f"/v1/payment-runs/{run.id}"})


async def start_payment_run(session: AsyncSession, *, command: StartPaymentRun) -> PaymentRun:
    """Create the run (the caller's background works it): 400 for a month that may not be paid
    yet or has no parameters, 409 when the month has a run already."""
    start = payments.month_start(command.month)
    if not may_run(start, command.today, command.lead_days):
        first = first_run_day(start, command.lead_days)
        raise BadRequest(
            f"{command.month} may not be paid yet: a run for it may be made from "
            f"{first.isoformat()}",
            invalid_params=[InvalidParam("month", f"not before {first.isoformat()}")],
            extra={"firstRunDay": first.isoformat()})
    try:
        (await load_parameters(session)).lks_rows_on(start)
    except MissingParameter as exc:
        raise BadRequest(f"no parameters: {exc}", invalid_params=[
            InvalidParam("month", "no parameters for this month")]) from exc
    found = await payments.existing_run(session, command.gemeente, command.month)
    if found is not None:
        raise already(found)
    try:
        return await payments.create_run(session, gemeente=command.gemeente,
                                         month=command.month, started_by=command.started_by)
    except IntegrityError as exc:  # a concurrent twin created it first
        raise Conflict(f"{command.gemeente} {command.month} has a payment run already; a month "
                       "is paid once") from exc


@dataclass(frozen=True)
class PaymentLineRow:
    """One payment of a run: the grant, the employer paid and the amount."""

    grant_id: UUID
    employer_kvk: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentLinesPage:
    """A page of a run's lines and how many the run has."""

    lines: list[PaymentLineRow]
    total: int


async def visible_run(session: AsyncSession, *, run_id: UUID, gemeente: str) -> PaymentRun:
    """The run when it is this gemeente's; 404 otherwise (another gemeente's run is not
    admitted to exist)."""
    run = await session.get(PaymentRun, run_id)
    if run is None or run.gemeente != gemeente:
        raise NotFound(f"no payment run {run_id} for this organisation")
    return run


async def payment_lines(session: AsyncSession, *, query: ReadPaymentLines) -> PaymentLinesPage:
    """A page of the run's lines in the CSV's order (line id: the order they were paid in)."""
    await visible_run(session, run_id=query.run_id, gemeente=query.gemeente)
    of_run = PaymentLine.run_id == query.run_id
    total = int(await session.scalar(
        select(func.count()).select_from(PaymentLine).where(of_run)) or 0)
    rows = (await session.execute(
        select(PaymentLine.grant_id, PaymentLine.employer_kvk, PaymentLine.amount)
        .where(of_run).order_by(PaymentLine.id)
        .offset((query.page - 1) * query.page_size).limit(query.page_size))).all()
    return PaymentLinesPage(lines=[PaymentLineRow(grant_id=g, employer_kvk=k, amount=a)
                                   for g, k, a in rows], total=total)
