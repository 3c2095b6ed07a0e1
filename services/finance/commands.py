"""Finance's commands: plain typed objects the handlers take, no HTTP in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SetLegalParameter:
    """The platform operator sets a national legal parameter from a date."""

    code: str
    effective_from: date
    value: Decimal
    unit: str
    source: str
    author: str  # "sub@ORG" of the operator's user


@dataclass(frozen=True)
class StartPaymentRun:
    """Pay a gemeente's decided grants for one month."""

    gemeente: str
    month: str  # "2026-01", bounded by the API
    started_by: str
    today: date
    lead_days: int
