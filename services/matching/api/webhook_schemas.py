"""Bodies of the webhook endpoints: the WSP's inbound vacancies, outbound subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, model_validator

from services.matching.api.formats import WebhookEventType, WerksoortCode
from services.matching.api.schemas import GemeenteCode, KvkNumber, ShortText, VacancyFields
from shared.http.schemas import ApiModel

ExternalRef = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")]


class WspEmployer(ApiModel):
    """The employer as the WSP knows it (registered under the WSP on first sight)."""

    kvk_number: KvkNumber
    name: ShortText
    sector: WerksoortCode
    gemeente: GemeenteCode


class WspVacancy(VacancyFields):
    """A vacancy pushed by a WSP."""

    employer: WspEmployer


class WspVacancyMessage(ApiModel):
    """Create, update or withdraw the vacancy the WSP knows as `externalRef`."""

    action: Literal["create", "update", "withdraw"]
    external_ref: ExternalRef
    vacancy: WspVacancy | None = None

    @model_validator(mode="after")
    def _vacancy_with_create_and_update(self) -> WspVacancyMessage:
        if self.action != "withdraw" and self.vacancy is None:
            raise ValueError(f"action {self.action} needs the vacancy")
        return self


class WspResult(ApiModel):
    """What the webhook did (a replay of the same webhook-id returns the same)."""

    vacancy_id: UUID
    external_ref: str
    action: Literal["create", "update", "withdraw"]
    status: Literal["open", "closed"]


class CreateSubscription(ApiModel):
    """Where to deliver which events."""

    url: str = Field(min_length=8, max_length=2000, pattern=r"^https?://[^\s]+$")
    event_types: list[WebhookEventType] = Field(min_length=1, max_length=20,
                                   examples=[["nl.participatiewet.matching.placement-started"]])


class SubscriptionOut(ApiModel):
    """A subscription (without its secret)."""

    id: UUID
    url: str
    event_types: list[str]
    gemeenten: list[str]
    status: Literal["active", "disabled"]
    created_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None


class CreatedSubscription(SubscriptionOut):
    """The new subscription with its signing secret: shown this once, keep it safe."""

    secret: str


class SubscriptionPage(ApiModel):
    """One page of subscriptions."""

    items: list[SubscriptionOut]
    page: int
    page_size: int
    total: int


class AttemptOut(ApiModel):
    """One HTTP attempt of a delivery."""

    attempted_at: datetime
    duration_ms: float
    status_code: int | None
    error: str | None


class DeliveryOut(ApiModel):
    """One event for one subscription, with its attempt log."""

    id: UUID
    subscription_id: UUID
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "failed", "cancelled"]
    failures: int
    next_attempt_at: datetime | None
    last_status: int | None
    created_at: datetime
    finished_at: datetime | None
    attempts: list[AttemptOut]


class DeliveryPage(ApiModel):
    """One page of deliveries."""

    items: list[DeliveryOut]
    page: int
    page_size: int
    total: int


class NoBody(ApiModel):
    """The (empty) request of a command that takes no body, for its Idempotency-Key record."""
