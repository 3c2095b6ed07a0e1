"""Payment runs: start one per gemeente and month, follow its progress, read its lines (JSON,
paginated) or export them (CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from services.finance.api.deps import GemeenteControllerUow, Runtime, Settings, Uow
from services.finance.api.schemas import (
    PaymentLineOut,
    PaymentLinePage,
    PaymentRunIn,
    PaymentRunOut,
)
from services.finance.api.views import money, run_out
from services.finance.background import Background
from services.finance.commands import ReadPaymentLines, ReadPaymentRun, StartPaymentRun
from services.finance.handlers import payment_runs
from shared.auth import CurrentPrincipal
from shared.dutch_time import dutch_today
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.pagination import PagerDep
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(prefix="/payment-runs", tags=["payments"], route_class=UnitOfWorkRoute)
RunId = Annotated[UUID, Path(alias="runId", description="the payment run id")]
ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"headers": {"Location": {"description": "URI of the run (poll it)",
                                   "schema": {"type": "string"}}}},
    409: problem_response("This gemeente's month has a run already (nothing is paid twice); "
                          "existingRun names it. Or: this Idempotency-Key was used for another "
                          "request")}


async def _work(background: Background, run_id: UUID) -> None:
    # async: a plain function would run in a worker thread, without the event loop.
    background.run_payments(run_id)


@router.post("", status_code=202, response_model=PaymentRunOut, responses=ACCEPTED)
async def start_payment_run(body: PaymentRunIn, uow: GemeenteControllerUow, settings: Settings,
                            request: Request,
                            after_commit: BackgroundTasks,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Pay every decided grant of the gemeente for the month (its own controller or admin;
    once a month; not before the month started, less FINANCE_PAYMENT_RUN_LEAD_DAYS).

    Answers 202 at once; the run works in batches in the background: poll the Location for
    `processed`/`totalGrants` and `status`. A second run for the same month is a 409 naming the
    first: running a month twice pays nothing twice. A retry with the same Idempotency-Key
    gets the first answer (202, the same run) instead of the 409.
    """
    command = StartPaymentRun(gemeente=body.gemeente, month=body.month, today=dutch_today(),
                              lead_days=settings.finance_payment_run_lead_days)
    created: list[UUID] = []

    async def create() -> tuple[PaymentRunOut, str]:
        run = await payment_runs.start_payment_run(uow, command)
        created.append(run.id)
        return run_out(run), f"/v1/payment-runs/{run.id}"

    answer = await create_once(uow, key=idempotency_key, request=request,
                               payload=body.model_dump(mode="json"), create=create,
                               status_code=202)
    if created:  # a new run (a replay's run is worked already, or resumed at start-up)
        background: Background = request.app.state.background
        # After the unit of work committed: the run's task reads the run from the database.
        after_commit.add_task(_work, background, created[0])
    return answer


@router.get("/{runId}", response_model=PaymentRunOut)
async def get_payment_run(run_id: RunId, principal: CurrentPrincipal,
                          uow: Uow) -> PaymentRunOut:
    """A run's status and progress (processed of totalGrants), count and total paid."""
    return run_out(await payment_runs.read_run(uow, ReadPaymentRun(run_id)))


async def _csv(runtime: Runtime, uow: Uow, run_id: UUID) -> StreamingResponse:
    """The run's lines as CSV (grant, employer KvK, amount), streamed in chunks."""
    run = await payment_runs.read_run(uow, ReadPaymentRun(run_id))
    # Read now: the stream runs after the request's unit of work has ended.
    filename = f"lks-{run.gemeente}-{run.month}.csv"

    async def rows() -> AsyncIterator[str]:
        yield "grantId,employerKvk,amount\n"
        async for chunk in payment_runs.line_chunks(runtime, run_id):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerows((str(line.grant_id), line.employer_kvk, money(line.amount))
                             for line in chunk)
            yield buffer.getvalue()

    return StreamingResponse(rows(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}


@router.get("/{runId}/lines.csv", response_class=StreamingResponse,
            responses={200: {"content": CSV_CONTENT,
                             "description": "grantId,employerKvk,amount per line"}})
async def export_lines(run_id: RunId, principal: CurrentPrincipal, uow: Uow,
                       runtime: Runtime) -> StreamingResponse:
    """The run's payment lines as CSV (grant, employer KvK, amount), streamed in chunks; the
    same as GET /v1/payment-runs/{runId}/lines?format=csv."""
    return await _csv(runtime, uow, run_id)


def wants_csv(output: str | None, accept: str) -> bool:
    """`?format=` decides; without it an Accept header that asks for text/csv and not for
    JSON does."""
    if output is not None:
        return output == "csv"
    return "text/csv" in accept and "application/json" not in accept


@router.get("/{runId}/lines", response_model=PaymentLinePage, responses={200: {
    "headers": {"Link": {"$ref": "#/components/headers/Link"}}, "content": CSV_CONTENT,
    "description": "a page of lines (JSON), or every line as CSV (format=csv or Accept: "
                   "text/csv)"}})
async def list_lines(
    run_id: RunId, principal: CurrentPrincipal, uow: Uow, runtime: Runtime,
    pager: PagerDep, request: Request,
    output: Annotated[Literal["json", "csv"] | None, Query(
        alias="format", description="json (default, paginated) or csv (every line, as "
                                    "lines.csv)")] = None,
) -> PaymentLinePage | StreamingResponse:
    """The run's payment lines (grant, employer KvK, amount in euros) as paginated JSON, in
    the order of the CSV; the gemeente's own controller, caseworkers and admin only (another
    gemeente's run is a 404)."""
    if wants_csv(output, request.headers.get("accept", "")):
        return await _csv(runtime, uow, run_id)
    found = await payment_runs.payment_lines(uow, ReadPaymentLines(
        run_id=run_id, page=pager.params.page, page_size=pager.params.page_size))
    return pager.page(PaymentLinePage, [
        PaymentLineOut(grant_id=line.grant_id, employer_kvk=line.employer_kvk,
                       amount=money(line.amount)) for line in found.lines], found.total)
