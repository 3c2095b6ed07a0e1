"""Matching's settings: the shared ones, with MATCHING_ overrides and its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import field_validator
from pydantic_settings import NoDecode

from services.matching.domain.callbacks import Network, parse_allowed_networks
from services.matching.domain.retries import DEFAULT_SCHEDULE_S
from services.matching.domain.signing import TOLERANCE_S, secret_key
from shared.settings import ServiceSettings

API_VERSION = "1.0.0"


@dataclass(frozen=True)
class CallbackPolicy:
    """What production checks before it accepts or uses a callback URL: https, and addresses
    that are public or inside a network the operator allowed."""

    allowed_networks: tuple[Network, ...] = ()


class MatchingSettings(ServiceSettings):
    """Configuration of the matching process."""

    service: ClassVar[str] = "matching"

    # Sender organisation (a WSP) → its `whsec_…` secret for the inbound vacancy webhook.
    # MATCHING_WSP_WEBHOOK_SECRETS='{"WSP-NOORDOOST-BRABANT": "whsec_…"}'; empty means none
    # (compose passes the variable through even when the operator left it unset).
    matching_wsp_webhook_secrets: Annotated[dict[str, str], NoDecode] = {}
    # Private networks whose receivers the operator trusts, e.g. a gemeente's own system on
    # 10.20.0.0/16: MATCHING_CALLBACK_ALLOWED_NETWORKS='10.20.0.0/16,192.168.5.7'. Empty: none.
    matching_callback_allowed_networks: Annotated[tuple[str, ...], NoDecode] = ()
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
    # Dienstverbanden (lks, sheltered, regular, secondment) of one person running at the same
    # time may not exceed this many hours a week together (issue 12).
    matching_max_hours_per_week: float = 40.0

    @field_validator("matching_wsp_webhook_secrets", mode="before")
    @classmethod
    def _secrets_from_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else {}
        return value

    @field_validator("matching_callback_allowed_networks", mode="before")
    @classmethod
    def _networks_from_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        return tuple(str(entry).strip() for entry in value if str(entry).strip())

    @field_validator("matching_callback_allowed_networks")
    @classmethod
    def _networks_parse(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        parse_allowed_networks(value)  # a bad entry stops the start, naming it
        return value

    @field_validator("matching_wsp_webhook_secrets")
    @classmethod
    def _secrets_are_whsec(cls, value: dict[str, str]) -> dict[str, str]:
        for sender, secret in value.items():
            if not secret.startswith("whsec_"):
                raise ValueError(f"the secret of {sender} must start with whsec_")
            secret_key(secret)
        return value

    @property
    def callback_policy(self) -> CallbackPolicy | None:
        """Production checks every callback (https, public or allowed addresses, at
        subscription and again before each delivery); development and tests deliver anywhere,
        plain http included, so they can use local receivers."""
        if self.environment != "production":
            return None
        return CallbackPolicy(parse_allowed_networks(self.matching_callback_allowed_networks))
