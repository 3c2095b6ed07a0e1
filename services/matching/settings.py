"""Matching's settings: the shared ones, with MATCHING_ overrides and its own."""

from __future__ import annotations

from typing import ClassVar

from pydantic import field_validator

from services.matching.domain.retries import DEFAULT_SCHEDULE_S
from services.matching.domain.signing import TOLERANCE_S, secret_key
from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


class MatchingSettings(ServiceSettings):
    """Configuration of the matching process."""

    service: ClassVar[str] = "matching"

    # Sender organisation (a WSP) → its `whsec_…` secret for the inbound vacancy webhook.
    # MATCHING_WSP_WEBHOOK_SECRETS='{"WSP-NOORDOOST-BRABANT": "whsec_…"}'
    matching_wsp_webhook_secrets: dict[str, str] = {}
    matching_webhook_tolerance_s: int = TOLERANCE_S
    # Jobcarving: a carved job is only proposed with at least this many hours a week left.
    matching_min_carved_hours: float = 8.0
    # Outbound deliveries: retry steps (seconds), HTTP timeout, how often the worker looks.
    matching_retry_schedule_s: list[float] = list(DEFAULT_SCHEDULE_S)
    matching_delivery_timeout_s: float = 10.0
    matching_delivery_poll_s: float = 1.0
    matching_delivery_batch: int = 50
    # How long a claimed delivery stays claimed: a crashed worker's claim expires after this.
    matching_delivery_lease_s: float = 120.0

    @field_validator("matching_wsp_webhook_secrets")
    @classmethod
    def _secrets_are_whsec(cls, value: dict[str, str]) -> dict[str, str]:
        for sender, secret in value.items():
            if not secret.startswith("whsec_"):
                raise ValueError(f"the secret of {sender} must start with whsec_")
            secret_key(secret)
        return value

    @property
    def require_https_callbacks(self) -> bool:
        """Production delivers only over TLS; development and tests may use plain http."""
        return self.environment == "production"

    # Dienstverbanden (lks, sheltered, regular, secondment) of one person running at the same
    # time may not exceed this many hours a week together (issue 12).
    matching_max_hours_per_week: float = 40.0
