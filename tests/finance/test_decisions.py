"""Issue 12: the grant is the college's decision; LKS for beschut werk only with an indication;
the jeugd-WML by the age on each day. Events on the real bus, decisions over HTTP, payments by
real runs. Every amount is worked out by hand next to its assertion (36 h/week in 2026: one euro
of hourly gap is 156 × 1.08 × 1.235 = 208.0728 euro a month)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.finance.store.models import Candidate, Grant, ShelteredIndication
from shared.auth import OrgKind, Role
from shared.events.intake import (
    CandidateRegistered,
    IndicationDecision,
    ShelteredWorkIndicationDecided,
    UwvAdviceOutcome,
)
from shared.events.matching import PlacementForm
from tests.conftest import eventually
from tests.finance.conftest import (
    BOXTEL,
    FAR,
    VUGHT,
    WSD,
    Finance,
    decide,
    gemeente_staff,
    granted,
    measured,
    provider_staff,
    started,
)
from tests.finance.test_payment_runs import run_month
from tests.support.services import bearer

CASEWORKER = gemeente_staff(BOXTEL, Role.CASEWORKER)
JAN = date(2026, 1, 1)


def decision(grant: dict[str, Any], **change: Any) -> dict[str, Any]:
    """The decision on the terms finance proposed, with `change` applied."""
    return {"decisionNumber": "LKS-2026-0042", "start": grant["validFrom"],
            "monthlyAmount": grant["monthlyAmount"], "wageValuePct": grant["wageValuePct"],
            "reassessmentDate": "2027-01-01", **change}


async def proposal(finance: Finance, *, form: PlacementForm = PlacementForm.LKS,
                   gemeente: str = BOXTEL, wage: str = "14.71",
                   birth: date | None = None, indication: IndicationDecision | None = None,
                   ) -> tuple[uuid.UUID, dict[str, Any]]:
    """A candidate (registered with `birth`, with a beschut-werk `indication`), a loonwaarde
    of 50 % and a placement from 1 January 2026; (candidate, the grant as the API shows it)."""
    candidate = uuid.uuid4()
    if birth is not None:
        await finance.publish(CandidateRegistered(
            candidate_id=candidate, gemeente=gemeente, target_group="bijstand",
            birth_year=birth.year, birth_date=birth, registered_at=datetime.now(UTC)),
            gemeente=gemeente)
    if indication is not None:
        await finance.publish(ShelteredWorkIndicationDecided(
            indication_id=uuid.uuid4(), candidate_id=candidate, gemeente=gemeente,
            uwv_advice_date=date(2025, 10, 1), uwv_outcome=UwvAdviceOutcome.POSITIVE,
            decision=indication, decided_on=date(2025, 11, 1), decided_at=datetime.now(UTC)),
            gemeente=gemeente)
    await finance.publish(measured(candidate, 50, date(2025, 6, 1), valid_until=FAR,
                                   gemeente=gemeente), gemeente=gemeente)
    if birth is not None or indication is not None:
        await eventually(lambda: _folded(finance, candidate, birth, indication))
    await finance.publish(started(candidate, form=form, gemeente=gemeente, wage=wage,
                                  start=JAN), gemeente=gemeente)
    (grant,) = await granted(finance, candidate)
    shown = await finance.client.get(f"/v1/grants/{grant.id}", headers=gemeente_staff(gemeente))
    assert shown.status_code == 200, shown.text
    return candidate, shown.json()


async def _folded(finance: Finance, candidate: uuid.UUID, birth: date | None,
                  indication: IndicationDecision | None) -> bool:
    async with finance.service.runtime.sessions() as session:
        person = await session.get(Candidate, candidate)
        found = await session.scalar(select(ShelteredIndication.indication_id).where(
            ShelteredIndication.candidate_id == candidate))
    return (birth is None or person is not None) and (indication is None or found is not None)


async def events_of(finance: Finance, name: str, candidate: uuid.UUID) -> list[dict[str, Any]]:
    return [e for e in await finance.events(name) if e["candidateId"] == str(candidate)]


async def test_a_pending_grant_is_not_paid_a_decided_one_is(finance: Finance) -> None:
    candidate, grant = await proposal(finance)
    # DOMAIN.md's worked example: (14.71 − 50 % × 14.71) × 208.0728 = 1530.38
    assert (grant["status"], grant["monthlyAmount"], grant["wageValuePct"]) == (
        "pending", "1530.38", 50)
    worklist = await finance.client.get("/v1/grants/pending", headers=CASEWORKER)
    assert [g["id"] for g in worklist.json()["items"]] == [grant["id"]]
    january = await run_month(finance, "2026-01")
    assert (january["paymentCount"], january["totalAmount"]) == (0, "0.00")
    assert await events_of(finance, "finance.lks-granted", candidate) == []

    response = await finance.client.post(f"/v1/grants/{grant['id']}/decisions",
                                         json=decision(grant), headers=CASEWORKER)
    assert response.status_code == 200, response.text
    decided = response.json()
    assert (decided["status"], decided["decisionNumber"], decided["reassessmentDate"]) == (
        "active", "LKS-2026-0042", "2027-01-01")
    (event,) = await events_of(finance, "finance.lks-granted", candidate)
    assert (event["decisionNumber"], event["reassessmentDate"], event["monthlyAmount"]) == (
        "LKS-2026-0042", "2027-01-01", "1530.38")
    after = await finance.client.get("/v1/grants/pending", headers=CASEWORKER)
    assert after.json()["items"] == []
    february = await run_month(finance, "2026-02")
    assert (february["paymentCount"], february["totalAmount"]) == (1, "1530.38")


async def test_the_decision_must_be_what_finance_computes(finance: Finance) -> None:
    candidate, grant = await proposal(finance)
    path = f"/v1/grants/{grant['id']}/decisions"
    for change, field in (({"monthlyAmount": "1530.39"}, "monthlyAmount"),
                          ({"wageValuePct": 40}, "wageValuePct"),
                          ({"start": "2025-12-31"}, "start"),  # before the placement
                          ({"reassessmentDate": "2026-01-01"}, "reassessmentDate"),
                          ({"monthlyAmount": "-1.00"}, "monthlyAmount"),
                          ({"start": "9999-01-01"}, "start"),
                          ({"decisionNumber": ""}, "decisionNumber"),
                          ({"wageValuePct": "50"}, "wageValuePct"),
                          ({"extra": 1}, "extra")):
        response = await finance.client.post(path, json=decision(grant, **change),
                                             headers=CASEWORKER)
        assert response.status_code == 400, (change, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in {p["name"] for p in response.json()["invalidParams"]}
    wrong = await finance.client.post(path, json=decision(grant, monthlyAmount="1600.00"),
                                      headers=CASEWORKER)
    assert "finance computes 1530.38" in wrong.json()["invalidParams"][0]["reason"]
    shown = await finance.client.get(f"/v1/grants/{grant['id']}", headers=CASEWORKER)
    assert shown.json()["status"] == "pending"  # nothing written
    assert await events_of(finance, "finance.lks-granted", candidate) == []


async def test_only_the_gemeentes_own_staff_decide(finance: Finance) -> None:
    _, grant = await proposal(finance)
    path = f"/v1/grants/{grant['id']}/decisions"
    body = decision(grant)
    assert (await finance.client.post(path, json=body, headers=gemeente_staff(
        VUGHT, Role.CASEWORKER))).status_code == 404
    for headers in (provider_staff(WSD, (BOXTEL,), Role.ADMIN),
                    gemeente_staff(BOXTEL, Role.BOARD),
                    gemeente_staff(BOXTEL, Role.ACCOUNT_MANAGER),
                    bearer("PLATFORM", OrgKind.PLATFORM, Role.ADMIN)):
        assert (await finance.client.post(path, json=body, headers=headers)).status_code == 403
        # 403 before 400
        assert (await finance.client.post(path, json={}, headers=headers)).status_code == 403
    assert (await finance.client.post(path, json=body,
                                      headers=gemeente_staff(BOXTEL))).status_code == 200
    again = await finance.client.post(path, json=body, headers=CASEWORKER)
    assert again.status_code == 409


async def test_a_refused_grant_is_never_paid(finance: Finance) -> None:
    candidate, grant = await proposal(finance)
    path = f"/v1/grants/{grant['id']}/refusals"
    bad = await finance.client.post(path, json={"reason": "no-money"}, headers=CASEWORKER)
    assert bad.status_code == 400
    refused = await finance.client.post(path, json={"reason": "not-in-target-group"},
                                        headers=CASEWORKER)
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["refusalReason"]) == (
        "refused", "not-in-target-group")
    (event,) = await events_of(finance, "finance.lks-refused", candidate)
    assert event["reason"] == "not-in-target-group"
    assert (await finance.client.post(f"/v1/grants/{grant['id']}/decisions",
                                      json=decision(grant), headers=CASEWORKER)
            ).status_code == 409
    january = await run_month(finance, "2026-01")
    assert january["paymentCount"] == 0


async def test_the_worklist_is_the_callers_own_and_paged(finance: Finance) -> None:
    first = (await proposal(finance))[1]
    second = (await proposal(finance))[1]
    vught = (await proposal(finance, gemeente=VUGHT))[1]
    page = await finance.client.get("/v1/grants/pending", params={"pageSize": 1},
                                    headers=CASEWORKER)
    assert page.status_code == 200
    assert (page.json()["total"], [g["id"] for g in page.json()["items"]]) == (2, [first["id"]])
    assert 'rel="next"' in page.headers["Link"]
    own = await finance.client.get("/v1/grants/pending", headers=gemeente_staff(VUGHT))
    assert [g["id"] for g in own.json()["items"]] == [vught["id"]]
    wsd = await finance.client.get("/v1/grants/pending", headers=provider_staff(
        WSD, (BOXTEL,), Role.CONSULTANT))
    assert {g["id"] for g in wsd.json()["items"]} == {first["id"], second["id"]}
    assert (await finance.client.get("/v1/grants/pending", params={"pageSize": 0},
                                     headers=CASEWORKER)).status_code == 400


async def test_a_sheltered_placement_with_an_indication_gets_lks_on_the_same_formula(
        finance: Finance) -> None:
    _, grant = await proposal(finance, form=PlacementForm.SHELTERED,
                              indication=IndicationDecision.GRANTED)
    # Beschut werk (art. 10b) is paid with LKS like any other job: 1530.38 as the worked example
    assert (grant["form"], grant["status"], grant["monthlyAmount"]) == (
        "sheltered", "pending", "1530.38")
    async with finance.service.runtime.sessions() as session:
        stored = await session.get(Grant, uuid.UUID(grant["id"]))
    assert stored is not None
    await decide(finance, stored)
    january = await run_month(finance, "2026-01")
    assert (january["paymentCount"], january["totalAmount"]) == (1, "1530.38")


async def test_a_sheltered_placement_without_an_indication_is_refused(finance: Finance) -> None:
    without, grant = await proposal(finance, form=PlacementForm.SHELTERED)
    refused_indication, other = await proposal(finance, form=PlacementForm.SHELTERED,
                                               indication=IndicationDecision.REFUSED)
    for candidate, shown in ((without, grant), (refused_indication, other)):
        assert (shown["status"], shown["refusalReason"], shown["monthlyAmount"]) == (
            "refused", "no-sheltered-indication", "0.00")
        (event,) = await events_of(finance, "finance.lks-refused", candidate)
        assert event["reason"] == "no-sheltered-indication"
    pending = await finance.client.get("/v1/grants/pending", headers=CASEWORKER)
    assert pending.json()["items"] == []
    january = await run_month(finance, "2026-01")
    assert january["paymentCount"] == 0


async def test_a_21st_birthday_mid_month_is_paid_split_by_days(finance: Finance) -> None:
    _, grant = await proposal(finance, birth=date(2005, 1, 16))
    # Proposed on 1 January, at 20: jeugd-WML 80 % × 14.71 = 11.768; gap 11.768 − 7.355 = 4.413
    # 4.413 × 208.0728 = 918.2252664 → 918.23
    assert (grant["monthlyAmount"], grant["warnings"]) == ("918.23", [])
    async with finance.service.runtime.sessions() as session:
        stored = await session.get(Grant, uuid.UUID(grant["id"]))
    assert stored is not None
    await decide(finance, stored)
    # 1–15 January at 20: 918.2252664 × 15/31 = 444.30255; from the 16th at 21:
    # 1530.375444 × 16/31 = 789.87120; together 1234.17375 → 1234.17
    january = await run_month(finance, "2026-01")
    assert january["totalAmount"] == "1234.17"
    # February: 21 all month, the adult WML: 1530.38
    february = await run_month(finance, "2026-02")
    assert february["totalAmount"] == "1530.38"


async def test_youth_at_18_and_the_wage_floor_of_a_placement(finance: Finance) -> None:
    # 18 in January 2026: jeugd-WML 50 % × 14.71 = 7.355. Wage 7.36: gap 7.355 − 3.68 = 3.675
    # 3.675 × 208.0728 = 764.66754 → 764.67
    _, young = await proposal(finance, birth=date(2007, 6, 15), wage="7.36")
    assert (young["status"], young["monthlyAmount"]) == ("pending", "764.67")
    # 7.00 an hour is below the jeugd-WML of 7.355: refused, never paid
    candidate, low = await proposal(finance, birth=date(2007, 6, 15), wage="7.00")
    assert (low["status"], low["refusalReason"]) == ("refused", "wage-below-minimum")
    (event,) = await events_of(finance, "finance.lks-refused", candidate)
    assert event["reason"] == "wage-below-minimum"


async def test_a_registration_after_the_placement_recomputes_the_pending_proposal(
        finance: Finance) -> None:
    # Intake's stream came after matching's: proposed at the adult WML, with the warning.
    candidate, adult = await proposal(finance)
    assert adult["monthlyAmount"] == "1530.38"
    await finance.publish(CandidateRegistered(
        candidate_id=candidate, gemeente=BOXTEL, target_group="bijstand", birth_year=2005,
        birth_date=date(2005, 1, 16), registered_at=datetime.now(UTC)))

    async def recomputed() -> bool:
        return [g.monthly_amount for g in await finance.grants_of(candidate)] != [
            Decimal("1530.38")]

    await eventually(recomputed)
    (grant,) = await finance.grants_of(candidate)
    # At 20 on 1 January, as a proposal made with the birth date known (the 21st birthday
    # test above): 918.23
    assert (grant.status, grant.monthly_amount) == ("pending", Decimal("918.23"))


async def test_an_unknown_birth_date_is_the_adult_wml_with_a_warning(finance: Finance) -> None:
    _, grant = await proposal(finance)
    assert grant["monthlyAmount"] == "1530.38"
    (warning,) = grant["warnings"]
    assert "no birth date known" in warning and "adult WML" in warning


async def test_an_indication_arriving_after_the_placement_withdraws_the_refusal(
        finance: Finance) -> None:
    # Intake's and matching's streams are consumed independently: the placement came first.
    candidate, refused = await proposal(finance, form=PlacementForm.SHELTERED)
    assert (refused["status"], refused["refusalReason"]) == ("refused", "no-sheltered-indication")
    await finance.publish(ShelteredWorkIndicationDecided(
        indication_id=uuid.uuid4(), candidate_id=candidate, gemeente=BOXTEL,
        uwv_advice_date=date(2025, 10, 1), uwv_outcome=UwvAdviceOutcome.POSITIVE,
        decision=IndicationDecision.GRANTED, decided_on=date(2025, 11, 1),
        decided_at=datetime.now(UTC)))

    async def reproposed() -> bool:
        return [g.status for g in await finance.grants_of(candidate)] == ["pending"]

    await eventually(reproposed)
    (grant,) = await finance.grants_of(candidate)
    assert grant.monthly_amount == Decimal("1530.38")  # the worked example, beschut werk too
    assert (await decide(finance, grant)).status == "active"
