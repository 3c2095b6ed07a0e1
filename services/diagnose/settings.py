"""Diagnose's settings: the shared ones, with DIAGNOSE_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

from services.diagnose.domain.reference import (
    DEFAULT_REASSESSMENT_MONTHS,
    DEFAULT_WAGE_VALUE_METHODS,
)
from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


class DiagnoseSettings(ServiceSettings):
    """Configuration of the diagnose process."""

    service: ClassVar[str] = "diagnose"

    # Where intake's API is: diagnose asks it who a person is, with the caller's token.
    diagnose_intake_url: str = "http://127.0.0.1:8001"
    # The uitvoerders this deployment works for; empty: every referral (a regional deployment).
    diagnose_providers: list[str] = []
    diagnose_wage_value_methods: list[str] = list(DEFAULT_WAGE_VALUE_METHODS)
    diagnose_reassessment_months: int = DEFAULT_REASSESSMENT_MONTHS

    @property
    def wage_value_methods(self) -> list[str]:
        """Accepted loonwaarde methods."""
        return self.diagnose_wage_value_methods

    @property
    def reassessment_months(self) -> int:
        """Default validity of a wage value."""
        return self.diagnose_reassessment_months
