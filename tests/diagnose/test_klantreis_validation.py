"""Validation along the klantreis (issue 15): a ZRM scores all 13 domains or says why not, and no
step is dated before the referral it follows unless it is marked (and kept) as migrated history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from shared.dutch_time import dutch_today
from tests.diagnose.conftest import Chain, consultant, referred_case
from tests.diagnose.steps import WAGE_VALUE, ZRM_FIRST, command

ONE_DOMAIN = {"werk-en-opleiding": 2}


def _problem(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


async def _case(chain: Chain, diagnosis_id: str) -> dict[str, Any]:
    response = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}",
                                               headers=consultant())
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_zrm_of_one_domain_is_refused(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    today = (await _case(chain, diagnosis_id))["referredOn"]
    response = await command(chain, diagnosis_id, "zrm", consultant(),
                             {"assessedOn": today, "scores": ONE_DOMAIN})
    reason = _problem(response)["scores"]
    assert "all 13 domains" in reason and "'zrm-domains'" in reason
    assert "missing: financien, tijdsbesteding," in reason and "partialReason" in reason
    # A partial assessment needs its reason; a reason needs partial; 13 domains are not partial.
    no_reason = await command(chain, diagnosis_id, "zrm", consultant(),
                              {"assessedOn": today, "scores": ONE_DOMAIN, "partial": True})
    assert set(_problem(no_reason)) == {"partialReason"}
    stray = await command(chain, diagnosis_id, "zrm", consultant(),
                          {"assessedOn": today, "scores": ONE_DOMAIN, "partialReason": "x"})
    assert set(_problem(stray)) == {"partialReason"}
    whole = await command(chain, diagnosis_id, "zrm", consultant(),
                          {**ZRM_FIRST, "assessedOn": today, "partial": True,
                           "partialReason": "x"})
    assert set(_problem(whole)) == {"partial"}
    assert (await _case(chain, diagnosis_id))["zrmAssessments"] == []  # nothing written


async def test_a_partial_zrm_with_its_reason_is_recorded_and_shown(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    today = (await _case(chain, diagnosis_id))["referredOn"]
    reason = "Eerste gesprek: alleen werk besproken; overige domeinen volgen bij de OAD-start."
    response = await command(chain, diagnosis_id, "zrm", consultant(), {
        "assessedOn": today, "scores": ONE_DOMAIN, "partial": True, "partialReason": reason})
    assert response.status_code == 201, response.text
    assert (response.json()["partial"], response.json()["partialReason"]) == (True, reason)
    (stored,) = (await _case(chain, diagnosis_id))["zrmAssessments"]
    assert (stored["scores"], stored["partial"], stored["partialReason"], stored["migrated"]) == (
        ONE_DOMAIN, True, reason, False)
    whole = await command(chain, diagnosis_id, "zrm", consultant(),
                          {**ZRM_FIRST, "assessedOn": today, "migrated": False})
    assert whole.status_code == 201, whole.text
    assert (whole.json()["partial"], whole.json()["partialReason"]) == (False, None)


async def test_the_case_knows_the_day_of_its_referral(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    case = await _case(chain, diagnosis_id)
    assert case["referredOn"] == dutch_today().isoformat()
    assert case["instrumentMigrated"] is False


async def test_steps_dated_before_the_referral_name_both_dates(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    referred_on = date.fromisoformat((await _case(chain, diagnosis_id))["referredOn"])
    before = (referred_on - timedelta(days=1)).isoformat()
    steps = {
        "instrument": ({"instrument": "quickscan", "startedOn": before}, "startedOn"),
        "zrm": ({**ZRM_FIRST, "assessedOn": before, "migrated": False}, "assessedOn"),
        "wage-value": ({**WAGE_VALUE, "measuredAt": before, "migrated": False}, "measuredAt"),
    }
    for name, (body, field) in steps.items():
        response = await command(chain, diagnosis_id, name, consultant(), body)
        reason = _problem(response)[field]
        assert reason.startswith(f"{before} lies before the referral on {referred_on}"), reason
        assert f"{field}: {before}" in response.json()["detail"]
    case = await _case(chain, diagnosis_id)
    assert (case["instrument"], case["zrmAssessments"], case["wageValues"]) == (None, [], [])
    # The day of the referral itself is not before it.
    on_the_day = await command(chain, diagnosis_id, "instrument", consultant(), {
        "instrument": "quickscan", "startedOn": referred_on.isoformat()})
    assert on_the_day.status_code == 201, on_the_day.text


async def test_migrated_history_is_accepted_and_recorded(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    referred_on = date.fromisoformat((await _case(chain, diagnosis_id))["referredOn"])
    before = (referred_on - timedelta(days=40)).isoformat()
    for name, body in (
        ("instrument", {"instrument": "werkdiagnose", "startedOn": before, "migrated": True}),
        ("zrm", {**ZRM_FIRST, "assessedOn": before, "migrated": True}),
        ("wage-value", {**WAGE_VALUE, "measuredAt": before, "migrated": True}),
    ):
        response = await command(chain, diagnosis_id, name, consultant(), body)
        assert response.status_code == 201, (name, response.text)
    case = await _case(chain, diagnosis_id)
    assert (case["startedOn"], case["instrumentMigrated"]) == (before, True)
    ((zrm_on, zrm_migrated),) = [(z["assessedOn"], z["migrated"]) for z in case["zrmAssessments"]]
    assert (zrm_on, zrm_migrated) == (before, True)
    ((measured, measured_migrated),) = [(w["measuredAt"], w["migrated"])
                                        for w in case["wageValues"]]
    assert (measured, measured_migrated) == (before, True)
    flag = await command(chain, diagnosis_id, "zrm", consultant(),
                         {**ZRM_FIRST, "assessedOn": before, "migrated": "yes"})
    assert set(_problem(flag)) == {"migrated"}
