"""Outbound webhooks to a real local receiver that checks every delivery with the
`standardwebhooks` reference library: delivery, outage, Retry-After, 410, final failure."""

from __future__ import annotations

from typing import Any

from cloudevents.core.formats.json import JSONFormat
from standardwebhooks import Webhook

from shared.auth import OrgKind, Role
from tests.conftest import eventually
from tests.matching.conftest import (
    BOXTEL,
    LIGHT,
    VUGHT,
    Starter,
    gemeente_staff,
    outbox_events,
    staff,
    vacancy,
)
from tests.support.receiver import Receiver, new_receiver, serving
from tests.support.services import ServiceUnderTest, bearer

PUBLISHED = "nl.participatiewet.matching.vacancy-published"
FAILED = "nl.participatiewet.matching.webhook-delivery-failed"


async def subscribe(service: ServiceUnderTest, receiver: Receiver,
                    headers: dict[str, str] | None = None,
                    types: tuple[str, ...] = (PUBLISHED,)) -> dict[str, Any]:
    response = await service.client.post("/v1/webhook-subscriptions", headers=headers or staff(),
                                         json={"url": receiver.url, "eventTypes": list(types)})
    assert response.status_code == 201, response.text
    body = dict(response.json())
    assert body["secret"].startswith("whsec_")
    return body


async def deliveries(service: ServiceUnderTest, subscription_id: str,
                     headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = await service.client.get(
        f"/v1/webhook-subscriptions/{subscription_id}/deliveries", headers=headers or staff())
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def verified(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Every received body, each verified by the reference library (raises if one is not)."""
    return [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]


async def test_each_delivery_verifies_and_only_subscribers_in_tenancy_get_it(
        matching: ServiceUnderTest) -> None:
    async with serving(new_receiver()) as receiver, serving(new_receiver()) as vught:
        subscription = await subscribe(matching, receiver)
        elsewhere = await subscribe(matching, vught, gemeente_staff(VUGHT))
        vacancy_id = await vacancy(matching, [LIGHT])
        await eventually(lambda: receiver.received)
        (event,) = verified(receiver, subscription["secret"])
        assert (event["type"], event["data"]["vacancyId"], event["gemeente"]) == (
            PUBLISHED, vacancy_id, BOXTEL)
        parsed = JSONFormat().read(None, receiver.received[0].body)
        assert parsed.get_type() == PUBLISHED

        async def recorded() -> bool:
            # The receiver answers before matching records the attempt: wait for the record.
            found = await deliveries(matching, subscription["id"])
            return bool(found and found[0]["status"] != "pending")

        await eventually(recorded)
        (delivery,) = await deliveries(matching, subscription["id"])
        assert receiver.received[0].headers["webhook-id"] == delivery["id"]
        assert (delivery["status"], [a["statusCode"] for a in delivery["attempts"]]) == (
            "delivered", [200])
        assert vught.received == []
        assert await deliveries(matching, elsewhere["id"], gemeente_staff(VUGHT)) == []


async def test_a_receiver_that_is_down_for_a_while_gets_it_later(
        start_matching: Starter) -> None:
    matching = await start_matching(matching_retry_schedule_s=[0.2, 0.4, 0.8, 1.6, 3.2])
    receiver = new_receiver()  # nobody listens on its port yet
    subscription = await subscribe(matching, receiver)
    await vacancy(matching, [LIGHT])

    async def failed_once() -> bool:
        found = await deliveries(matching, subscription["id"])
        return bool(found and found[0]["attempts"])

    await eventually(failed_once)
    async with serving(receiver):
        await eventually(lambda: receiver.received, timeout_s=15)
        verified(receiver, subscription["secret"])
    (delivery,) = await deliveries(matching, subscription["id"])
    assert delivery["status"] == "delivered"
    attempts = delivery["attempts"]
    assert attempts[0]["statusCode"] is None and "ConnectError" in attempts[0]["error"]
    assert attempts[-1]["statusCode"] == 200


async def test_retry_after_is_honoured(start_matching: Starter) -> None:
    matching = await start_matching(matching_retry_schedule_s=[0.05, 0.05, 0.05])
    async with serving(new_receiver(script=[(503, {"Retry-After": "2"})])) as receiver:
        subscription = await subscribe(matching, receiver)
        await vacancy(matching, [LIGHT])
        await eventually(lambda: len(receiver.received) == 2, timeout_s=10)
        first, second = receiver.received
        assert second.at - first.at >= 1.9  # not the 0.05 s step: the receiver's 2 s
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        verified(receiver, subscription["secret"])


async def test_410_disables_the_subscription(matching: ServiceUnderTest) -> None:
    async with serving(new_receiver(default_status=410)) as receiver:
        subscription = await subscribe(matching, receiver)
        await vacancy(matching, [LIGHT])

        async def disabled() -> bool:
            shown = await matching.client.get(
                f"/v1/webhook-subscriptions/{subscription['id']}", headers=staff())
            return bool(shown.json()["status"] == "disabled")

        await eventually(disabled)
        own_stream = next(c for c in matching.runtime.consumers if c.producer == "matching")
        applied_before = own_stream.stats.applied
        await vacancy(matching, [LIGHT])
        # Only once matching has consumed the second event can "nothing fanned out" be judged.
        await eventually(lambda: own_stream.stats.applied > applied_before)
        (delivery,) = await deliveries(matching, subscription["id"])  # nothing new fanned out
        assert delivery["status"] == "cancelled" and len(receiver.received) == 1


async def test_a_final_failure_alerts_and_can_be_redelivered(
        start_matching: Starter) -> None:
    matching = await start_matching(matching_retry_schedule_s=[0.05, 0.05])
    async with serving(new_receiver(default_status=500)) as receiver:
        subscription = await subscribe(matching, receiver)
        await vacancy(matching, [LIGHT])

        async def failed() -> bool:
            found = await deliveries(matching, subscription["id"])
            return bool(found and found[0]["status"] == "failed")

        await eventually(failed)
        (delivery,) = await deliveries(matching, subscription["id"])
        assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 500]
        (alert,) = await outbox_events(matching, FAILED)
        assert (alert["data"]["deliveryId"], alert["data"]["attempts"],
                alert["data"]["lastStatus"]) == (delivery["id"], 3, 500)

        other = bearer("IBN", OrgKind.PROVIDER, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
        path = f"/v1/webhook-deliveries/{delivery['id']}/redeliveries"
        assert (await matching.client.post(path, headers=other)).status_code == 404
        receiver.default_status = 200
        again = await matching.client.post(path, headers=staff())
        assert again.status_code == 201, again.text

        async def delivered() -> bool:
            found = await deliveries(matching, subscription["id"])
            return bool(found[0]["status"] == "delivered")

        await eventually(delivered)
        assert len(verified(receiver, subscription["secret"])) == 4
