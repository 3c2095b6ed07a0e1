"""Grants from placement and wage-value events on the real bus, applied once, in any order."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import nats
from cloudevents.core.formats.json import JSONFormat
from nats.aio.msg import Msg

from services.finance.store.models import Grant
from shared.events.matching import PlacementForm
from tests.conftest import eventually
from tests.finance.conftest import (
    BOXTEL,
    FAR,
    KVK,
    VUGHT,
    Finance,
    decide,
    ended,
    gemeente_staff,
    granted,
    lks_placement,
    measured,
    provider_staff,
    started,
)


async def test_placement_event_grants_lks_to_the_employer(finance: Finance) -> None:
    received: list[Msg] = []
    nc = await nats.connect(finance.nats_url)

    async def collect(message: Msg) -> None:
        received.append(message)

    await nc.subscribe(f"{finance.namespace}.participatiewet.*.finance.>", cb=collect)
    try:
        candidate, grant = await lks_placement(finance)
        await eventually(lambda: any(str(candidate).encode() in m.data for m in received))
    finally:
        await nc.close()
    assert (grant.employer_kvk, grant.gemeente, grant.status) == (KVK, BOXTEL, "active")
    assert grant.valid_from == date(2026, 1, 1) and grant.monthly_amount == Decimal("1530.38")
    (message,) = [m for m in received if str(candidate).encode() in m.data]
    event = JSONFormat().read(None, message.data)
    assert event.get_attributes()["type"] == "nl.participatiewet.finance.lks-granted"
    data = event.get_data()
    assert (data["grantId"], data["employerKvk"], data["wageValuePct"]) == (
        str(grant.id), KVK, 50)
    assert Decimal(data["monthlyAmount"]) == Decimal("1530.38")
    response = await finance.client.get(f"/v1/grants/{grant.id}", headers=gemeente_staff())
    assert response.status_code == 200 and response.json()["monthlyAmount"] == "1530.38"


async def test_duplicate_events_make_one_grant(finance: Finance) -> None:
    candidate = uuid.uuid4()
    wage_value = measured(candidate, 50, date(2025, 6, 1), valid_until=FAR)
    placement = started(candidate)
    first = await finance.publish(wage_value)
    await finance.publish(placement)
    (proposal,) = await granted(finance, candidate)
    await decide(finance, proposal)
    # the same envelopes past JetStream's de-duplication, and the same facts under new ids
    await finance.publish(wage_value, event_id=first.id, msg_id=str(uuid.uuid4()))
    await finance.publish(wage_value)
    await finance.publish(placement)
    marker = uuid.uuid4()  # behind the copies on both streams: once granted, they were handled
    await finance.publish(measured(marker, 50, date(2025, 6, 1), valid_until=FAR))
    await finance.publish(started(marker))
    await granted(finance, marker)
    assert len(await finance.grants_of(candidate)) == 1
    granted_events = [e for e in await finance.events("finance.lks-granted")
                      if e["candidateId"] == str(candidate)]
    assert len(granted_events) == 1


async def test_wage_value_after_the_placement_grants_then(finance: Finance) -> None:
    candidate = uuid.uuid4()
    placement = started(candidate, start=date(2026, 1, 1))
    await finance.publish(placement)

    async def listed() -> bool:
        found = await finance.placement(placement.placement_id)
        return found is not None and found.unpayable_reason == "wage-value-missing"

    await eventually(listed)
    await finance.publish(measured(candidate, 60, date(2026, 1, 16), valid_until=FAR))
    (grant,) = await granted(finance, candidate)
    assert grant.valid_from == date(2026, 1, 16)  # nothing before the loonwaarde was known
    assert (await finance.placement(placement.placement_id)).unpayable_reason is None  # type: ignore[union-attr]


async def test_expired_wage_value_is_listed_and_not_granted(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, date(2024, 6, 1),
                                   valid_until=date(2025, 6, 1)))
    placement = started(candidate, start=date(2026, 1, 1))

    await eventually(lambda: finance.has_wage_value(candidate))
    await finance.publish(placement)

    async def listed() -> list[dict[str, str]]:
        response = await finance.client.get("/v1/grants/unpayable", headers=gemeente_staff())
        return [p for p in response.json()["items"]
                if p["placementId"] == str(placement.placement_id)]

    await eventually(listed)
    (item,) = await listed()
    assert item["reason"] == "wage-value-expired" and item["employerKvk"] == KVK
    assert await finance.grants_of(candidate) == []
    other = await finance.client.get("/v1/grants/unpayable", headers=gemeente_staff(VUGHT))
    assert all(p["placementId"] != str(placement.placement_id) for p in other.json()["items"])


async def test_new_wage_value_adjusts_and_placement_end_ends_the_grant(finance: Finance) -> None:
    candidate, grant = await lks_placement(finance)
    await finance.publish(measured(candidate, 60, date(2026, 3, 1), valid_until=FAR))

    async def adjusted() -> list[dict[str, str]]:
        return [e for e in await finance.events("finance.lks-adjusted")
                if e["grantId"] == str(grant.id)]

    await eventually(adjusted)
    (event,) = await adjusted()
    # 60%: gap 5.884 × 208.0728 = 1224.2995552 → 1224.30, from the measured date
    assert (event["effectiveFrom"], event["wageValuePct"]) == ("2026-03-01", 60)
    assert Decimal(event["monthlyAmount"]) == Decimal("1224.30")

    placement_id = grant.placement_id
    placement = started(candidate, placement_id=placement_id)
    await finance.publish(ended(placement, date(2026, 6, 30)))

    async def ended_grant() -> Grant | None:
        (current,) = await finance.grants_of(candidate)
        return current if current.status == "ended" else None

    await eventually(ended_grant)
    (current,) = await finance.grants_of(candidate)
    assert current.end_date == date(2026, 6, 30)
    assert [e["endDate"] for e in await finance.events("finance.lks-ended")
            if e["grantId"] == str(grant.id)] == ["2026-06-30"]


async def test_end_before_start_still_grants_and_ends(finance: Finance) -> None:
    candidate = uuid.uuid4()
    placement = started(candidate, start=date(2026, 1, 1))
    await finance.publish(measured(candidate, 50, date(2025, 6, 1), valid_until=FAR))
    await finance.publish(ended(placement, date(2026, 2, 28)))

    async def end_stored() -> bool:
        found = await finance.placement(placement.placement_id)
        return found is not None and found.end_date is not None

    await eventually(end_stored)
    await finance.publish(placement)
    (grant,) = await granted(finance, candidate)
    # Pending, with the end it already knows; the decision grants the days it ran.
    assert (grant.status, grant.end_date) == ("pending", date(2026, 2, 28))
    decided = await decide(finance, grant)
    assert (decided.status, decided.end_date) == ("ended", date(2026, 2, 28))
    assert grant.placement_id == placement.placement_id
    assert [e["endDate"] for e in await finance.events("finance.lks-ended")
            if e["candidateId"] == str(candidate)] == ["2026-02-28"]


async def _status(finance: Finance, candidate: uuid.UUID, status: str) -> bool:
    grants = await finance.grants_of(candidate)
    return bool(grants) and grants[0].status == status


async def test_only_lks_placements_are_granted(finance: Finance) -> None:
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, 50, date(2025, 6, 1), valid_until=FAR))
    regular = started(candidate, form=PlacementForm.REGULAR)
    await finance.publish(regular)
    marker, _ = await lks_placement(finance)
    assert await finance.placement(regular.placement_id) is not None
    assert await finance.grants_of(candidate) == []
    assert marker != candidate


async def test_reassessment_due_once_per_measurement(finance: Finance) -> None:
    candidate = uuid.uuid4()
    measurement = measured(candidate, 50, date(2025, 6, 1), valid_until=date(2026, 6, 1))
    await finance.publish(measurement)
    await finance.publish(started(candidate, start=date(2026, 1, 1)))
    (proposal,) = await granted(finance, candidate)
    background = finance.service.app.state.background
    assert await background.scan_once(on=date(2026, 4, 6)) == 0  # pending: not granted yet
    await decide(finance, proposal)
    assert await background.scan_once(on=date(2026, 4, 5)) == 0  # 57 days ahead: not yet
    assert await background.scan_once(on=date(2026, 4, 6)) == 1  # 56 days (the lead time)
    assert await background.scan_once(on=date(2026, 4, 7)) == 0  # once per measurement
    (event,) = [e for e in await finance.events("finance.reassessment-due")
                if e["candidateId"] == str(candidate)]
    assert (event["measurementId"], event["dueDate"], event["provider"]) == (
        str(measurement.measurement_id), "2026-06-01", "WSD")


async def test_grants_are_tenant_scoped(finance: Finance) -> None:
    boxtel_candidate, boxtel_grant = await lks_placement(finance)
    _, vught_grant = await lks_placement(finance, gemeente=VUGHT, provider="IBN")

    async def ids(headers: dict[str, str]) -> set[str]:
        response = await finance.client.get("/v1/grants", headers=headers,
                                            params={"pageSize": 100})
        assert response.status_code == 200, response.text
        return {g["id"] for g in response.json()["items"]}

    boxtel = await ids(gemeente_staff())
    assert str(boxtel_grant.id) in boxtel and str(vught_grant.id) not in boxtel
    wsd = await ids(provider_staff())  # works for Boxtel and Vught, runs only the Boxtel one
    assert str(boxtel_grant.id) in wsd and str(vught_grant.id) not in wsd
    ibn = await ids(provider_staff("IBN", (VUGHT,)))
    assert ibn == {str(vught_grant.id)} | (ibn - {str(boxtel_grant.id)})
    assert str(boxtel_grant.id) not in ibn
    for headers in (gemeente_staff(VUGHT), provider_staff("IBN", (VUGHT,))):
        response = await finance.client.get(f"/v1/grants/{boxtel_grant.id}", headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
    mine = await finance.client.get("/v1/grants", headers=gemeente_staff(),
                                    params={"candidateId": str(boxtel_candidate)})
    assert [g["id"] for g in mine.json()["items"]] == [str(boxtel_grant.id)]
