"""Budgets, the uitvoerder's stimulus reserve and the entity's tariffs (pure arithmetic).

The WSD model: a gemeente funds a number of guidance places at a price; places its residents take
at the uitvoerder above that number are paid from the uitvoerder's stimulus reserve (WSD: €6.7
mln; Boxtel 2021: 120 Participatiewet places at WSD vs 108 funded → 12 from the reserve; the 20
placed directly with employers and the Wsw jobs are not in the guidance budget). What counts as
a place is shared/figures.py's one definition, the same reporting uses.

The Westrom model: the entity charges a cost-covering tariff per product; gemeenten that buy
without being shareholders pay a risk surcharge on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.lks import HUNDRED, to_cents
from shared.figures import GuidanceFigures


@dataclass(frozen=True)
class GuidanceRealisation:
    """Guidance places and money of one gemeente in one year (on its reference day)."""

    funded_places: int
    at_provider: int  # Participatiewet places at the uitvoerder: what the budget pays for
    direct: int  # Participatiewet places directly with employers: not in the budget
    above_budget: int
    place_price: Decimal
    budget: Decimal
    realised: Decimal
    from_budget: Decimal
    from_reserve: Decimal


def guidance_realisation(figures: GuidanceFigures, place_price: Decimal) -> GuidanceRealisation:
    """Places at the uitvoerder × price against funded × price; the places above the funded
    ones are paid from the uitvoerder's reserve."""
    above = figures.above_budget
    return GuidanceRealisation(
        funded_places=figures.funded, at_provider=figures.at_provider, direct=figures.direct,
        above_budget=above, place_price=place_price,
        budget=to_cents(figures.funded * place_price),
        realised=to_cents(figures.at_provider * place_price),
        from_budget=to_cents((figures.at_provider - above) * place_price),
        from_reserve=to_cents(above * place_price))


def exceeded(budgeted: Decimal, realised: Decimal) -> bool:
    """Realisation passed the line (equal to the budget is still within it)."""
    return realised > budgeted


@dataclass(frozen=True)
class InvoiceLine:
    """One product on a gemeente's monthly invoice from the entity."""

    product: str
    quantity: int
    tariff: Decimal
    surcharge_pct: Decimal
    amount: Decimal


def invoice_line(product: str, quantity: int, tariff: Decimal,
                 surcharge_pct: Decimal) -> InvoiceLine:
    """Quantity × cost-covering tariff × (1 + surcharge%), rounded once to cents."""
    amount = to_cents(quantity * tariff * (1 + surcharge_pct / HUNDRED))
    return InvoiceLine(product=product, quantity=quantity, tariff=tariff,
                       surcharge_pct=surcharge_pct, amount=amount)
