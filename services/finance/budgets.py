"""Budgets per gemeente per year, the uitvoerder's stimulus reserve, and their realisation.

Guidance realisation = the gemeente's placements needing guidance (every form but `regular`)
that run on a day of the year × the place price; LKS realisation = the year's payment lines.
`finance.budget-exceeded` is published once per line per year, when realisation first passes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.finance.domain.budget import GuidanceRealisation, exceeded, guidance_realisation
from services.finance.store.models import Budget, PaymentLine, Reserve
from services.finance.store.repository import placed_by_provider, placed_count
from shared.bus.outbox import add_event
from shared.events.finance import BudgetExceeded, BudgetLine, BudgetSet


def year_bounds(year: int) -> tuple[date, date]:
    """1 January and 31 December."""
    return date(year, 1, 1), date(year, 12, 31)


async def guidance_of(session: AsyncSession, budget: Budget) -> GuidanceRealisation:
    """Placed vs funded places of the budget's gemeente and year."""
    first, last = year_bounds(budget.year)
    placed = await placed_count(session, budget.gemeente, first, last)
    return guidance_realisation(budget.funded_places, budget.place_price, placed)


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
    """The uitvoerder where most of the gemeente's guided placements are (ties: by name)."""
    first, last = year_bounds(year)
    counts = await placed_by_provider(session, gemeente, first, last)
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
