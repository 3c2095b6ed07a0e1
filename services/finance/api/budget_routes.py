"""Budgets per gemeente per year and the uitvoerder's stimulus reserve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.finance.api.deps import GemeenteControllerUow, ProviderManagementUow, Uow
from services.finance.api.schemas import (
    BudgetIn,
    BudgetOut,
    GuidanceOut,
    LksLineOut,
    ReserveIn,
    ReserveOut,
)
from services.finance.api.views import money
from services.finance.commands import ReadBudget, ReadReserve, SetBudget, SetReserve
from services.finance.domain.budget import exceeded
from services.finance.handlers import budgets
from services.finance.handlers.budgets import BudgetFigures, ReserveUse
from shared.auth import CurrentPrincipal
from shared.dutch_time import dutch_today
from shared.http.routes import UnitOfWorkRoute
from shared.http.schemas import GemeenteCode, Year
from shared.organisations import display_name

router = APIRouter(tags=["budgets"], route_class=UnitOfWorkRoute)
Gemeente = Annotated[GemeenteCode, Path(description="CBS code, e.g. GM0757")]
YearPath = Annotated[Year, Path(description="2000 … 2100")]
YearQuery = Annotated[Year | None, Query(description="2000 … 2100 (default: this year)")]
Provider = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9-]{1,39}$",
                               description="the uitvoerder's code, e.g. WSD")]


def _budget_out(figures: BudgetFigures) -> BudgetOut:
    budget, guidance, reserve = figures.budget, figures.guidance, figures.reserve
    return BudgetOut(
        gemeente=budget.gemeente, gemeente_name=display_name(budget.gemeente), year=budget.year,
        set_at=budget.set_at,
        guidance=GuidanceOut(
            reference_day=figures.reference_day, funded=guidance.funded_places,
            at_provider=guidance.at_provider, direct=guidance.direct,
            above_budget=guidance.above_budget, place_price=money(guidance.place_price),
            budget=money(guidance.budget), realised=money(guidance.realised),
            from_budget=money(guidance.from_budget), from_reserve=money(guidance.from_reserve),
            reserve_provider=reserve.provider if reserve else None,
            reserve_remaining=money(reserve.remaining) if reserve else None,
            exceeded=exceeded(guidance.budget, guidance.realised)),
        lks=LksLineOut(budget=money(budget.lks_budget), realised=money(figures.lks_paid),
                       exceeded=exceeded(budget.lks_budget, figures.lks_paid)))


@router.put("/budgets/{gemeente}/{year}", response_model=BudgetOut)
async def set_budget(gemeente: Gemeente, year: YearPath, body: BudgetIn,
                     uow: GemeenteControllerUow) -> BudgetOut:
    """Set the year's budget: funded guidance places × price, and the LKS budget (the
    gemeente's own controller or admin)."""
    return _budget_out(await budgets.set_budget(uow, SetBudget(
        gemeente=gemeente, year=year, funded_places=body.funded_places,
        place_price=body.place_price, lks_budget=body.lks_budget)))


@router.get("/budgets/{gemeente}/{year}", response_model=BudgetOut)
async def get_budget(gemeente: Gemeente, year: YearPath, principal: CurrentPrincipal,
                     uow: Uow) -> BudgetOut:
    """Budget against realisation: placements × price (above the funded places: from the
    uitvoerder's reserve) and LKS paid."""
    return _budget_out(await budgets.read_budget(uow, ReadBudget(gemeente, year)))


def _reserve_out(use: ReserveUse, year: int) -> ReserveOut:
    return ReserveOut(provider=use.provider, provider_name=display_name(use.provider), year=year,
                      amount=money(use.amount),
                      drawn=money(use.drawn), remaining=money(use.remaining),
                      draws={g: money(a) for g, a in sorted(use.draws.items())})


@router.put("/reserves/{provider}", response_model=ReserveOut)
async def set_reserve(provider: Provider, body: ReserveIn, uow: ProviderManagementUow,
                      year: YearQuery = None) -> ReserveOut:
    """Set the uitvoerder's stimulus reserve (its own controller, admin or board; WSD: €6.7
    mln)."""
    year = year or dutch_today().year
    return _reserve_out(await budgets.set_reserve(uow, SetReserve(provider, body.amount, year)),
                        year)


@router.get("/reserves/{provider}", response_model=ReserveOut)
async def get_reserve(provider: Provider, principal: CurrentPrincipal, uow: Uow,
                      year: YearQuery = None) -> ReserveOut:
    """The reserve and, for a year, what each gemeente's places above budget drew from it."""
    year = year or dutch_today().year
    return _reserve_out(await budgets.read_reserve(uow, ReadReserve(provider, year)), year)
