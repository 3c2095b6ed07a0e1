"""Budgets per gemeente per year, the uitvoerder's stimulus reserve, and their realisation.

Guidance realisation = the gemeente's Participatiewet places at the uitvoerder (shared/figures.py:
trial, lks or sheltered with the uitvoerder itself as employer) running on the year's reference
day (31 December, or today while the year runs) × the place price; places directly with
employers and Wsw jobs are shown but not in it. LKS realisation = the year's payment lines.
`finance.budget-exceeded` is published once per line per year, when realisation first passes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from services.finance.commands import ReadBudget, ReadReserve, SetBudget, SetReserve
from services.finance.domain.budget import GuidanceRealisation, exceeded, guidance_realisation
from services.finance.handlers import access
from services.finance.store.models import Budget, Reserve
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.dutch_time import dutch_today
from shared.events.finance import BudgetExceeded, BudgetLine, BudgetSet
from shared.figures import (
    PlaceKind,
    budget_reference_day,
    counts_against_guidance_budget,
    guidance_figures,
    place_kind,
)
from shared.organisations import is_gemeente, is_provider, provider_kvks
from shared.problems import BadRequest, InvalidParam, NotFound


def reference_day(year: int) -> date:
    """The day a year's guidance budget is judged on (shared/figures.py)."""
    return budget_reference_day(year, dutch_today())


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


async def place_kinds(uow: FinanceUnitOfWork, gemeente: str,
                      day: date) -> list[tuple[str, PlaceKind]]:
    """(uitvoerder, kind) of each of the gemeente's places running on `day`."""
    kvks = provider_kvks()
    return [(provider, place_kind(form, employer_kvk=kvk, provider=provider,
                                  provider_kvks=kvks))
            for form, kvk, provider in await uow.placements.places_on_unscoped(gemeente, day)]


async def guidance_of(uow: FinanceUnitOfWork, budget: Budget) -> GuidanceRealisation:
    """Places at the uitvoerder vs funded places of the budget's gemeente on the reference day."""
    kinds = await place_kinds(uow, budget.gemeente, reference_day(budget.year))
    figures = guidance_figures(budget.funded_places, (kind for _, kind in kinds))
    return guidance_realisation(figures, budget.place_price)


def _exceeded_event(uow: FinanceUnitOfWork, budget: Budget, line: BudgetLine,
                    budgeted: Decimal, realised: Decimal) -> None:
    uow.outbox.add(BudgetExceeded(
        gemeente=budget.gemeente, year=budget.year, line=line, budgeted=budgeted,
        realised=realised, detected_at=datetime.now(UTC)),
        gemeente=budget.gemeente, subject_id=f"{budget.gemeente}-{budget.year}")


async def check_guidance(uow: FinanceUnitOfWork, gemeente: str, year: int) -> None:
    """Publish guidance's budget-exceeded the first time placements pass the funded places."""
    budget = await uow.budgets.get_unscoped((gemeente, year))
    if budget is None or budget.guidance_exceeded_at is not None:
        return
    guidance = await guidance_of(uow, budget)
    if exceeded(guidance.budget, guidance.realised):
        budget.guidance_exceeded_at = datetime.now(UTC)
        _exceeded_event(uow, budget, BudgetLine.GUIDANCE, guidance.budget, guidance.realised)


async def check_lks(uow: FinanceUnitOfWork, gemeente: str, year: int) -> None:
    """Publish LKS's budget-exceeded the first time payments pass the LKS budget."""
    budget = await uow.budgets.get_unscoped((gemeente, year))
    if budget is None or budget.lks_exceeded_at is not None:
        return
    paid = await uow.payment_runs.lks_paid_unscoped(gemeente, year)
    if exceeded(budget.lks_budget, paid):
        budget.lks_exceeded_at = datetime.now(UTC)
        _exceeded_event(uow, budget, BudgetLine.LKS, budget.lks_budget, paid)


@dataclass(frozen=True)
class ReserveUse:
    """An uitvoerder's reserve and what gemeenten' places above budget drew from it."""

    provider: str
    amount: Decimal
    drawn: Decimal
    remaining: Decimal
    draws: dict[str, Decimal]  # gemeente → amount drawn


@dataclass(frozen=True)
class BudgetFigures:
    """A budget against its realisation, and the reserve that pays places above it."""

    budget: Budget
    reference_day: date
    guidance: GuidanceRealisation
    lks_paid: Decimal
    reserve: ReserveUse | None


async def set_budget(uow: FinanceUnitOfWork, command: SetBudget) -> BudgetFigures:
    """Set (or change) the year's budget → finance.budget-set; check both lines at once."""
    principal = uow.require(*access.CONTROLLERS, kinds=access.GEMEENTE_ONLY)
    access.own_gemeente(principal, known_gemeente(command.gemeente))
    gemeente, year, now = command.gemeente, command.year, datetime.now(UTC)
    budget = await uow.budgets.get_for_update_unscoped((gemeente, year))
    if budget is None:
        budget = uow.budgets.add(Budget(
            gemeente=gemeente, year=year, funded_places=command.funded_places,
            place_price=command.place_price, lks_budget=command.lks_budget, set_at=now))
    else:
        budget.funded_places, budget.place_price = command.funded_places, command.place_price
        budget.lks_budget, budget.set_at = command.lks_budget, now
    await uow.flush()
    uow.outbox.add(BudgetSet(
        gemeente=gemeente, year=year, funded_places=command.funded_places,
        place_price=command.place_price,
        guidance_budget=command.funded_places * command.place_price,
        lks_budget=command.lks_budget, set_at=now),
        gemeente=gemeente, subject_id=f"{gemeente}-{year}")
    await check_guidance(uow, gemeente, year)
    await check_lks(uow, gemeente, year)
    await uow.flush()
    return await _figures(uow, gemeente, year)


async def read_budget(uow: FinanceUnitOfWork, query: ReadBudget) -> BudgetFigures:
    """Budget against realisation, for the gemeente's staff or an uitvoerder working for it."""
    access.figures_of(uow.principal, known_gemeente(query.gemeente))
    return await _figures(uow, query.gemeente, query.year)


async def _figures(uow: FinanceUnitOfWork, gemeente: str, year: int) -> BudgetFigures:
    budget = await uow.budgets.get_unscoped((gemeente, year))
    if budget is None:
        raise NotFound(f"no budget of {gemeente} for {year}")
    guidance = await guidance_of(uow, budget)
    paid = await uow.payment_runs.lks_paid_unscoped(gemeente, year)
    provider = await main_provider(uow, gemeente, year)
    reserve = await reserve_use(uow, provider, year) if provider else None
    return BudgetFigures(budget=budget, reference_day=reference_day(year), guidance=guidance,
                         lks_paid=paid, reserve=reserve)


async def main_provider(uow: FinanceUnitOfWork, gemeente: str, year: int) -> str | None:
    """The uitvoerder with most of the gemeente's places at an uitvoerder (ties: by name)."""
    counts: dict[str, int] = {}
    for provider, kind in await place_kinds(uow, gemeente, reference_day(year)):
        if counts_against_guidance_budget(kind):
            counts[provider] = counts.get(provider, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda provider: (-counts[provider], provider))


async def reserve_use(uow: FinanceUnitOfWork, provider: str, year: int) -> ReserveUse | None:
    """The reserve's draws in a year: every budget whose gemeente's places are mostly there."""
    reserve = await uow.budgets.reserve_unscoped(provider)
    if reserve is None:
        return None
    draws: dict[str, Decimal] = {}
    for budget in await uow.budgets.of_year_unscoped(year):
        if await main_provider(uow, budget.gemeente, year) == provider:
            guidance = await guidance_of(uow, budget)
            if guidance.from_reserve:
                draws[budget.gemeente] = guidance.from_reserve
    drawn = sum(draws.values(), Decimal(0))
    return ReserveUse(provider=provider, amount=reserve.amount, drawn=drawn,
                      remaining=reserve.amount - drawn, draws=draws)


async def set_reserve(uow: FinanceUnitOfWork, command: SetReserve) -> ReserveUse:
    """Set the uitvoerder's stimulus reserve (its own controller, admin or board)."""
    principal = uow.require(*access.PROVIDER_MANAGEMENT, kinds=access.PROVIDER_ONLY)
    access.own_provider(principal, known_provider(command.provider))
    reserve = await uow.budgets.reserve_unscoped(command.provider, lock=True)
    now = datetime.now(UTC)
    if reserve is None:
        uow.budgets.add_reserve(Reserve(provider=command.provider, amount=command.amount,
                                        set_at=now))
    else:
        reserve.amount, reserve.set_at = command.amount, now
    await uow.flush()
    return await _reserve(uow, command.provider, command.year)


async def read_reserve(uow: FinanceUnitOfWork, query: ReadReserve) -> ReserveUse:
    """The reserve and, for a year, what each gemeente's places above budget drew from it."""
    access.reserve_reader(uow.principal, known_provider(query.provider))
    return await _reserve(uow, query.provider, query.year)


async def _reserve(uow: FinanceUnitOfWork, provider: str, year: int) -> ReserveUse:
    use = await reserve_use(uow, provider, year)
    if use is None:
        raise NotFound(f"no reserve of {provider}")
    return use
