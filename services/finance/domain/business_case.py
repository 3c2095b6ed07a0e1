"""The business case of LKS work: for one candidate, and for places over years.

Candidate: the gemeente's yearly cost of an LKS job (12 months of LKS plus the yearly guidance
cost) against 12 months of the bijstand norm (single adult, Participatiewet art. 21) it would
otherwise pay. Simplification, on purpose: no partial benefit next to part-time work.

Scenario (WSD's plan 2021–2025): Wsw places shrink by their outflow rate (no new Wsw inflow
since 2015), Participatiewet places grow by the yearly inflow times the realisation rate (100%
vs an 80% scenario); break-even is the first year the total reaches the target (WSD: 2,100).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.lks import (
    HUNDRED,
    MONTHS_PER_YEAR,
    Job,
    exact_monthly_amount,
    to_cents,
)
from services.finance.domain.parameters import LksParameters

PLACES = Decimal("0.1")


@dataclass(frozen=True)
class CandidateCase:
    """Yearly figures of one LKS job against staying on bijstand."""

    lks_monthly: Decimal
    lks_yearly: Decimal
    guidance_yearly: Decimal
    job_cost_yearly: Decimal
    bijstand_yearly: Decimal
    saving_yearly: Decimal  # negative: the job costs the gemeente more than bijstand


def candidate_case(job: Job, parameters: LksParameters, bijstand_norm_month: Decimal,
                   guidance_cost_year: Decimal) -> CandidateCase:
    """LKS × 12 + guidance against the bijstand norm × 12; rounded once per figure."""
    monthly = exact_monthly_amount(job, parameters)
    cost = monthly * MONTHS_PER_YEAR + guidance_cost_year
    bijstand = bijstand_norm_month * MONTHS_PER_YEAR
    return CandidateCase(
        lks_monthly=to_cents(monthly), lks_yearly=to_cents(monthly * MONTHS_PER_YEAR),
        guidance_yearly=to_cents(guidance_cost_year), job_cost_yearly=to_cents(cost),
        bijstand_yearly=to_cents(bijstand), saving_yearly=to_cents(bijstand - cost))


@dataclass(frozen=True)
class Scenario:
    """Where the places start and how they move each year."""

    start_year: int
    wsw_places: Decimal
    pw_places: Decimal
    target_places: Decimal
    years: int
    wsw_outflow_pct: Decimal
    pw_inflow_per_year: Decimal
    realisation_pct: Decimal


@dataclass(frozen=True)
class ScenarioYear:
    """Places at the end of one year (one decimal: an average over the year's people)."""

    year: int
    wsw_places: Decimal
    pw_places: Decimal
    total_places: Decimal
    short_of_target: Decimal


def project(scenario: Scenario) -> tuple[list[ScenarioYear], int | None]:
    """Places per year and the break-even year (first year at or above target), if reached."""
    wsw, pw = scenario.wsw_places, scenario.pw_places
    inflow = scenario.pw_inflow_per_year * scenario.realisation_pct / HUNDRED
    keep = 1 - scenario.wsw_outflow_pct / HUNDRED
    years: list[ScenarioYear] = []
    break_even: int | None = None
    for offset in range(1, scenario.years + 1):
        wsw, pw = wsw * keep, pw + inflow
        total = wsw + pw
        year = scenario.start_year + offset
        if break_even is None and total >= scenario.target_places:
            break_even = year
        years.append(ScenarioYear(
            year=year, wsw_places=_places(wsw), pw_places=_places(pw),
            total_places=_places(total),
            short_of_target=_places(max(Decimal(0), scenario.target_places - total))))
    return years, break_even


def _places(value: Decimal) -> Decimal:
    return value.quantize(PLACES)
