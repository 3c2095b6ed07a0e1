"""Finance's settings: the shared ones, with FINANCE_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from shared.organisations import is_gemeente, is_provider
from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


class FinanceSettings(ServiceSettings):
    """Configuration of the finance process."""

    service: ClassVar[str] = "finance"

    # Ask diagnose for a new loonwaarde this many days before the current one expires.
    finance_reassessment_lead_days: int = 56
    # How often the app scans for wage values to re-assess (seconds); 0 switches the scan off.
    finance_reassessment_interval_s: float = 3600.0
    # Grants per transaction in a payment run: bounds memory and the length of a transaction.
    finance_payment_batch_size: int = 2000
    # A month may be paid from its 1st minus this many days (0: from the 1st): a run locks its
    # month, so a run for a future month would block that month's real run.
    finance_payment_run_lead_days: int = Field(default=0, ge=0, le=31)
    # The entity that invoices gemeenten (the Westrom model), and who owns it and who buys.
    finance_entity: str = "WESTROM"
    finance_entity_shareholders: list[str] = ["GM0957", "GM1669", "GM1641"]
    finance_entity_buyers: list[str] = ["GM1711", "GM1640"]

    @field_validator("finance_entity")
    @classmethod
    def _known_entity(cls, value: str) -> str:
        # Organisations are matched by code (a name here once left Maasgouw's invoice empty).
        if not is_provider(value):
            raise ValueError(f"{value!r} is not the code of a known uitvoerder (e.g. WESTROM)")
        return value

    @field_validator("finance_entity_shareholders", "finance_entity_buyers")
    @classmethod
    def _known_gemeenten(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if not is_gemeente(code)]
        if unknown:
            raise ValueError(f"not CBS codes of known gemeenten: {', '.join(unknown)}")
        return value
