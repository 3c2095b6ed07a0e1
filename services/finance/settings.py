"""Finance's settings: the shared ones, with FINANCE_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

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
    # The entity that invoices gemeenten (the Westrom model), and who owns it and who buys.
    finance_entity: str = "WESTROM"
    finance_entity_shareholders: list[str] = ["GM0957", "GM1669", "GM1641"]
    finance_entity_buyers: list[str] = ["GM1711", "GM1640"]
