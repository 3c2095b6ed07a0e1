"""What the chain tests share: test BSNs in bulk, a registration body, reading a stream whole."""

from __future__ import annotations

from collections.abc import Iterator

import nats

from services.intake.domain.bsn import is_valid_bsn
from shared.auth import OrgKind, Role
from shared.events.envelope import Envelope
from shared.events.subjects import stream_name
from tests.support.services import bearer

BOXTEL = "GM0757"
CASEWORKER = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CASEWORKER)


def elfproef_bsns(start: int = 100_000_000) -> Iterator[str]:
    """Nine-digit numbers that pass intake's BSN check, as many as a test needs."""
    return (f"{n:09d}" for n in range(start, 1_000_000_000) if is_valid_bsn(f"{n:09d}"))


def registration(bsn: str) -> dict[str, object]:
    """A valid registration for a Boxtel resident."""
    return {"bsn": bsn, "givenName": "Test", "familyName": "Persoon", "birthDate": "1990-04-01",
            "postcode": "5281 AB", "targetGroup": "bijstand", "benefit": "bijstand"}


async def stream_events(nats_url: str, producer: str, namespace: str,
                        event_name: str) -> list[Envelope]:
    """Every event of one type in a producer's stream, read from the start (ordered consumer)."""
    client = await nats.connect([u for u in nats_url.split(",") if u])
    try:
        js = client.jetstream()
        stream = stream_name(producer, namespace)
        total = (await js.stream_info(stream)).state.messages
        subscription = await js.subscribe(f"{namespace}.participatiewet.>" if namespace
                                          else "participatiewet.>", stream=stream,
                                          ordered_consumer=True)
        found: list[Envelope] = []
        for _ in range(total):
            message = await subscription.next_msg(timeout=5.0)
            envelope = Envelope.from_json(message.data)
            if envelope.type.endswith(event_name):
                found.append(envelope)
        await subscription.unsubscribe()
        return found
    finally:
        await client.close()
