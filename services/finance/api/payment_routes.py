"""Payment runs: start one per gemeente and month, follow its progress, export its lines."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse

from services.finance import access, payments
from services.finance.api.deps import GemeenteController, Settings, UnitOfWork
from services.finance.api.schemas import PaymentRunIn, PaymentRunOut
from services.finance.api.views import money, run_out
from services.finance.background import Background, today
from services.finance.commands import StartPaymentRun
from services.finance.handlers import payment_runs
from services.finance.store.models import PaymentRun
from shared.auth import CurrentPrincipal, Principal
from shared.http.deps import RuntimeDep
from shared.http.openapi import problem_response
from shared.problems import NotFound

router = APIRouter(prefix="/payment-runs", tags=["payments"])
RunId = Annotated[UUID, Path(alias="runId", description="the payment run id")]
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"headers": {"Location": {"description": "URI of the run (poll it)",
                                   "schema": {"type": "string"}}}},
    409: problem_response("This gemeente's month has a run already (nothing is paid twice); "
                          "existingRun names it")}


async def _work(background: Background, run_id: UUID) -> None:
    # async: a plain function would run in a worker thread, without the event loop.
    background.run_payments(run_id)


@router.post("", status_code=202, response_model=PaymentRunOut, responses=ACCEPTED)
async def start_payment_run(body: PaymentRunIn, principal: GemeenteController, uow: UnitOfWork,
                            settings: Settings, request: Request,
                            after_commit: BackgroundTasks) -> JSONResponse:
    """Pay every decided grant of the gemeente for the month (its own controller or admin;
    once a month; not before the month started, less FINANCE_PAYMENT_RUN_LEAD_DAYS).

    Answers 202 at once; the run works in batches in the background: poll the Location for
    `processed`/`totalGrants` and `status`. A second run for the same month is a 409 naming the
    first: running a month twice pays nothing twice.
    """
    access.own_gemeente(principal, body.gemeente)
    run = await payment_runs.start_payment_run(uow, command=StartPaymentRun(
        gemeente=body.gemeente, month=body.month, started_by=principal.subject,
        today=today(), lead_days=settings.finance_payment_run_lead_days))
    background: Background = request.app.state.background
    # After the unit of work committed: the run's task reads the run from the database.
    after_commit.add_task(_work, background, run.id)
    return JSONResponse(run_out(run).model_dump(mode="json", by_alias=True), status_code=202,
                        headers={"Location": f"/v1/payment-runs/{run.id}"})


async def _visible_run(runtime: RuntimeDep, principal: Principal, run_id: UUID) -> PaymentRun:
    access.payment_reader(principal)
    async with runtime.sessions() as session:
        run = await session.get(PaymentRun, run_id)
    if run is None or run.gemeente != principal.org:
        raise NotFound(f"no payment run {run_id} for this organisation")
    return run


@router.get("/{runId}", response_model=PaymentRunOut)
async def get_payment_run(run_id: RunId, principal: CurrentPrincipal,
                          runtime: RuntimeDep) -> PaymentRunOut:
    """A run's status and progress (processed of totalGrants), count and total paid."""
    return run_out(await _visible_run(runtime, principal, run_id))


@router.get("/{runId}/lines.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "grantId,employerKvk,amount per line"}})
async def export_lines(run_id: RunId, principal: CurrentPrincipal,
                       runtime: RuntimeDep) -> StreamingResponse:
    """The run's payment lines as CSV (grant, employer KvK, amount), streamed in chunks."""
    run = await _visible_run(runtime, principal, run_id)

    async def rows() -> AsyncIterator[str]:
        yield "grantId,employerKvk,amount\n"
        async with runtime.sessions() as session:
            async for chunk in payments.lines_of(session, run.id):
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                writer.writerows((str(grant), kvk, money(amount)) for _, grant, kvk, amount
                                 in chunk)
                yield buffer.getvalue()

    filename = f"lks-{run.gemeente}-{run.month}.csv"
    return StreamingResponse(rows(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
