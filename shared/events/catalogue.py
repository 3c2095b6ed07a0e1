"""The event catalogue: one frozen, versioned pydantic model per event type.

Producers and consumers import the same model. Reading tolerates unknown fields so a producer
can add optional data without breaking consumers; a breaking change is a new version
(`…candidate-registered.v2`) published side by side.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared.events.envelope import TYPE_PREFIX, Envelope


class EventData(BaseModel):
    """Base of every event's data: camelCase on the wire, frozen, forward compatible."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True
    )

    # `<service>.<entity>-<past-verb>`, e.g. `intake.candidate-registered`.
    name: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def ce_type(cls) -> str:
        """The CloudEvents `type`: reverse-DNS after the law, with `.vN` from version 2 on."""
        suffix = f".v{cls.version}" if cls.version > 1 else ""
        return f"{TYPE_PREFIX}{cls.name}{suffix}"

    @classmethod
    def producer(cls) -> str:
        """The service that publishes this event (first part of the name)."""
        return cls.name.split(".", 1)[0]

    # The field that names the event's subject (CloudEvents `subject`): the resident, unless
    # the event is about something else (a vacancy, a payment run, a subscription).
    subject_field: ClassVar[str] = "candidate_id"

    def tenant(self) -> str:
        """The gemeente whose residents (or budget) the event is about: its `gemeente` field."""
        return str(getattr(self, "gemeente"))  # noqa: B009 — not every event model declares it

    def subject_id(self) -> str:
        """The CloudEvents subject: the id in `subject_field`."""
        return str(getattr(self, self.subject_field))

    def to_data(self) -> dict[str, Any]:
        """JSON-ready data for the envelope."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


E = TypeVar("E", bound=EventData)

CATALOGUE: dict[str, type[EventData]] = {}


def register(model: type[E]) -> type[E]:
    """Class decorator: add an event model to the catalogue under its CloudEvents type."""
    ce_type = model.ce_type()
    if ce_type in CATALOGUE:
        raise ValueError(f"event type {ce_type} registered twice")
    CATALOGUE[ce_type] = model
    return model


def parse_data(envelope: Envelope) -> EventData | None:
    """The typed data of an envelope, or None when the type is not in the catalogue."""
    model = CATALOGUE.get(envelope.type)
    return model.model_validate(envelope.data) if model else None
