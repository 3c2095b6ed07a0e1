"""The calculator and the business case: read-only use cases on the parameter table.

Both refuse a wage below the minimum wage that applies (no LKS job pays less; the calculator
answered €2,142.53 for €5.00/h before) and never use an out-of-date parameter silently: a
parameter with no value at all is a 400 naming it, one whose latest value predates its last
indexation day is used with a `warnings` entry that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.finance.commands import CalculateLks, CandidateBusinessCase
from services.finance.domain import business_case, lks
from services.finance.domain.parameters import (
    Code,
    MissingParameter,
    Parameter,
    UsedParameters,
    staleness_warning,
)
from services.finance.handlers import access
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.problems import BadRequest, InvalidParam


@dataclass(frozen=True)
class LksResult:
    """The calculation with the rows behind it and what the reader must know."""

    calculation: lks.Calculation
    used: UsedParameters
    warnings: list[str]


@dataclass(frozen=True)
class CaseResult:
    """The business case with the bijstand norm used and the warnings."""

    case: business_case.CandidateCase
    norm: Parameter
    warnings: list[str]


def _missing(exc: MissingParameter) -> BadRequest:
    return BadRequest(f"no parameters: {exc}", invalid_params=[
        InvalidParam("month", f"no value of {exc.code} in effect")])


def _check_wage_floor(hourly_wage: Decimal, used: UsedParameters, age: int | None) -> None:
    below = lks.below_minimum_wage(hourly_wage, used, age)
    if below is None:
        return
    whose = "the adult WML" if below.age is None else f"the jeugd-WML at age {below.age}"
    reason = (f"below the minimum wage of {below.minimum.normalize():f} per hour ({whose}, "
              f"in effect from {below.in_effect_from.isoformat()})")
    raise BadRequest(f"hourlyWage: {reason}", invalid_params=[InvalidParam("hourlyWage", reason)],
                     extra={"minimumHourlyWage": f"{below.minimum.normalize():f}",
                            "minimumInEffectFrom": below.in_effect_from.isoformat()})


def _warnings(rows: list[Parameter], day: date) -> list[str]:
    found = (staleness_warning(row, day) for row in rows)
    return [warning for warning in found if warning is not None]


async def calculate_lks(uow: FinanceUnitOfWork, command: CalculateLks) -> LksResult:
    """The month's amount for the job, or 400 (missing parameter, wage below the minimum)."""
    uow.require(*access.CALCULATOR_ROLES, kinds=access.BOTH_KINDS)
    table = await uow.parameters.table()
    try:
        used = table.lks_rows_on(command.month_start, command.age)
    except MissingParameter as exc:
        raise _missing(exc) from exc
    _check_wage_floor(command.hourly_wage, used, command.age)
    job = lks.Job(hours_per_week=command.hours_per_week, hourly_wage=command.hourly_wage,
                  wage_value_pct=Decimal(command.wage_value_pct))
    return LksResult(calculation=lks.calculate(job, used.values()), used=used,
                     warnings=_warnings([used.wml], command.month_start))


async def candidate_case(uow: FinanceUnitOfWork, command: CandidateBusinessCase) -> CaseResult:
    """The candidate's business case, or 400; the bijstand norm and WML warnings shown."""
    uow.require(*access.PLANNING_ROLES, kinds=access.BOTH_KINDS)
    table = await uow.parameters.table()
    try:
        used = table.lks_rows_on(command.month_start)
        norm = table.row_on(Code.BIJSTAND_NORM_SINGLE, command.month_start)
    except MissingParameter as exc:
        raise _missing(exc) from exc
    _check_wage_floor(command.hourly_wage, used, None)
    job = lks.Job(hours_per_week=command.hours_per_week, hourly_wage=command.hourly_wage,
                  wage_value_pct=Decimal(command.wage_value_pct))
    case = business_case.candidate_case(job, used.values(), norm.value,
                                        command.guidance_cost_per_year)
    return CaseResult(case=case, norm=norm,
                      warnings=_warnings([used.wml, norm], command.month_start))
