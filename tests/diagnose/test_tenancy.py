"""Tenancy: an uitvoerder sees its own referrals only; a gemeente reads its residents' cases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.diagnose.store.models import (
    Advice,
    Profile,
    WageValueMeasurement,
    WorkDevelopmentPlan,
    ZrmAssessment,
)
from shared.auth import OrgKind, Role
from shared.store import OutboxMessage
from tests.conftest import eventually
from tests.diagnose.conftest import (
    BOXTEL,
    IBN,
    MEIERIJSTAD,
    VUGHT,
    WSD,
    Chain,
    auth,
    cases_of,
    consultant,
    referred_case,
    register_person,
    wait_for_case,
)
from tests.diagnose.steps import COMMANDS, command
from tests.intake.conftest import refer
from tests.support.services import bearer

WRITTEN = (ZrmAssessment, Profile, WageValueMeasurement, WorkDevelopmentPlan, Advice,
           OutboxMessage)


async def written(chain: Chain) -> dict[str, int]:
    return {model.__name__: await chain.diagnose.count(model) for model in WRITTEN}


async def get(chain: Chain, path: str, headers: dict[str, str]) -> httpx.Response:
    return await chain.diagnose.client.get(f"/v1/diagnoses{path}", headers=headers)


def assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def worked_case(chain: Chain) -> tuple[str, str]:
    """A WSD case of a Boxtel resident with an overdue instrument and an advice."""
    candidate_id, diagnosis_id = await referred_case(chain)
    late = await command(chain, diagnosis_id, "instrument", consultant(),
                         {"instrument": "quickscan", "startedOn": "2020-01-06",
                          "migrated": True})
    assert late.status_code == 201 and late.json()["overdue"] is True, late.text
    assert (await command(chain, diagnosis_id, "advice", consultant())).status_code == 201
    return candidate_id, diagnosis_id


OUTSIDERS = {
    "other-provider": consultant(IBN, (BOXTEL, VUGHT, MEIERIJSTAD)),
    "provider-without-the-gemeente": consultant(WSD, (VUGHT,)),
    "other-gemeente": auth(VUGHT),
}


@pytest.mark.parametrize("outsider", OUTSIDERS.values(), ids=OUTSIDERS.keys())
async def test_outsiders_neither_see_nor_list_the_case(chain: Chain,
                                                       outsider: dict[str, str]) -> None:
    candidate_id, diagnosis_id = await worked_case(chain)
    for path in (f"/{diagnosis_id}", f"/{diagnosis_id}/person"):
        assert_problem(await get(chain, path, outsider), 404)
    assert await cases_of(chain, candidate_id, outsider) == []
    listed = (await get(chain, "", outsider)).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    worklist = (await get(chain, "/worklist", outsider)).json()
    assert worklist == {"overdue": [], "openCases": 0, "reassessments": []}
    assert [c["id"] for c in await cases_of(chain, candidate_id, consultant())] == [diagnosis_id]


@pytest.mark.parametrize("name", COMMANDS)
async def test_another_provider_cannot_change_the_case(chain: Chain, name: str) -> None:
    _, diagnosis_id = await worked_case(chain)
    before_case = (await get(chain, f"/{diagnosis_id}", consultant())).json()
    before = await written(chain)
    for outsider in (consultant(IBN, (BOXTEL,)), consultant(WSD, (VUGHT,))):
        assert_problem(await command(chain, diagnosis_id, name, outsider), 404)
    assert await written(chain) == before
    assert (await get(chain, f"/{diagnosis_id}", consultant())).json() == before_case


async def test_the_gemeente_reads_its_residents_cases_and_advice(chain: Chain) -> None:
    candidate_id, diagnosis_id = await worked_case(chain)
    case = (await get(chain, f"/{diagnosis_id}", auth())).json()
    assert (case["id"], case["gemeente"], case["provider"]) == (diagnosis_id, BOXTEL, WSD)
    (advice,) = case["advices"]
    assert (advice["programme"], advice["developmentPotential"]) == ("ontwikkel", "clear")
    assert [c["id"] for c in await cases_of(chain, candidate_id, auth())] == [diagnosis_id]
    assert [c["id"] for c in (await get(chain, "/worklist", auth())).json()["overdue"]] == [
        diagnosis_id]
    controller = bearer(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER)
    assert (await get(chain, f"/{diagnosis_id}", controller)).status_code == 200
    person = await get(chain, f"/{diagnosis_id}/person", auth())
    assert person.status_code == 200 and person.json()["candidateId"] == candidate_id


@pytest.mark.parametrize("name", COMMANDS)
async def test_the_gemeente_cannot_work_the_case(chain: Chain, name: str) -> None:
    _, diagnosis_id = await worked_case(chain)
    before = await written(chain)
    for headers in (auth(), bearer(BOXTEL, OrgKind.GEMEENTE, Role.ADMIN)):
        assert_problem(await command(chain, diagnosis_id, name, headers), 403)
    assert await written(chain) == before


NO_CONSULTANT = {
    "gemeente-caseworker": auth(),
    "gemeente-board": bearer(BOXTEL, OrgKind.GEMEENTE, Role.BOARD),
    "provider-account-manager": consultant(role=Role.ACCOUNT_MANAGER),
    "wsp": bearer("WSP-NOB", OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,)),
}


@pytest.mark.parametrize("name", COMMANDS)
async def test_a_bad_body_from_a_caller_without_the_role_is_403_not_400(
    chain: Chain, name: str,
) -> None:
    """The role check runs before the body is read: no 400 that probes the schema (issue 13)."""
    _, diagnosis_id = await referred_case(chain)
    before = await written(chain)
    for headers in NO_CONSULTANT.values():
        for body in ({"nickname": "x"}, [1], {"assessedOn": "0001-01-01", "lksIndicated": "yes"}):
            response = await command(chain, diagnosis_id, name, headers, body)
            assert_problem(response, 403)
            assert "invalidParams" not in response.json()
    assert await written(chain) == before


async def test_a_wsp_sees_no_cases(chain: Chain) -> None:
    _, diagnosis_id = await worked_case(chain)
    wsp = bearer("WSP-NOB", OrgKind.WSP, Role.ACCOUNT_MANAGER, gemeenten=(BOXTEL,))
    for path in ("", "/worklist", f"/{diagnosis_id}"):
        response = await get(chain, path, wsp)
        assert_problem(response, 403)
        assert "items" not in response.json() and "gemeente" not in response.json()


async def test_a_gemeente_sees_only_its_own_residents(chain: Chain) -> None:
    _, in_boxtel = await referred_case(chain, 0, gemeente=BOXTEL)
    _, in_vught = await referred_case(chain, 1, gemeente=VUGHT)
    for gemeente, mine, theirs in ((BOXTEL, in_boxtel, in_vught), (VUGHT, in_vught, in_boxtel)):
        listed = (await get(chain, "", auth(gemeente))).json()
        assert [c["id"] for c in listed["items"]] == [mine]
        assert_problem(await get(chain, f"/{theirs}", auth(gemeente)), 404)
    both = (await get(chain, "", consultant(WSD, (BOXTEL, VUGHT)))).json()
    assert {c["id"] for c in both["items"]} == {in_boxtel, in_vught}


async def test_intake_shows_the_advice_to_the_gemeente_not_to_another_provider(
    chain: Chain,
) -> None:
    candidate_id = await register_person(chain)
    for provider in (WSD, IBN):
        assert (await refer(chain.intake, candidate_id, provider)).status_code == 201
    diagnosis_id = await wait_for_case(chain, candidate_id, WSD)
    await wait_for_case(chain, candidate_id, IBN)
    assert (await command(chain, diagnosis_id, "advice", consultant())).status_code == 201

    async def advice_for(headers: dict[str, str]) -> dict[str, Any] | None:
        response = await chain.intake.client.get(f"/v1/candidates/{candidate_id}",
                                                 headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["latestAdvice"]

    await eventually(lambda: advice_for(auth()))
    assert (await advice_for(auth()) or {}).get("diagnosisId") == diagnosis_id
    assert (await advice_for(consultant(WSD)) or {}).get("diagnosisId") == diagnosis_id
    assert await advice_for(consultant(IBN)) is None
    ibn_case = (await cases_of(chain, candidate_id, consultant(IBN)))[0]
    assert ibn_case["provider"] == IBN
    assert (await get(chain, f"/{ibn_case['id']}", consultant(IBN))).json()["advices"] == []
