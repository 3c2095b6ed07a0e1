"""The entity's tariffs and invoices (Westrom model) and the business case of LKS work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.finance.api.deps import Planner, PlannerUow, ProviderManagementUow, Settings, Uow
from services.finance.api.lks_routes import decimal_of, first_of
from services.finance.api.schemas import (
    CandidateCaseIn,
    CandidateCaseOut,
    InvoiceLineOut,
    InvoiceOut,
    ScenarioIn,
    ScenarioOut,
    ScenarioYearOut,
    TariffIn,
    TariffList,
    TariffOut,
)
from services.finance.api.views import money, number, parameter_out, tariff_out
from services.finance.commands import CandidateBusinessCase, Entity, ReadInvoice, SetTariff
from services.finance.domain import business_case
from services.finance.handlers import calculations, tariffs
from shared.auth import CurrentPrincipal
from shared.http.routes import UnitOfWorkRoute
from shared.http.schemas import GemeenteCode, Month
from shared.organisations import display_name

router = APIRouter(route_class=UnitOfWorkRoute)
Product = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,58}$", description="product code")]
Gemeente = Annotated[GemeenteCode, Path(description="CBS code, e.g. GM1641")]
MonthPath = Annotated[Month, Path(description="YYYY-MM, 2000-01 … 2100-12")]


@router.put("/tariffs/{product}", response_model=TariffOut, tags=["tariffs"])
async def set_tariff(product: Product, body: TariffIn, uow: ProviderManagementUow,
                     settings: Settings) -> TariffOut:
    """The entity's cost-covering tariff for a product from a date, and the risk surcharge
    non-shareholders pay (the entity's own controller, admin or board). The same date again
    replaces that row."""
    return tariff_out(await tariffs.set_tariff(uow, SetTariff(
        entity=settings.finance_entity, product=product, effective_from=body.effective_from,
        form=body.form, tariff=body.tariff, risk_surcharge_pct=body.risk_surcharge_pct)))


@router.get("/tariffs", response_model=TariffList, tags=["tariffs"])
async def list_tariffs(principal: CurrentPrincipal, uow: Uow) -> TariffList:
    """Every tariff row (public to every member and buyer: the tariffs are agreed openly)."""
    return TariffList(items=[tariff_out(row) for row in await tariffs.list_tariffs(uow)])


@router.get("/invoices/{gemeente}/{month}", response_model=InvoiceOut, tags=["tariffs"])
async def get_invoice(gemeente: Gemeente, month: MonthPath, principal: CurrentPrincipal,
                      uow: Uow, settings: Settings) -> InvoiceOut:
    """The entity's invoice lines for a gemeente's month: placements at the entity that ran in
    the month × the product's tariff, plus the risk surcharge for a buying gemeente.
    Organisations are matched by code (the entity's setting, e.g. WESTROM, against the
    placements' uitvoerder code); names are shown for the reader. An unknown gemeente is 400."""
    entity = Entity(settings.finance_entity, tuple(settings.finance_entity_shareholders),
                    tuple(settings.finance_entity_buyers))
    found = await tariffs.invoice(uow, ReadInvoice(entity=entity, gemeente=gemeente,
                                                   month=month))
    return InvoiceOut(gemeente=gemeente, gemeente_name=display_name(gemeente),
                      entity=entity.code, entity_name=display_name(entity.code),
                      month=month, shareholder=found.shareholder, total=money(found.total),
                      lines=[InvoiceLineOut(product=line.product, quantity=line.quantity,
                                            tariff=money(line.tariff),
                                            surcharge_pct=number(line.surcharge_pct),
                                            amount=money(line.amount)) for line in found.lines])


@router.post("/business-cases/candidate", response_model=CandidateCaseOut,
             tags=["business-cases"])
async def candidate_case(body: CandidateCaseIn, uow: PlannerUow) -> CandidateCaseOut:
    """A candidate's LKS job (12 × LKS + guidance) against 12 × the bijstand norm. A month
    without a norm is a 400; a norm (or WML) older than its last indexation day is used with
    a warning that says so."""
    result = await calculations.candidate_case(uow, CandidateBusinessCase(
        month_start=first_of(body.month), hours_per_week=body.hours_per_week,
        hourly_wage=decimal_of(body.hourly_wage), wage_value_pct=body.wage_value_pct,
        guidance_cost_per_year=body.guidance_cost_per_year))
    case = result.case
    return CandidateCaseOut(
        lks_monthly=money(case.lks_monthly), lks_yearly=money(case.lks_yearly),
        guidance_yearly=money(case.guidance_yearly), job_cost_yearly=money(case.job_cost_yearly),
        bijstand_yearly=money(case.bijstand_yearly), saving_yearly=money(case.saving_yearly),
        bijstand_norm=parameter_out(result.norm), warnings=result.warnings)


@router.post("/business-cases/scenarios", response_model=ScenarioOut, tags=["business-cases"])
async def scenario(body: ScenarioIn, principal: Planner) -> ScenarioOut:
    """Places per year from Wsw outflow and Participatiewet inflow × realisation, and the
    break-even year against the target (WSD: 2,100 places; 100% vs an 80% scenario)."""
    years, break_even = business_case.project(business_case.Scenario(
        start_year=body.start_year, wsw_places=body.wsw_places, pw_places=body.pw_places,
        target_places=body.target_places, years=body.years,
        wsw_outflow_pct=body.wsw_outflow_pct, pw_inflow_per_year=body.pw_inflow_per_year,
        realisation_pct=body.realisation_pct))
    return ScenarioOut(break_even_year=break_even, years=[ScenarioYearOut(
        year=y.year, wsw_places=number(y.wsw_places, 1), pw_places=number(y.pw_places, 1),
        total_places=number(y.total_places, 1), short_of_target=number(y.short_of_target, 1))
        for y in years])

