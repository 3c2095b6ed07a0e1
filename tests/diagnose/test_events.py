"""Diagnose on the bus: referrals applied once; its own events are CloudEvents without PII."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import nats
from cloudevents.core.formats.json import JSONFormat
from nats.aio.msg import Msg
from sqlalchemy import func, select

from services.diagnose.store.models import DiagnosisCase
from shared.events.envelope import Envelope, source_urn
from shared.events.intake import CandidateReferred, ReferralQuestion
from shared.settings import DEV_OIN
from shared.store import InboxMessage
from tests.conftest import eventually
from tests.diagnose.conftest import (
    BOXTEL,
    PERSON,
    WSD,
    Chain,
    auth,
    cases_of,
    consultant,
    publish,
    referred_case,
    valid_bsn,
)
from tests.diagnose.steps import SUMMARY, WORKPLACES, command, work_the_case

PERSONAL = (valid_bsn(0), PERSON["givenName"], PERSON["familyName"], PERSON["birthDate"],
            PERSON["postcode"], PERSON["postcode"].replace(" ", ""), SUMMARY, *WORKPLACES)


def referral(candidate_id: uuid.UUID, referral_id: uuid.UUID) -> Envelope:
    event = CandidateReferred(
        candidate_id=candidate_id, referral_id=referral_id, gemeente=BOXTEL, provider=WSD,
        question=ReferralQuestion.MWD, target_group="bijstand", birth_year=1987,
        referred_at=datetime.now(UTC))
    return Envelope(type=event.ce_type(), source=source_urn(DEV_OIN, "intake"),
                    subject=str(candidate_id), gemeente=BOXTEL, data=event.to_data())


async def inbox_rows(chain: Chain, event_id: str) -> int:
    async with chain.diagnose.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxMessage).where(
            InboxMessage.event_id == event_id)) or 0)


async def test_a_redelivered_referral_opens_one_case(chain: Chain) -> None:
    candidate_id, referral_id = uuid.uuid4(), uuid.uuid4()
    envelope = referral(candidate_id, referral_id)
    await publish(chain, envelope, msg_id=str(uuid.uuid4()))
    await eventually(lambda: cases_of(chain, str(candidate_id), consultant()))
    # The same event again past JetStream's de-duplication (another Nats-Msg-Id) …
    await publish(chain, envelope, msg_id=str(uuid.uuid4()))
    # … and the same referral under a new event id (a producer that re-published it).
    await publish(chain, referral(candidate_id, referral_id))
    # A later event behind both: once it is applied, the two before it have been handled.
    marker = uuid.uuid4()
    await publish(chain, referral(marker, uuid.uuid4()))
    await eventually(lambda: cases_of(chain, str(marker), consultant()))

    (case,) = await cases_of(chain, str(candidate_id), consultant())
    assert (case["provider"], case["question"]) == (WSD, "mijn-werk-dichtbij")
    assert await inbox_rows(chain, envelope.id) == 1  # recorded once, the copy skipped
    (consumer,) = [c for c in chain.diagnose.runtime.consumers if c.name.endswith("intake")]
    assert consumer.stats.duplicates >= 1
    mine = await cases_of(chain, str(candidate_id), auth())
    assert [c["id"] for c in mine] == [case["id"]]


async def test_a_second_referral_of_the_same_candidate_opens_a_second_case(chain: Chain) -> None:
    candidate_id = uuid.uuid4()
    await publish(chain, referral(candidate_id, uuid.uuid4()))
    await eventually(lambda: cases_of(chain, str(candidate_id), consultant()))
    await publish(chain, referral(candidate_id, uuid.uuid4()))

    async def two_cases() -> bool:
        return len(await cases_of(chain, str(candidate_id), consultant())) == 2

    await eventually(two_cases)
    assert await chain.diagnose.count(DiagnosisCase) >= 2


async def test_diagnose_events_are_cloudevents_without_personal_data(chain: Chain) -> None:
    received: list[Msg] = []
    nc = await nats.connect(chain.nats_url)

    async def collect(message: Msg) -> None:
        received.append(message)

    await nc.subscribe(f"{chain.namespace}.participatiewet.*.diagnose.>", cb=collect)
    try:
        candidate_id, diagnosis_id = await referred_case(chain)
        await work_the_case(chain, diagnosis_id, consultant())
        closed = await command(chain, diagnosis_id, "closure", consultant())
        assert closed.status_code == 201
        mine = lambda: [m for m in received if diagnosis_id.encode() in m.data]  # noqa: E731
        await eventually(lambda: len(mine()) == 5)
    finally:
        await nc.close()

    events = [JSONFormat().read(None, m.data) for m in mine()]
    types = [e.get_attributes()["type"].removeprefix("nl.participatiewet.") for e in events]
    assert types == ["diagnose.diagnosis-started", "diagnose.profile-updated",
                     "diagnose.wage-value-measured", "diagnose.advice-issued",
                     "diagnose.diagnosis-closed"]
    for message, event in zip(mine(), events, strict=True):
        attributes = event.get_attributes()
        name = attributes["type"].removeprefix("nl.participatiewet.")
        assert attributes["subject"] == candidate_id
        assert attributes["gemeente"] == BOXTEL
        assert attributes["source"] == source_urn(DEV_OIN, "diagnose")
        assert message.subject == f"{chain.namespace}.participatiewet.{BOXTEL}.{name}"
        assert message.headers and message.headers["Nats-Msg-Id"] == attributes["id"]
        data = event.get_data()
        assert (data["diagnosisId"], data["candidateId"], data["provider"]) == (
            diagnosis_id, candidate_id, WSD)
        everything = message.data.decode() + repr(message.headers) + message.subject
        for value in PERSONAL:
            assert value not in everything, f"{value!r} leaked into {name}"
    advice = events[3].get_data()
    assert (advice["programme"], advice["lksIndicated"]) == ("ontwikkel", True)
    assert "summary" not in advice
    assert events[4].get_data()["outcome"] == "advice-given"
