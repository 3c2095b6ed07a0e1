"""CloudEvents 1.0 envelope (NL GOV profile), carried over NATS in structured JSON mode.

The payload on the bus is the whole CloudEvent as `application/cloudevents+json`, so any
CloudEvents SDK can read it; a few attributes are repeated as NATS headers for routing and
JetStream de-duplication (`Nats-Msg-Id` = event id). Context attributes are logged by
intermediaries, so they never carry personal data: `subject` is a pseudonymous UUID.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SPECVERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
DATA_CONTENT_TYPE = "application/json"
TYPE_PREFIX = "nl.participatiewet."
_VERSION_SUFFIX = re.compile(r"\.v\d+$")


class EnvelopeError(ValueError):
    """A message on the bus that is not a CloudEvent we can read."""


def source_urn(oin: str, service: str) -> str:
    """`urn:nld:oin:<OIN>:systeem:<service>` as the NL GOV profile asks."""
    return f"urn:nld:oin:{oin}:systeem:{service}"


@dataclass(frozen=True)
class Envelope:
    """One CloudEvent: context attributes plus JSON data."""

    type: str
    source: str
    subject: str
    gemeente: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    traceparent: str | None = None
    correlationid: str | None = None

    @property
    def event_name(self) -> str:
        """`intake.candidate-registered` for `nl.participatiewet.intake.candidate-registered`."""
        # A breaking change publishes `<name>.v2` side by side; the subject keeps the base name.
        return _VERSION_SUFFIX.sub("", self.type.removeprefix(TYPE_PREFIX))

    def to_dict(self) -> dict[str, Any]:
        """The structured-mode JSON object."""
        body: dict[str, Any] = {
            "specversion": SPECVERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "datacontenttype": DATA_CONTENT_TYPE,
            "gemeente": self.gemeente,
        }
        if self.traceparent:
            body["traceparent"] = self.traceparent
        if self.correlationid:
            body["correlationid"] = self.correlationid
        body["data"] = self.data
        return body

    def to_json(self) -> bytes:
        """Serialise for the bus (and the outbox)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Envelope:
        """Parse a structured-mode CloudEvent; unknown extension attributes are ignored."""
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise EnvelopeError(f"not JSON: {exc}") from exc
        if not isinstance(body, dict) or body.get("specversion") != SPECVERSION:
            raise EnvelopeError("not a CloudEvents 1.0 structured event")
        try:
            data = body.get("data") or {}
            if not isinstance(data, dict):
                raise EnvelopeError("data must be a JSON object")
            return cls(
                id=str(body["id"]),
                type=str(body["type"]),
                source=str(body["source"]),
                subject=str(body.get("subject", "")),
                gemeente=str(body["gemeente"]),
                time=datetime.fromisoformat(str(body["time"]).replace("Z", "+00:00")),
                traceparent=body.get("traceparent"),
                correlationid=body.get("correlationid"),
                data=data,
            )
        except KeyError as exc:
            raise EnvelopeError(f"missing attribute {exc}") from exc
        except ValueError as exc:
            raise EnvelopeError(str(exc)) from exc
