"""From domain results and stored rows to the API's bodies: money as two-decimal strings,
hours and percentages as numbers (services/finance/api/schemas.py says the format)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from services.finance.api.schemas import GrantOut, ParameterOut, PaymentRunOut, TariffOut
from services.finance.domain.lks import CENT
from services.finance.domain.parameters import Parameter
from services.finance.handlers.grant_queries import ShownGrant


class PaymentRunView(Protocol):
    """What a payment run shows (the handlers return the stored row)."""

    id: UUID
    gemeente: str
    month: str
    status: str
    total_grants: int
    processed: int
    payment_count: int
    total_amount: Decimal
    created_at: datetime
    completed_at: datetime | None


class TariffView(Protocol):
    """What a tariff row shows."""

    product: str
    effective_from: date
    form: str | None
    tariff: Decimal
    risk_surcharge_pct: Decimal


def plain(value: Decimal, places: int = 4) -> str:
    """A decimal without exponent or trailing zeros (at most `places` decimals): 7.355, 156."""
    text = format(value.quantize(Decimal(1).scaleb(-places)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal) -> str:
    """Two decimals (amounts are rounded to cents where they are computed)."""
    return format(Decimal(value).quantize(CENT), "f")


def number(value: Decimal, places: int = 4) -> Decimal:
    """A count or rate for a JSON number, at most `places` decimals (43.3333, not
    43.333333333333336)."""
    return Decimal(plain(value, places))


def exact(value: Decimal) -> str:
    """A rate not rounded to cents (at most six decimals, no trailing zeros): 7.355."""
    return plain(value, 6)


def parameter_out(row: Parameter) -> ParameterOut:
    """A parameter row as the API shows it: an amount in euros as money ("14.71"), a
    percentage or a number of months as a JSON number (23.5, 12)."""
    value: str | Decimal = money(row.value) if row.unit.startswith("EUR/") else row.value
    return ParameterOut(code=row.code, effective_from=row.effective_from, value=value,
                        unit=row.unit, source=row.source)


NO_BIRTH_DATE = ("no birth date known (intake sent none): the adult WML is used; below 21 "
                 "the jeugd-WML would apply")


def grant_out(shown: ShownGrant) -> GrantOut:
    """A grant as the API shows it, with what a reader must know about its figures."""
    grant = shown.grant
    return GrantOut(
        id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, provider=grant.provider, employer_kvk=grant.employer_kvk,
        hours_per_week=grant.hours_per_week, hourly_wage=money(grant.hourly_wage),
        valid_from=grant.valid_from, end_date=grant.end_date, status=grant.status,
        wage_value_pct=grant.wage_value_pct, wage_value_from=grant.wage_value_from,
        monthly_amount=money(grant.monthly_amount), granted_at=grant.granted_at,
        form=grant.form, decision_number=grant.decision_number,
        reassessment_date=grant.reassessment_date, decided_at=grant.decided_at,
        refusal_reason=grant.refusal_reason,
        warnings=[] if shown.birth_date_known else [NO_BIRTH_DATE])


def run_out(run: PaymentRunView) -> PaymentRunOut:
    """A payment run with its progress."""
    return PaymentRunOut(
        id=run.id, gemeente=run.gemeente, month=run.month, status=run.status,
        total_grants=run.total_grants, processed=run.processed,
        payment_count=run.payment_count, total_amount=money(run.total_amount),
        created_at=run.created_at, completed_at=run.completed_at)


def tariff_out(row: TariffView) -> TariffOut:
    """A tariff row: money, and the surcharge as a number."""
    return TariffOut(product=row.product, effective_from=row.effective_from, form=row.form,
                     tariff=money(row.tariff), risk_surcharge_pct=number(row.risk_surcharge_pct))
