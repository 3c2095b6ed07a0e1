"""The entity's tariffs and its monthly invoices to gemeenten (the Westrom model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from services.finance.commands import ReadInvoice, SetTariff
from services.finance.domain.budget import InvoiceLine, invoice_line
from services.finance.domain.lks import month_bounds, to_cents
from services.finance.handlers import access
from services.finance.handlers.payments import month_start
from services.finance.store.models import Tariff
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.organisations import is_gemeente
from shared.problems import BadRequest, InvalidParam, NotFound


async def set_tariff(uow: FinanceUnitOfWork, command: SetTariff) -> Tariff:
    """The entity's tariff for a product from a date (its own controller, admin or board);
    the same date again replaces that row."""
    principal = uow.require(*access.PROVIDER_MANAGEMENT, kinds=access.PROVIDER_ONLY)
    access.own_provider(principal, command.entity)
    row = await uow.tariffs.of_product_on(command.product, command.effective_from)
    if row is None:
        row = uow.tariffs.add(Tariff(product=command.product,
                                     effective_from=command.effective_from))
    row.form = command.form.value if command.form else None
    row.tariff, row.risk_surcharge_pct = command.tariff, command.risk_surcharge_pct
    row.set_at = datetime.now(UTC)
    await uow.flush()
    return row


async def list_tariffs(uow: FinanceUnitOfWork) -> Sequence[Tariff]:
    """Every tariff row (public to every member and buyer: the tariffs are agreed openly)."""
    access.planner(uow.principal)
    return await uow.tariffs.all()


@dataclass(frozen=True)
class Invoice:
    """The entity's invoice lines of a gemeente's month and their total."""

    shareholder: bool
    lines: list[InvoiceLine]
    total: Decimal


async def invoice(uow: FinanceUnitOfWork, query: ReadInvoice) -> Invoice:
    """Placements at the entity that ran in the month × the product's tariff, plus the risk
    surcharge for a buying gemeente. An unknown gemeente is a 400, one the caller may not see
    or the entity does not serve a 404."""
    gemeente, entity = query.gemeente, query.entity
    if not is_gemeente(gemeente):
        raise BadRequest(f"unknown gemeente {gemeente}", invalid_params=[
            InvalidParam("gemeente", "not the CBS code of a known gemeente")])
    access.invoice_reader(uow.principal, gemeente, entity.code)
    shareholder = gemeente in entity.shareholders
    if not shareholder and gemeente not in entity.buyers:
        raise NotFound(f"{gemeente} is no client of {entity.code}")
    first, last = month_bounds(month_start(query.month))
    lines = []
    for product, tariff in sorted((await uow.tariffs.current_on(last)).items()):
        quantity = await uow.placements.placed_count_unscoped(
            gemeente, first, last, provider=entity.code, form=tariff.form)
        surcharge = Decimal(0) if shareholder else tariff.risk_surcharge_pct
        lines.append(invoice_line(product, quantity, tariff.tariff, surcharge))
    total = to_cents(sum((line.amount for line in lines), Decimal(0)))
    return Invoice(shareholder=shareholder, lines=lines, total=total)
