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

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.clock import today
from services.finance.domain.budget import GuidanceRealisation, exceeded, guidance_realisation
from services.finance.store.models import Budget, PaymentLine, Reserve
from services.finance.store.repository import places_on
from shared.bus.outbox import add_event
from shared.events.finance import BudgetExceeded, BudgetLine, BudgetSet
from shared.figures import (
    PlaceKind,
    budget_reference_day,
    counts_against_guidance_budget,
    guidance_figures,
    place_kind,
)
from shared.organisations import provider_kvks


def reference_day(year: int) -> date:
    """The day a year's guidance budget is judged on (shared/figures.py)."""
    return budget_reference_day(year, today())


async def place_kinds(session: AsyncSession, gemeente: str,
                      day: date) -> list[tuple[str, PlaceKind]]:
    """(uitvoerder, kind) of each of the gemeente's places running on `day`."""
    kvks = provider_kvks()
    return [(provider, place_kind(form, employer_kvk=kvk, provider=provider,
                                  provider_kvks=kvks))
            for form, kvk, provider in await places_on(session, gemeente, day)]


async def guidance_of(session: AsyncSession, budget: Budget) -> GuidanceRealisation:
    """Places at the uitvoerder vs funded places of the budget's gemeente on the reference day."""
    kinds = await place_kinds(session, budget.gemeente, reference_day(budget.year))
    figures = guidance_figures(budget.funded_places, (kind for _, kind in kinds))
    return guidance_realisation(figures, budget.place_price)


async def lks_paid(session: AsyncSession, gemeente: str, year: int) -> Decimal:
    """LKS paid to employers for the gemeente's residents in the year."""
    total = await session.scalar(select(func.coalesce(func.sum(PaymentLine.amount), 0)).where(
        PaymentLine.gemeente == gemeente, PaymentLine.month.like(f"{year:04d}-%")))
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _exceeded_event(session: AsyncSession, budget: Budget, line: BudgetLine, budgeted: Decimal,
                    realised: Decimal, oin: str) -> None:
    add_event(session, BudgetExceeded(
        gemeente=budget.gemeente, year=budget.year, line=line, budgeted=budgeted,
        realised=realised, detected_at=datetime.now(UTC)),
        gemeente=budget.gemeente, subject_id=f"{budget.gemeente}-{budget.year}", oin=oin)


async def check_guidance(session: AsyncSession, gemeente: str, year: int, oin: str) -> None:
    """Publish guidance's budget-exceeded the first time placements pass the funded places."""
    budget = await session.get(Budget, (gemeente, year))
    if budget is None or budget.guidance_exceeded_at is not None:
        return
    guidance = await guidance_of(session, budget)
    if exceeded(guidance.budget, guidance.realised):
        budget.guidance_exceeded_at = datetime.now(UTC)
        _exceeded_event(session, budget, BudgetLine.GUIDANCE, guidance.budget,
                        guidance.realised, oin)


async def check_lks(session: AsyncSession, gemeente: str, year: int, oin: str) -> None:
    """Publish LKS's budget-exceeded the first time payments pass the LKS budget."""
    budget = await session.get(Budget, (gemeente, year))
    if budget is None or budget.lks_exceeded_at is not None:
        return
    paid = await lks_paid(session, gemeente, year)
    if exceeded(budget.lks_budget, paid):
        budget.lks_exceeded_at = datetime.now(UTC)
        _exceeded_event(session, budget, BudgetLine.LKS, budget.lks_budget, paid, oin)


async def set_budget(session: AsyncSession, *, gemeente: str, year: int, funded_places: int,
                     place_price: Decimal, lks_budget: Decimal, oin: str) -> Budget:
    """Set (or change) the year's budget → finance.budget-set; check both lines at once."""
    now = datetime.now(UTC)
    budget = await session.get(Budget, (gemeente, year), with_for_update=True)
    if budget is None:
        budget = Budget(gemeente=gemeente, year=year, funded_places=funded_places,
                        place_price=place_price, lks_budget=lks_budget, set_at=now)
        session.add(budget)
    else:
        budget.funded_places, budget.place_price = funded_places, place_price
        budget.lks_budget, budget.set_at = lks_budget, now
    await session.flush()
    add_event(session, BudgetSet(
        gemeente=gemeente, year=year, funded_places=funded_places, place_price=place_price,
        guidance_budget=funded_places * place_price, lks_budget=lks_budget, set_at=now),
        gemeente=gemeente, subject_id=f"{gemeente}-{year}", oin=oin)
    await check_guidance(session, gemeente, year, oin)
    await check_lks(session, gemeente, year, oin)
    await session.flush()
    return budget


@dataclass(frozen=True)
class ReserveUse:
    """An uitvoerder's reserve and what gemeenten' places above budget drew from it."""

    provider: str
    amount: Decimal
    drawn: Decimal
    remaining: Decimal
    draws: dict[str, Decimal]  # gemeente → amount drawn


async def main_provider(session: AsyncSession, gemeente: str, year: int) -> str | None:
    """The uitvoerder with most of the gemeente's places at an uitvoerder (ties: by name)."""
    counts: dict[str, int] = {}
    for provider, kind in await place_kinds(session, gemeente, reference_day(year)):
        if counts_against_guidance_budget(kind):
            counts[provider] = counts.get(provider, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda provider: (-counts[provider], provider))


async def reserve_use(session: AsyncSession, provider: str, year: int) -> ReserveUse | None:
    """The reserve's draws in a year: every budget whose gemeente's places are mostly there."""
    reserve = await session.get(Reserve, provider)
    if reserve is None:
        return None
    draws: dict[str, Decimal] = {}
    for budget in (await session.scalars(select(Budget).where(Budget.year == year))).all():
        if await main_provider(session, budget.gemeente, year) == provider:
            guidance = await guidance_of(session, budget)
            if guidance.from_reserve:
                draws[budget.gemeente] = guidance.from_reserve
    drawn = sum(draws.values(), Decimal(0))
    return ReserveUse(provider=provider, amount=reserve.amount, drawn=drawn,
                      remaining=reserve.amount - drawn, draws=draws)


async def set_reserve(session: AsyncSession, provider: str, amount: Decimal) -> Reserve:
    """Set the uitvoerder's stimulus reserve."""
    reserve = await session.get(Reserve, provider, with_for_update=True)
    now = datetime.now(UTC)
    if reserve is None:
        reserve = Reserve(provider=provider, amount=amount, set_at=now)
        session.add(reserve)
    else:
        reserve.amount, reserve.set_at = amount, now
    await session.flush()
    return reserve
