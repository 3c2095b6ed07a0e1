"""Budgets per gemeente per year and the uitvoerder's stimulus reserve."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.finance import access, budgets
from services.finance.api.deps import GemeenteController, ProviderManagement
from services.finance.api.schemas import (
    BudgetIn,
    BudgetOut,
    GuidanceOut,
    LksLineOut,
    ReserveIn,
    ReserveOut,
)
from services.finance.api.views import money
from services.finance.domain.budget import exceeded
from services.finance.store.models import Budget
from shared.auth import CurrentPrincipal
from shared.http.deps import RuntimeDep
from shared.http.schemas import GemeenteCode, Year
from shared.organisations import display_name, is_gemeente, is_provider
from shared.problems import BadRequest, InvalidParam, NotFound

router = APIRouter(tags=["budgets"])
Gemeente = Annotated[GemeenteCode, Path(description="CBS code, e.g. GM0757")]
YearPath = Annotated[Year, Path(description="2000 … 2100")]
YearQuery = Annotated[Year | None, Query(description="2000 … 2100 (default: this year)")]
Provider = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9-]{1,39}$",
                               description="the uitvoerder's code, e.g. WSD")]


def known_gemeente(gemeente: str) -> str:
    """A gemeente of shared/organisations.py, or 400."""
    if not is_gemeente(gemeente):
        raise BadRequest(f"unknown gemeente {gemeente}", invalid_params=[
            InvalidParam("gemeente", "not the CBS code of a known gemeente")])
    return gemeente


def known_provider(provider: str) -> str:
    """An uitvoerder of shared/organisations.py, or 400 (organisations are matched by code)."""
    if not is_provider(provider):
        raise BadRequest(f"unknown uitvoerder {provider}", invalid_params=[
            InvalidParam("provider", "not a known uitvoerder code")])
    return provider


async def _budget_out(runtime: RuntimeDep, gemeente: str, year: int) -> BudgetOut:
    async with runtime.sessions() as session:
        budget = await session.get(Budget, (gemeente, year))
        if budget is None:
            raise NotFound(f"no budget of {gemeente} for {year}")
        guidance = await budgets.guidance_of(session, budget)
        paid = await budgets.lks_paid(session, gemeente, year)
        provider = await budgets.main_provider(session, gemeente, year)
        reserve = await budgets.reserve_use(session, provider, year) if provider else None
    return BudgetOut(
        gemeente=gemeente, gemeente_name=display_name(gemeente), year=year,
        set_at=budget.set_at,
        guidance=GuidanceOut(
            reference_day=budgets.reference_day(year), funded=guidance.funded_places,
            at_provider=guidance.at_provider, direct=guidance.direct,
            above_budget=guidance.above_budget, place_price=money(guidance.place_price),
            budget=money(guidance.budget), realised=money(guidance.realised),
            from_budget=money(guidance.from_budget), from_reserve=money(guidance.from_reserve),
            reserve_provider=reserve.provider if reserve else None,
            reserve_remaining=money(reserve.remaining) if reserve else None,
            exceeded=exceeded(guidance.budget, guidance.realised)),
        lks=LksLineOut(budget=money(budget.lks_budget), realised=money(paid),
                       exceeded=exceeded(budget.lks_budget, paid)))


@router.put("/budgets/{gemeente}/{year}", response_model=BudgetOut)
async def set_budget(gemeente: Gemeente, year: YearPath, body: BudgetIn,
                     principal: GemeenteController, runtime: RuntimeDep) -> BudgetOut:
    """Set the year's budget: funded guidance places × price, and the LKS budget (the
    gemeente's own controller or admin)."""
    access.own_gemeente(principal, known_gemeente(gemeente))
    async with runtime.unit_of_work() as session:
        await budgets.set_budget(session, gemeente=gemeente, year=year,
                                 funded_places=body.funded_places, place_price=body.place_price,
                                 lks_budget=body.lks_budget, oin=runtime.settings.oin)
    return await _budget_out(runtime, gemeente, year)


@router.get("/budgets/{gemeente}/{year}", response_model=BudgetOut)
async def get_budget(gemeente: Gemeente, year: YearPath, principal: CurrentPrincipal,
                     runtime: RuntimeDep) -> BudgetOut:
    """Budget against realisation: placements × price (above the funded places: from the
    uitvoerder's reserve) and LKS paid."""
    access.figures_of(principal, known_gemeente(gemeente))
    return await _budget_out(runtime, gemeente, year)


async def _reserve_out(runtime: RuntimeDep, provider: str, year: int) -> ReserveOut:
    async with runtime.sessions() as session:
        use = await budgets.reserve_use(session, provider, year)
    if use is None:
        raise NotFound(f"no reserve of {provider}")
    return ReserveOut(provider=provider, provider_name=display_name(provider), year=year,
                      amount=money(use.amount),
                      drawn=money(use.drawn), remaining=money(use.remaining),
                      draws={g: money(a) for g, a in sorted(use.draws.items())})


@router.put("/reserves/{provider}", response_model=ReserveOut)
async def set_reserve(provider: Provider, body: ReserveIn, principal: ProviderManagement,
                      runtime: RuntimeDep, year: YearQuery = None) -> ReserveOut:
    """Set the uitvoerder's stimulus reserve (its own controller, admin or board; WSD: €6.7
    mln)."""
    access.own_provider(principal, known_provider(provider))
    async with runtime.unit_of_work() as session:
        await budgets.set_reserve(session, provider, body.amount)
    return await _reserve_out(runtime, provider, year or date.today().year)


@router.get("/reserves/{provider}", response_model=ReserveOut)
async def get_reserve(provider: Provider, principal: CurrentPrincipal, runtime: RuntimeDep,
                      year: YearQuery = None) -> ReserveOut:
    """The reserve and, for a year, what each gemeente's places above budget drew from it."""
    access.reserve_reader(principal, known_provider(provider))
    return await _reserve_out(runtime, provider, year or date.today().year)
