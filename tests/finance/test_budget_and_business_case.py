"""Budgets, tariffs and the business case against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.finance.domain import business_case
from services.finance.domain.budget import exceeded, guidance_realisation, invoice_line
from services.finance.domain.lks import Job
from services.finance.domain.parameters import Code, ParameterTable
from services.finance.domain.seed import official_parameters
from shared.figures import GuidanceFigures

D = Decimal
TABLE = ParameterTable(official_parameters())


def test_boxtel_places_above_budget_come_from_the_reserve() -> None:
    # 120 PW places at WSD vs 108 funded, €10,000 a place: 12 × 10,000 from WSD's reserve; the
    # 20 placed directly with employers are shown but cost the guidance budget nothing.
    boxtel = guidance_realisation(GuidanceFigures(funded=108, at_provider=120, direct=20),
                                  D("10000"))
    assert (boxtel.above_budget, boxtel.at_provider, boxtel.direct) == (12, 120, 20)
    assert (boxtel.budget, boxtel.realised) == (D("1080000.00"), D("1200000.00"))
    assert (boxtel.from_budget, boxtel.from_reserve) == (D("1080000.00"), D("120000.00"))
    assert exceeded(boxtel.budget, boxtel.realised)
    within = guidance_realisation(GuidanceFigures(funded=108, at_provider=100, direct=0),
                                  D("10000"))
    assert within.from_reserve == D("0.00") and not exceeded(within.budget, within.realised)


def test_invoice_line_with_and_without_risk_surcharge() -> None:
    # 13 placement-months × €2,500.00 × 1.075 = 34,937.50 for a buyer; 32,500.00 for an owner
    assert invoice_line("begeleiding", 13, D("2500.00"), D("7.5")).amount == D("34937.50")
    assert invoice_line("begeleiding", 13, D("2500.00"), D("0")).amount == D("32500.00")


def test_candidate_lks_job_against_bijstand() -> None:
    # LKS 1530.375444 a month (DOMAIN.md's example) × 12 = 18364.505328; + guidance 5,000
    # = 23364.505328; bijstand 1,345.45 × 12 = 16,145.40; difference −7219.105328
    day = date(2026, 1, 1)
    case = business_case.candidate_case(
        Job(D(36), D("14.71"), D(50)), TABLE.lks_on(day),
        TABLE.value_on(Code.BIJSTAND_NORM_SINGLE, day), D("5000"))
    assert case.lks_monthly == D("1530.38") and case.lks_yearly == D("18364.51")
    assert case.job_cost_yearly == D("23364.51")
    assert case.bijstand_yearly == D("16145.40")
    assert case.saving_yearly == D("-7219.11")


def scenario(realisation: str) -> business_case.Scenario:
    return business_case.Scenario(
        start_year=2020, wsw_places=D(1000), pw_places=D(500), target_places=D(1700), years=3,
        wsw_outflow_pct=D(10), pw_inflow_per_year=D(200), realisation_pct=D(realisation))


def test_scenario_at_full_realisation() -> None:
    # Wsw 1000 → 900 → 810 → 729; PW 500 + 200 a year → 700, 900, 1100;
    # totals 1600, 1710, 1829: the target 1700 is reached in 2022
    years, break_even = business_case.project(scenario("100"))
    assert [y.total_places for y in years] == [D("1600.0"), D("1710.0"), D("1829.0")]
    assert break_even == 2022 and years[0].short_of_target == D("100.0")


def test_scenario_at_eighty_percent_breaks_even_later() -> None:
    # PW inflow 160 a year → 660, 820, 980; totals 1560, 1630, 1709: reached in 2023
    years, break_even = business_case.project(scenario("80"))
    assert [y.total_places for y in years] == [D("1560.0"), D("1630.0"), D("1709.0")]
    assert break_even == 2023
    short, never = business_case.project(business_case.Scenario(
        start_year=2020, wsw_places=D(1000), pw_places=D(0), target_places=D(2100), years=2,
        wsw_outflow_pct=D(5), pw_inflow_per_year=D(10), realisation_pct=D(80)))
    assert never is None and short[-1].total_places == D("918.5")
