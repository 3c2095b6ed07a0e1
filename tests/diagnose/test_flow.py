"""The werkdiagnose end to end: intake refers, diagnose works the case, intake gets the advice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from services.diagnose.store.models import DiagnosisCase
from shared.auth import Role
from shared.events.envelope import Envelope, source_urn
from shared.events.finance import ReassessmentDue
from shared.settings import DEV_OIN
from shared.store import OutboxMessage
from tests.conftest import eventually
from tests.diagnose.conftest import (
    BOXTEL,
    IBN,
    PERSON,
    WSD,
    Chain,
    auth,
    cases_of,
    consultant,
    publish,
    referred_case,
    register_person,
    wait_for_case,
)
from tests.diagnose.steps import (
    ADVICE,
    START,
    TODAY,
    ZRM_EARLIER,
    command,
    months_after,
    work_the_case,
)
from tests.intake.conftest import refer


async def case_of(chain: Chain, diagnosis_id: str,
                  headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}",
                                               headers=headers or consultant())
    assert response.status_code == 200, response.text
    return dict(response.json())


async def candidate_in_intake(chain: Chain, candidate_id: str,
                              headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = await chain.intake.client.get(f"/v1/candidates/{candidate_id}",
                                             headers=headers or auth())
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_referral_in_intake_opens_a_case_in_diagnose(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    case = await case_of(chain, diagnosis_id)
    referral = (await candidate_in_intake(chain, candidate_id))["referrals"][0]
    assert case["candidateId"] == candidate_id
    assert case["referralId"] == referral["id"]
    assert (case["gemeente"], case["provider"], case["question"]) == (BOXTEL, WSD,
                                                                      "werkdiagnose")
    assert (case["status"], case["instrument"], case["overdue"]) == ("open", None, False)
    assert case["zrmAssessments"] == [] and case["advices"] == [] and case["profile"] is None
    assert await chain.diagnose.count(DiagnosisCase) == 1


async def test_two_referrals_give_two_cases_one_for_each_provider(chain: Chain) -> None:
    candidate_id = await register_person(chain)
    for provider in (WSD, IBN):
        assert (await refer(chain.intake, candidate_id, provider)).status_code == 201
    at_wsd = await wait_for_case(chain, candidate_id, WSD)
    at_ibn = await wait_for_case(chain, candidate_id, IBN)
    assert at_wsd != at_ibn
    for mine, theirs, provider in ((at_wsd, at_ibn, WSD), (at_ibn, at_wsd, IBN)):
        assert [c["id"] for c in await cases_of(chain, candidate_id, consultant(provider))] \
            == [mine]
        hidden = await chain.diagnose.client.get(f"/v1/diagnoses/{theirs}",
                                                 headers=consultant(provider))
        assert hidden.status_code == 404
    assert {c["id"] for c in await cases_of(chain, candidate_id, auth())} == {at_wsd, at_ibn}


async def test_the_consultant_works_the_case_from_instrument_to_closure(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    steps = await work_the_case(chain, diagnosis_id, consultant())

    planned = steps["instrument"].json()
    assert planned["instrument"] == "mijn-werk-dichtbij"
    assert planned["startedOn"] == START.isoformat()
    assert planned["plannedEnd"] == months_after(START, 3).isoformat()
    assert steps["instrument"].headers["location"] == f"/v1/diagnoses/{diagnosis_id}"
    too_long = await command(chain, diagnosis_id, "instrument", consultant(), {
        "instrument": "oad", "startedOn": START.isoformat(),
        "plannedEnd": months_after(START, 13).isoformat()})
    assert too_long.status_code == 400, too_long.text
    assert [p["name"] for p in too_long.json()["invalidParams"]] == ["plannedEnd"]

    case = await case_of(chain, diagnosis_id)
    assert case["instrument"] == "mijn-werk-dichtbij"  # the refused OAD plan changed nothing
    assert [a["assessedOn"] for a in case["zrmAssessments"]] == [ZRM_EARLIER.isoformat(),
                                                                 TODAY.isoformat()]
    assert case["zrmDevelopment"] == {
        "fromDate": ZRM_EARLIER.isoformat(), "toDate": TODAY.isoformat(),
        "changes": {"financien": 1, "werk-en-opleiding": 2, "tijdsbesteding": 0,
                    "huisvesting": 0, "huiselijke-relaties": 0, "geestelijke-gezondheid": 0,
                    "lichamelijke-gezondheid": 0, "middelengebruik": 0, "basale-adl": 0,
                    "instrumentele-adl": 0, "sociaal-netwerk": -1,
                    "maatschappelijke-participatie": 0, "justitie": 0}}
    profile = case["profile"]
    put = steps["profile"].json()
    assert {**profile, "hoursPerWeek": None} == {**put, "hoursPerWeek": None}
    assert [(c["code"], None if c.get("value") is None else Decimal(str(c["value"])))
            for c in profile["constraints"]] == [("lifting-max-kg", Decimal(10)),
                                                 ("no-night-shifts", None)]
    assert (profile["interests"], Decimal(str(profile["hoursPerWeek"])),
            profile["homeGemeente"], profile["travelRadiusKm"]) == (
        ["groen", "logistiek"], Decimal(24), BOXTEL, 15)
    (wage_value,) = case["wageValues"]
    assert (wage_value["wageValuePct"], wage_value["method"]) == (55, "dariuz")
    assert wage_value["validUntil"] == months_after(START, 12).isoformat()
    assert [w["purpose"] for w in case["plan"]["workplaces"]] == ["werkritme opbouwen",
                                                                  "vakvaardigheden groen"]
    (advice,) = case["advices"]
    assert advice == steps["advice"].json()
    assert (advice["programme"], advice["lksIndicated"], advice["summary"]) == (
        "ontwikkel", True, ADVICE["summary"])

    async def advice_in_intake() -> dict[str, Any] | None:
        return (await candidate_in_intake(chain, candidate_id))["latestAdvice"]

    await eventually(advice_in_intake)
    assert await advice_in_intake() == {
        "diagnosisId": diagnosis_id, "provider": WSD, "programme": "ontwikkel",
        "lksIndicated": True, "shelteredWorkIndicated": False, "uwvAdviceRequestedOn": None,
        "developmentPotential": "clear", "issuedAt": advice["issuedAt"]}

    closed = await command(chain, diagnosis_id, "closure", consultant(),
                           {"outcome": "through-to-work"})
    assert closed.status_code == 201, closed.text
    assert (closed.json()["status"], closed.json()["outcome"]) == ("closed", "through-to-work")
    assert closed.json()["closedAt"] is not None
    again = await command(chain, diagnosis_id, "zrm", consultant())
    assert again.status_code == 409
    assert (await case_of(chain, diagnosis_id))["status"] == "closed"


async def test_the_worklist_shows_overdue_cases(chain: Chain) -> None:
    _, late = await referred_case(chain, 0)
    _, on_time = await referred_case(chain, 1)
    two_years_ago = TODAY.replace(day=1, year=TODAY.year - 2)
    backwards = await command(chain, late, "instrument", consultant(), {
        "instrument": "mijn-werk-dichtbij", "startedOn": two_years_ago.isoformat(),
        "plannedEnd": (two_years_ago - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 400
    assert [p["name"] for p in backwards.json()["invalidParams"]] == ["plannedEnd"]
    planned = await command(chain, late, "instrument", consultant(), {
        "instrument": "mijn-werk-dichtbij", "startedOn": two_years_ago.isoformat(),
        "migrated": True})
    assert planned.json()["plannedEnd"] == months_after(two_years_ago, 3).isoformat()
    assert planned.json()["overdue"] is True
    assert (await command(chain, on_time, "instrument", consultant())).status_code == 201

    worklist = (await chain.diagnose.client.get("/v1/diagnoses/worklist",
                                                headers=consultant())).json()
    assert [c["id"] for c in worklist["overdue"]] == [late]
    assert worklist["openCases"] == 2
    overdue = (await chain.diagnose.client.get("/v1/diagnoses", params={"overdue": "true"},
                                               headers=consultant())).json()
    assert [c["id"] for c in overdue["items"]] == [late]

    assert (await command(chain, late, "closure", consultant())).status_code == 201
    after = (await chain.diagnose.client.get("/v1/diagnoses/worklist",
                                             headers=consultant())).json()
    assert (after["overdue"], after["openCases"]) == ([], 1)


async def test_the_person_is_shown_through_intake_and_the_read_is_logged(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    response = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}/person",
                                               headers=consultant())
    assert response.status_code == 200, response.text
    assert response.json() == {"candidateId": candidate_id, "givenName": PERSON["givenName"],
                               "familyName": PERSON["familyName"],
                               "birthDate": PERSON["birthDate"]}
    log = await chain.intake.client.get("/v1/access-logs", params={"candidateId": candidate_id},
                                        headers=auth())
    assert log.status_code == 200, log.text
    reads = [(e["actorOrg"], e["actorKind"], e["action"], e["ground"])
             for e in log.json()["items"] if e["actorOrg"] == WSD]
    assert reads == [(WSD, "provider", "read", "referral")]


async def reassessment_due(chain: Chain, candidate_id: str, measurement_id: str) -> None:
    """Publish finance.reassessment-due as finance will (the service does not exist yet)."""
    event = ReassessmentDue(candidate_id=uuid.UUID(candidate_id), gemeente=BOXTEL, provider=WSD,
                            measurement_id=uuid.UUID(measurement_id),
                            valid_until=months_after(START, 12), due_date=months_after(START, 11))
    await publish(chain, Envelope(type=event.ce_type(), source=source_urn(DEV_OIN, "finance"),
                                  subject=candidate_id, gemeente=BOXTEL, data=event.to_data()))


async def worklist_tasks(chain: Chain, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await chain.diagnose.client.get("/v1/diagnoses/worklist", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["reassessments"])


async def test_finance_reassessment_due_puts_a_task_on_the_worklist(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    measured = await command(chain, diagnosis_id, "wage-value", consultant())
    assert measured.status_code == 201, measured.text
    await reassessment_due(chain, candidate_id, measured.json()["id"])

    await eventually(lambda: worklist_tasks(chain, consultant()))
    (task,) = await worklist_tasks(chain, consultant())
    assert (task["diagnosisId"], task["measurementId"], task["dueDate"], task["done"]) == (
        diagnosis_id, measured.json()["id"], months_after(START, 11).isoformat(), False)
    assert [t["id"] for t in (await case_of(chain, diagnosis_id))["reassessmentTasks"]] == [
        task["id"]]
    assert await worklist_tasks(chain, consultant(IBN)) == []

    remeasured = await command(chain, diagnosis_id, "wage-value", consultant())
    assert remeasured.status_code == 201
    assert await worklist_tasks(chain, consultant()) == []  # a new measurement answers it
    assert [t["done"] for t in (await case_of(chain, diagnosis_id))["reassessmentTasks"]] == [
        True]


async def test_a_reassessment_after_the_diagnosis_closed_can_be_answered(chain: Chain) -> None:
    """LKS follows the advice, so the wage value expires long after the case was closed.

    Fails today: the task lands on the closed case, and a closed case refuses the new wage
    value with 409, so the task can never be done and stays on the worklist for good.
    """
    candidate_id, diagnosis_id = await referred_case(chain)
    measured = await command(chain, diagnosis_id, "wage-value", consultant())
    assert measured.status_code == 201, measured.text
    assert (await command(chain, diagnosis_id, "closure", consultant())).status_code == 201
    await reassessment_due(chain, candidate_id, measured.json()["id"])
    await eventually(lambda: worklist_tasks(chain, consultant()))

    remeasured = await command(chain, diagnosis_id, "wage-value", consultant())
    assert remeasured.status_code == 201, remeasured.text
    assert await worklist_tasks(chain, consultant()) == []


async def test_a_retried_advice_is_issued_once(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    headers = {**consultant(), "Idempotency-Key": str(uuid.uuid4())}
    first = await command(chain, diagnosis_id, "advice", headers)
    outbox = await chain.diagnose.count(OutboxMessage)
    again = await command(chain, diagnosis_id, "advice", headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len((await case_of(chain, diagnosis_id))["advices"]) == 1
    assert await chain.diagnose.count(OutboxMessage) == outbox
    other = await command(chain, diagnosis_id, "advice", headers, {**ADVICE, "programme": "werk"})
    assert other.status_code == 409


async def test_a_closed_candidate_closes_open_cases_as_withdrawn(chain: Chain) -> None:
    candidate_id = await register_person(chain)
    for provider in (WSD, IBN):
        assert (await refer(chain.intake, candidate_id, provider)).status_code == 201
    cases = {p: await wait_for_case(chain, candidate_id, p) for p in (WSD, IBN)}
    closed = await chain.intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                            json={"reason": "moved"}, headers=auth())
    assert closed.status_code == 201, closed.text

    async def statuses() -> list[tuple[str, str | None]]:
        return [(c["status"], c["outcome"]) for c in await cases_of(chain, candidate_id, auth())]

    async def both_closed() -> bool:
        return all(status == "closed" for status, _ in await statuses())

    await eventually(both_closed)
    assert await statuses() == [("closed", "withdrawn")] * 2
    for provider, diagnosis_id in cases.items():
        person = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}/person",
                                                 headers=consultant(provider))
        assert person.status_code == 404  # intake no longer shows a closed candidate


async def test_a_route_away_from_referral_withdraws_open_cases(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    rerouted = await chain.intake.client.post(
        f"/v1/candidates/{candidate_id}/route-decisions", json={"route": "care"}, headers=auth())
    assert rerouted.status_code == 201, rerouted.text

    async def withdrawn() -> bool:
        case = await case_of(chain, diagnosis_id)
        return (case["status"], case["outcome"]) == ("closed", "withdrawn")

    await eventually(withdrawn)


async def test_an_account_manager_reads_but_does_not_work_the_case(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    reader = consultant(role=Role.ACCOUNT_MANAGER)
    assert (await case_of(chain, diagnosis_id, reader))["id"] == diagnosis_id
    refused = await command(chain, diagnosis_id, "instrument", reader)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await case_of(chain, diagnosis_id))["instrument"] is None
