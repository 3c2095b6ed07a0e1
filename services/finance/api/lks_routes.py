"""Parameters, the LKS calculator and grants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.finance.api.deps import Calculator, PlatformAdmin, UnitOfWork
from services.finance.api.schemas import (
    LksBreakdown,
    LksCalculationIn,
    LksCalculationOut,
    ParameterIn,
    ParameterList,
    ParameterOut,
)
from services.finance.api.views import money, parameter_out, plain
from services.finance.commands import SetLegalParameter
from services.finance.domain import lks
from services.finance.domain.parameters import MissingParameter, ParameterTable, UsedParameters
from services.finance.handlers import parameters
from services.finance.store.repository import (
    load_parameters,
)
from shared.auth import CurrentPrincipal
from shared.http.deps import RuntimeDep
from shared.http.openapi import problem_response
from shared.problems import BadRequest, InvalidParam

router = APIRouter()
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"headers": {"Location": {"description": "URI of the created resource",
                                   "schema": {"type": "string"}}}},
    409: problem_response("A value for this code and date exists already")}


def first_of(month: str) -> date:
    """"2026-01" → 2026-01-01 (the schema checked the format)."""
    return date(int(month[:4]), int(month[5:7]), 1)


def rows_for(table: ParameterTable, day: date, age: int | None, field: str) -> UsedParameters:
    """The parameters of a day, or 400 naming the field whose month has none."""
    try:
        return table.lks_rows_on(day, age)
    except MissingParameter as exc:
        raise BadRequest(f"no parameters: {exc}",
                         invalid_params=[InvalidParam(field, "no parameters for this month")]
                         ) from exc


def decimal_of(text: str) -> Decimal:
    """A decimal string the schema already checked."""
    return Decimal(text)


@router.get("/parameters", response_model=ParameterList, tags=["parameters"])
async def list_parameters(principal: CurrentPrincipal, runtime: RuntimeDep) -> ParameterList:
    """Every legal parameter with its effective date and source (any authenticated caller)."""
    async with runtime.sessions() as session:
        table = await load_parameters(session)
    return ParameterList(items=[parameter_out(row) for row in table.rows()])


@router.post("/parameters", status_code=201, response_model=ParameterOut, responses=CREATED,
             tags=["parameters"])
async def add_parameter(body: ParameterIn, principal: PlatformAdmin, uow: UnitOfWork,
                        runtime: RuntimeDep) -> JSONResponse:
    """Add a national value from a date (the platform operator's admin only). Existing rows are
    never changed; each new row is checked for plausibility (unknown code, unit, range, the
    WML and bijstand norm within 20 % of the value before, youth shares in age order) and
    announced as finance.legal-parameter-set with its source and author."""
    row = await parameters.set_legal_parameter(uow, command=SetLegalParameter(
        code=body.code, effective_from=body.effective_from, value=body.value, unit=body.unit,
        source=body.source, author=f"{principal.subject}@{principal.org}"),
        oin=runtime.settings.oin)
    return JSONResponse(parameter_out(row).model_dump(mode="json", by_alias=True),
                        status_code=201, headers={"Location": f"/v1/parameters?code={row.code}"})


@router.post("/lks-calculations", response_model=LksCalculationOut, tags=["lks"])
async def calculate_lks(body: LksCalculationIn, principal: Calculator,
                        runtime: RuntimeDep) -> LksCalculationOut:
    """A full month's LKS for a job (nothing is stored): before a placement, for a klantmanager
    or (through the uitvoerder's portal) an employer. The grant code uses the same function."""
    async with runtime.sessions() as session:
        table = await load_parameters(session)
    used = rows_for(table, first_of(body.month), body.age, "month")
    job = lks.Job(hours_per_week=body.hours_per_week, hourly_wage=decimal_of(body.hourly_wage),
                  wage_value_pct=Decimal(body.wage_value_pct))
    values = used.values()
    result = lks.calculate(job, values)
    shown = [used.wml, *([used.youth_share] if used.youth_share else []), used.holiday_pay,
             used.allowance, used.cap]
    return LksCalculationOut(
        month=body.month, monthly_amount=money(result.monthly_amount),
        breakdown=LksBreakdown(
            hours_per_month=plain(result.hours_per_month), hourly_gap=plain(result.hourly_gap),
            cap_applied=result.cap_applied, wml_hourly=plain(values.wml_hourly),
            parameters=[parameter_out(row) for row in shown]))
