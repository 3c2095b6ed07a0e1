"""Starting a payment run: the gemeente's month, once, and only once the month may be paid."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import payments
from services.finance.commands import StartPaymentRun
from services.finance.domain.parameters import MissingParameter
from services.finance.domain.schedule import first_run_day, may_run
from services.finance.store.models import PaymentRun
from services.finance.store.repository import load_parameters
from shared.problems import BadRequest, Conflict, InvalidParam


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
