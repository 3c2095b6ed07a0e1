"""finance.budget-exceeded as a webhook event (issue 15): subscribable by the gemeente and the
uitvoerders working for it, refused to a WSP; finance's event on the bus reaches a real
receiver, signed, and only within the subscriber's gemeenten."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from standardwebhooks import Webhook

from shared.auth import OrgKind, Role
from shared.events.finance import BudgetExceeded, BudgetLine
from tests.conftest import eventually
from tests.matching.conftest import BOXTEL, VUGHT, WSP, gemeente_staff, publish, staff
from tests.matching.test_outbound_webhooks import deliveries, subscribe
from tests.support.receiver import new_receiver, serving
from tests.support.services import ServiceUnderTest, bearer

BUDGET_EXCEEDED = "nl.participatiewet.finance.budget-exceeded"
PUBLISHED = "nl.participatiewet.matching.vacancy-published"


def exceeded(gemeente: str) -> BudgetExceeded:
    # DOMAIN.md: the guidance budget pays for 108 places at WSD, 120 are taken (12 above it).
    return BudgetExceeded(gemeente=gemeente, year=2026, line=BudgetLine.GUIDANCE,
                          budgeted=Decimal(108), realised=Decimal(120),
                          detected_at=datetime.now(UTC))


async def test_the_gemeente_and_its_uitvoerder_receive_budget_exceeded(
        matching: ServiceUnderTest) -> None:
    async with (serving(new_receiver()) as boxtel, serving(new_receiver()) as wsd,
                serving(new_receiver()) as vught):
        own = await subscribe(matching, boxtel, gemeente_staff(BOXTEL), (BUDGET_EXCEEDED,))
        uitvoerder = await subscribe(matching, wsd, staff(), (BUDGET_EXCEEDED, PUBLISHED))
        elsewhere = await subscribe(matching, vught, gemeente_staff(VUGHT), (BUDGET_EXCEEDED,))
        sent = await publish(matching, exceeded(BOXTEL), BOXTEL, uuid.uuid4())

        await eventually(lambda: boxtel.received and wsd.received)
        (event,) = [Webhook(own["secret"]).verify(r.body, r.headers) for r in boxtel.received]
        assert (event["id"], event["type"], event["gemeente"]) == (sent.id, BUDGET_EXCEEDED,
                                                                   BOXTEL)
        assert (event["data"]["line"], event["data"]["budgeted"], event["data"]["realised"]) == (
            "guidance", "108", "120")
        (seen,) = [Webhook(uitvoerder["secret"]).verify(r.body, r.headers)
                   for r in wsd.received]
        assert seen["id"] == sent.id

        async def delivered() -> bool:
            found = await deliveries(matching, own["id"], gemeente_staff(BOXTEL))
            return [(d["eventType"], d["status"]) for d in found] == [
                (BUDGET_EXCEEDED, "delivered")]

        await eventually(delivered)
        assert vught.received == []  # Vught's budget is not Boxtel's
        assert await deliveries(matching, elsewhere["id"], gemeente_staff(VUGHT)) == []


async def test_a_wsp_cannot_subscribe_to_the_gemeentes_budget(
        matching: ServiceUnderTest) -> None:
    wsp = bearer(WSP, OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
    response = await matching.client.post("/v1/webhook-subscriptions", headers=wsp, json={
        "url": "http://127.0.0.1:9/hooks", "eventTypes": [PUBLISHED, BUDGET_EXCEEDED]})
    assert response.status_code == 400, response.text
    (param,) = response.json()["invalidParams"]
    assert param["name"] == "eventTypes"
    assert BUDGET_EXCEEDED in param["reason"] and "wsp" in param["reason"]
    listed = await matching.client.get("/v1/webhook-subscriptions", headers=wsp)
    assert listed.json()["total"] == 0
    # Its vacancy events it may have.
    allowed = await matching.client.post("/v1/webhook-subscriptions", headers=wsp, json={
        "url": "http://127.0.0.1:9/hooks", "eventTypes": [PUBLISHED]})
    assert allowed.status_code == 201, allowed.text


def test_who_may_receive_which_event_type() -> None:
    from services.matching.domain.webhook_events import may_receive
    assert [may_receive(BUDGET_EXCEEDED, kind) for kind in ("gemeente", "provider", "wsp")] == [
        True, True, False]
    assert [may_receive(PUBLISHED, kind) for kind in ("gemeente", "provider", "wsp")] == [
        True, True, True]
    assert not may_receive("nl.participatiewet.intake.candidate-registered", "gemeente")
