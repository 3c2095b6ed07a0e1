"""Payment runs: start one per gemeente and month, follow its progress, export its lines."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.exc import IntegrityError

from services.finance import access, payments
from services.finance.api.lks_routes import first_of, rows_for
from services.finance.api.schemas import PaymentRunIn, PaymentRunOut
from services.finance.api.views import money, run_out
from services.finance.background import Background
from services.finance.store.models import PaymentRun
from services.finance.store.repository import load_parameters
from shared.auth import CurrentPrincipal, Principal
from shared.http.deps import RuntimeDep
from shared.http.openapi import problem_response
from shared.problems import Conflict, NotFound

router = APIRouter(prefix="/payment-runs", tags=["payments"])
RunId = Annotated[UUID, Path(alias="runId", description="the payment run id")]
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"headers": {"Location": {"description": "URI of the run (poll it)",
                                   "schema": {"type": "string"}}}},
    409: problem_response("This gemeente's month has a run already (nothing is paid twice); "
                          "existingRun names it")}


def _already(run: PaymentRun) -> Conflict:
    return Conflict(f"{run.gemeente} {run.month} has payment run {run.id} already; a month is "
                    "paid once", extra={"existingRun": f"/v1/payment-runs/{run.id}"})


@router.post("", status_code=202, response_model=PaymentRunOut, responses=ACCEPTED)
async def start_payment_run(body: PaymentRunIn, principal: CurrentPrincipal,
                            runtime: RuntimeDep, request: Request) -> JSONResponse:
    """Pay every running grant of the gemeente for the month (its controller; once a month).

    Answers 202 at once; the run works in batches in the background: poll the Location for
    `processed`/`totalGrants` and `status`. A second run for the same month is a 409 naming the
    first: running a month twice pays nothing twice.
    """
    access.gemeente_controller(principal, body.gemeente)
    async with runtime.sessions() as session:
        rows_for(await load_parameters(session), first_of(body.month), None, "month")
    try:
        async with runtime.unit_of_work() as session:
            found = await payments.existing_run(session, body.gemeente, body.month)
            if found is not None:
                raise _already(found)
            run = await payments.create_run(session, gemeente=body.gemeente, month=body.month,
                                            started_by=principal.subject)
    except IntegrityError as exc:  # a concurrent twin created it first
        async with runtime.sessions() as session:
            found = await payments.existing_run(session, body.gemeente, body.month)
        assert found is not None
        raise _already(found) from exc
    background: Background = request.app.state.background
    background.run_payments(run.id)
    location = f"/v1/payment-runs/{run.id}"
    return JSONResponse(run_out(run).model_dump(mode="json", by_alias=True), status_code=202,
                        headers={"Location": location})


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
