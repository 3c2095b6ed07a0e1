"""Budgets, the uitvoerder's stimulus reserve and the entity's tariffs (pure arithmetic).

The WSD model: a gemeente funds a number of guidance places at a price; places its residents take
at the uitvoerder above that number are paid from the uitvoerder's stimulus reserve (WSD: €6.7
mln; Boxtel 2021: 120 placed vs 108 funded → 12 from the reserve). The Westrom model: the entity
charges a cost-covering tariff per product; gemeenten that buy without being shareholders pay a
risk surcharge on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.finance.domain.lks import HUNDRED, to_cents


@dataclass(frozen=True)
class GuidanceRealisation:
    """Guidance places and money of one gemeente in one year."""

    funded_places: int
    placed: int
    above_budget: int
    place_price: Decimal
    budget: Decimal
    realised: Decimal
    from_budget: Decimal
    from_reserve: Decimal


def guidance_realisation(funded_places: int, place_price: Decimal,
                         placed: int) -> GuidanceRealisation:
    """Placed × price against funded × price; the places above the funded ones go to the reserve."""
    above = max(0, placed - funded_places)
    return GuidanceRealisation(
        funded_places=funded_places, placed=placed, above_budget=above, place_price=place_price,
        budget=to_cents(funded_places * place_price), realised=to_cents(placed * place_price),
        from_budget=to_cents((placed - above) * place_price),
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
