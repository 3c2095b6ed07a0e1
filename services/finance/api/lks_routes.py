"""Legal parameters and the LKS calculator (grants: grant_routes.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.finance.api.deps import CalculatorUow, PlatformAdminUow, Uow
from services.finance.api.schemas import (
    LksBreakdown,
    LksCalculationIn,
    LksCalculationOut,
    ParameterIn,
    ParameterList,
    ParameterOut,
)
from services.finance.api.views import exact, money, number, parameter_out
from services.finance.commands import CalculateLks, SetLegalParameter
from services.finance.domain.lks import to_cents
from services.finance.domain.parameters import YOUNGEST_AGE
from services.finance.handlers import calculations, parameters
from shared.auth import CurrentPrincipal
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.routes import UnitOfWorkRoute
from shared.minimum_wage import age_on
from shared.problems import BadRequest, InvalidParam

router = APIRouter(route_class=UnitOfWorkRoute)
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"headers": {"Location": {"description": "URI of the created resource",
                                   "schema": {"type": "string"}}}},
    409: problem_response("A value for this code and date exists already, or this "
                          "Idempotency-Key was used for another request")}


def first_of(month: str) -> date:
    """"2026-01" → 2026-01-01 (the schema checked the format)."""
    return date(int(month[:4]), int(month[5:7]), 1)


def decimal_of(text: str) -> Decimal:
    """A decimal string the schema already checked."""
    return Decimal(text)


@router.get("/parameters", response_model=ParameterList, tags=["parameters"])
async def list_parameters(principal: CurrentPrincipal, uow: Uow) -> ParameterList:
    """Every legal parameter with its effective date and source (any authenticated caller)."""
    table = await parameters.list_parameters(uow)
    return ParameterList(items=[parameter_out(row) for row in table.rows()])


@router.post("/parameters", status_code=201, response_model=ParameterOut, responses=CREATED,
             tags=["parameters"])
async def add_parameter(body: ParameterIn, uow: PlatformAdminUow,
                        request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Add a national value from a date (the platform operator's admin only). Existing rows are
    never changed; each new row is checked for plausibility (a code of
    /v1/reference/parameter-codes in its unit, range, the WML and bijstand norm within 20 % of
    the value before, youth shares in age order, euros in whole cents) and announced as
    finance.legal-parameter-set with its source and author. A retry with the same
    Idempotency-Key gets the first answer instead of a 409."""
    command = SetLegalParameter(
        code=body.code, effective_from=body.effective_from, value=body.value, unit=body.unit,
        source=body.source)

    async def create() -> tuple[ParameterOut, str]:
        row = await parameters.set_legal_parameter(uow, command)
        return parameter_out(row), f"/v1/parameters?code={row.code}"

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=body.model_dump(mode="json"), create=create)


def age_for(body: LksCalculationIn, day: date) -> int | None:
    """The age the calculation uses on `day`: given, or from the birth date (not both)."""
    if body.birth_date is None:
        return body.age
    if body.age is not None:
        raise BadRequest("give age or birthDate, not both", invalid_params=[
            InvalidParam("birthDate", "give age or birthDate, not both")])
    age = age_on(body.birth_date, day)
    if age < YOUNGEST_AGE:
        raise BadRequest(f"birthDate: {age} years old in {day:%Y-%m}", invalid_params=[
            InvalidParam("birthDate", f"younger than {YOUNGEST_AGE} in that month")])
    return age


@router.post("/lks-calculations", response_model=LksCalculationOut, tags=["lks"])
async def calculate_lks(body: LksCalculationIn, uow: CalculatorUow) -> LksCalculationOut:
    """A full month's LKS for a job (nothing is stored): before a placement, for a klantmanager
    or (through the uitvoerder's portal) an employer. The grant code uses the same function.

    A wage below the minimum wage that applies (the adult WML, or the jeugd-WML for the age or
    birth date given) is a 400 naming that minimum and the date it took effect; a WML older
    than its last indexation day is used with a warning."""
    day = first_of(body.month)
    result = await calculations.calculate_lks(uow, CalculateLks(
        month_start=day, hours_per_week=body.hours_per_week,
        hourly_wage=decimal_of(body.hourly_wage), wage_value_pct=body.wage_value_pct,
        age=age_for(body, day)))
    used, calculation = result.used, result.calculation
    shown = [used.wml, *([used.youth_share] if used.youth_share else []), used.holiday_pay,
             used.allowance, used.cap]
    return LksCalculationOut(
        month=body.month, monthly_amount=money(calculation.monthly_amount),
        breakdown=LksBreakdown(
            hours_per_month=number(calculation.hours_per_month),
            hourly_gap=money(to_cents(calculation.hourly_gap)),
            hourly_gap_exact=exact(calculation.hourly_gap), cap_applied=calculation.cap_applied,
            wml_hourly=money(to_cents(used.values().wml_hourly)),
            wml_hourly_exact=exact(used.values().wml_hourly),
            parameters=[parameter_out(row) for row in shown]),
        warnings=result.warnings)

