"""What the chain tests share: test BSNs in bulk, a registration body, reading a stream whole."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
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


def register_all(base_url: str, bsns: list[str], ids: list[str] | None = None) -> list[str]:
    """POST every registration; the candidate ids of the 201s (any other answer fails),
    appended to `ids` one by one so another thread can watch progress."""
    ids = [] if ids is None else ids
    with httpx.Client(base_url=base_url, headers=CASEWORKER, timeout=10.0) as client:
        for bsn in bsns:
            response = client.post("/v1/candidates", json=registration(bsn))
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
    return ids


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


EMPLOYER = {"kvkNumber": "12345678", "name": "Groothandel De Kempen BV", "sector": "logistiek",
            "gemeente": BOXTEL}
LIGHT_TASK = {"name": "orders picken", "hoursPerWeek": 24,
              "demands": [{"code": "standing-max-hours", "value": 4}], "skills": ["scanner"]}


def vacancy_body(employer_id: str) -> dict[str, object]:
    """A warehouse vacancy in Boxtel with one light task."""
    return {"employerId": employer_id, "title": "Orderpicker", "werksoort": "logistiek",
            "gemeente": BOXTEL, "hoursPerWeek": 24, "hourlyWage": "14.71",
            "contractForms": ["lks"], "tasks": [LIGHT_TASK]}
