"""What intake puts on the bus: CloudEvents, correlated with the request, free of personal data."""

from __future__ import annotations

import nats
import pytest
from cloudevents.core.formats.json import JSONFormat
from nats.aio.msg import Msg

from shared.logging import configure_logging
from tests.conftest import eventually
from tests.intake.conftest import IntakeUnderTest, auth, candidate_body, refer, register

BIRTH_DATE = "1990-04-01"
# Never on the bus. The birth date travels once, as `birthDate` of candidate-registered only.
PERSONAL = ("999996708", "Jan", "Jansen", "5281AB", "5281 AB")


async def walk_the_klantreis(intake: IntakeUnderTest) -> tuple[str, str]:
    """Register → refer → programme → close; returns the candidate id and the first trace id."""
    response = await intake.client.post("/v1/candidates", json=candidate_body(), headers=auth())
    assert response.status_code == 201
    candidate_id = response.json()["id"]
    trace_id = response.headers["traceparent"].split("-")[1]
    assert (await refer(intake, candidate_id)).status_code == 201
    programme = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions",
        json={"programme": "ontwikkel", "provider": "WSD", "startDate": "2026-02-01",
              "migrated": True},
        headers=auth())
    assert programme.status_code == 201
    closure = await intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                       json={"reason": "work"}, headers=auth())
    assert closure.status_code == 201
    return candidate_id, trace_id


async def test_events_are_cloudevents_without_personal_data(
    intake: IntakeUnderTest, nats_url: str, bus_namespace: str
) -> None:
    received: list[Msg] = []
    nc = await nats.connect(nats_url)

    async def collect(message: Msg) -> None:
        received.append(message)

    await nc.subscribe(f"{bus_namespace}.participatiewet.>", cb=collect)
    try:
        candidate_id, trace_id = await walk_the_klantreis(intake)
        mine = lambda: [m for m in received if candidate_id.encode() in m.data]  # noqa: E731
        await eventually(lambda: len(mine()) == 5)
    finally:
        await nc.close()

    events = [JSONFormat().read(None, m.data) for m in mine()]
    types = [e.get_attributes()["type"].removeprefix("nl.participatiewet.") for e in events]
    assert types == ["intake.candidate-registered", "intake.route-decided",
                     "intake.candidate-referred", "intake.programme-decided",
                     "intake.candidate-closed"]
    for message, event in zip(mine(), events, strict=True):
        attributes = event.get_attributes()
        assert attributes["subject"] == candidate_id
        assert attributes["gemeente"] == "GM0757"
        assert message.subject.startswith(f"{bus_namespace}.participatiewet.GM0757.intake.")
        assert message.headers and message.headers["Nats-Msg-Id"] == attributes["id"]
        everything = message.data.decode() + repr(message.headers) + message.subject
        for value in PERSONAL:
            assert value not in everything, f"{value!r} leaked into {attributes['type']}"
        if attributes["type"] != "nl.participatiewet.intake.candidate-registered":
            assert BIRTH_DATE not in everything, f"birth date leaked into {attributes['type']}"
        assert BIRTH_DATE not in repr(message.headers) + message.subject
    registered = events[0]
    assert registered.get_attributes()["correlationid"] == trace_id
    assert registered.get_data() == {
        "candidateId": candidate_id, "gemeente": "GM0757", "targetGroup": "bijstand",
        "birthYear": 1990, "birthDate": BIRTH_DATE,
        "registeredAt": registered.get_data()["registeredAt"]}


async def test_no_personal_data_in_any_log_line(
    intake: IntakeUnderTest, capfd: pytest.CaptureFixture[str]
) -> None:
    # The service's own logging set-up, again now that capfd owns stdout: structlog writes to
    # whatever sys.stdout is, but the stdlib handler binds the stream it finds, and apps other
    # tests keep running may have set it up under another capture.
    configure_logging("intake")
    await walk_the_klantreis(intake)
    # A rejected registration and a duplicate: error paths log too.
    await intake.client.post("/v1/candidates", json=candidate_body(bsn="999998620"),
                             headers=auth())
    await register(intake, bsn="999996630")
    await intake.client.post("/v1/candidates", json=candidate_body(bsn="999996630"),
                             headers=auth())
    out, err = capfd.readouterr()
    logged = out + err
    assert "http.request" in logged  # the capture did see the service's log lines
    for value in (*PERSONAL, BIRTH_DATE, "999998620", "999996630"):
        assert value not in logged
