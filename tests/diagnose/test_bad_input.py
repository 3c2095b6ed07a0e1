"""Bad input to a case: a 4xx problem+json (400 with invalidParams, never 422), nothing written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.diagnose.store.models import (
    Advice,
    DiagnosisCase,
    Profile,
    ReassessmentTask,
    WageValueMeasurement,
    WorkDevelopmentPlan,
    ZrmAssessment,
)
from shared.store import IdempotencyRecord, OutboxMessage
from tests.conftest import eventually
from tests.diagnose.conftest import Chain, auth, consultant, referred_case
from tests.diagnose.steps import (
    ADVICE,
    COMMANDS,
    PLAN,
    PLAN_MWD,
    PROFILE,
    TODAY,
    WAGE_VALUE,
    ZRM_FIRST,
    command,
)

# DiagnosisCase is left out: a referral redelivered from an earlier test may open one any time.
WRITTEN = (ZrmAssessment, Profile, WageValueMeasurement, WorkDevelopmentPlan, Advice,
           ReassessmentTask, OutboxMessage, IdempotencyRecord)
TOMORROW = (TODAY + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Bad:
    """One bad command: which one, its body (or raw bytes), and the invalidParams it names."""

    target: str
    body: Any = None
    raw: bytes | None = None
    invalid: frozenset[str] | None = field(default=None)

    def content(self) -> bytes:
        return self.raw if self.raw is not None else json.dumps(self.body).encode()


def zrm(**scores: Any) -> dict[str, Any]:
    return {**ZRM_FIRST, "scores": scores}


def constraints(*items: dict[str, Any]) -> dict[str, Any]:
    return {**PROFILE, "constraints": list(items)}


def bad(target: str, body: dict[str, Any], *invalid: str) -> Bad:
    return Bad(target, body, invalid=frozenset(invalid))


SINGLE = {
    "zrm-score-7": bad("zrm", zrm(financien=7), "scores.financien"),
    "zrm-score-0": bad("zrm", zrm(financien=3, huisvesting=0), "scores.huisvesting"),
    "zrm-score-not-whole": bad("zrm", zrm(financien=2.5), "scores.financien"),
    # Fail today: pydantic's lax mode reads true as 1 (a score of 1, a wage value of 1%).
    "zrm-score-true": bad("zrm", zrm(financien=True), "scores.financien"),
    "wage-value-true": bad("wage-value", {**WAGE_VALUE, "wageValuePct": True}, "wageValuePct"),
    "zrm-unknown-domain": bad("zrm", zrm(geluk=3), "scores.geluk"),
    "zrm-no-scores": bad("zrm", zrm(), "scores"),
    "zrm-in-the-future": bad("zrm", {**ZRM_FIRST, "assessedOn": TOMORROW}, "assessedOn"),
    "wage-value-130": bad("wage-value", {**WAGE_VALUE, "wageValuePct": 130}, "wageValuePct"),
    "wage-value-minus-1": bad("wage-value", {**WAGE_VALUE, "wageValuePct": -1}, "wageValuePct"),
    "wage-value-unknown-method": bad("wage-value", {**WAGE_VALUE, "method": "onderbuik"},
                                     "method"),
    "wage-value-measured-in-the-future": bad("wage-value", {**WAGE_VALUE, "measuredAt": TOMORROW},
                                             "measuredAt"),
    "wage-value-valid-before-measured": bad(
        "wage-value", {**WAGE_VALUE, "validUntil": WAGE_VALUE["measuredAt"]}, "validUntil"),
    "instrument-unknown": bad("instrument", {**PLAN_MWD, "instrument": "horoscoop"},
                              "instrument"),
    "instrument-ends-before-start": bad(
        "instrument", {**PLAN_MWD, "plannedEnd": PLAN_MWD["startedOn"]}, "plannedEnd"),
    "profile-unknown-constraint": bad("profile", constraints({"code": "no-mondays"}),
                                      "constraints.0.code"),
    "profile-limit-without-value": bad(
        "profile", constraints({"code": "no-noise"}, {"code": "lifting-max-kg"}),
        "constraints.1.value"),
    "profile-flag-with-value": bad("profile", constraints({"code": "no-night-shifts",
                                                           "value": 2}),
                                   "constraints.0.value"),
    "profile-limit-out-of-range": bad("profile", constraints({"code": "lifting-max-kg",
                                                              "value": 80}),
                                      "constraints.0.value"),
    "profile-constraint-twice": bad(
        "profile", constraints({"code": "no-noise"}, {"code": "no-noise"}), "constraints.1.code"),
    "profile-diagnosis-as-free-text": bad(
        "profile", constraints({"code": "no-noise", "diagnosis": "burn-out"}),
        "constraints.0.diagnosis"),
    "profile-unknown-interest": bad("profile", {**PROFILE, "interests": ["circus"]},
                                    "interests.0"),
    "profile-hours-above-40": bad("profile", {**PROFILE, "hoursPerWeek": 41}, "hoursPerWeek"),
    "profile-home-not-a-gemeente": bad("profile", {**PROFILE, "homeGemeente": "Boxtel"},
                                       "homeGemeente"),
    "profile-home-unknown-gemeente": bad("profile", {**PROFILE, "homeGemeente": "GM9999"},
                                         "homeGemeente"),
    "plan-without-goals": bad("plan", {**PLAN, "goals": []}, "goals"),
    "plan-step-due-year-9999": bad(
        "plan", {**PLAN, "steps": [{"description": "VCA halen", "dueOn": "9999-12-31"}]},
        "steps.0.dueOn"),
    # Dates outside 2000-01-01 … 2100-12-31 are typing errors or probes (issue 13).
    "zrm-dated-year-1": bad("zrm", {**ZRM_FIRST, "assessedOn": "0001-01-01"}, "assessedOn"),
    "zrm-dated-1999": bad("zrm", {**ZRM_FIRST, "assessedOn": "1999-12-31"}, "assessedOn"),
    "wage-value-measured-year-1": bad("wage-value", {**WAGE_VALUE, "measuredAt": "0001-01-01"},
                                      "measuredAt"),
    "wage-value-valid-until-year-9999": bad(
        "wage-value", {**WAGE_VALUE, "validUntil": "9999-12-31"}, "validUntil"),
    "instrument-started-year-1": bad("instrument", {**PLAN_MWD, "startedOn": "0001-01-01"},
                                     "startedOn"),
    "instrument-ends-year-9999": bad("instrument", {**PLAN_MWD, "plannedEnd": "9999-12-31"},
                                     "plannedEnd"),
    "advice-uwv-date-year-1": bad(
        "advice", {**ADVICE, "shelteredWorkIndicated": True,
                   "uwvAdviceRequestedOn": "0001-01-01"}, "uwvAdviceRequestedOn"),
    # Strict booleans: "yes" and 1 are not JSON true (issue 13).
    "advice-lks-yes": bad("advice", {**ADVICE, "lksIndicated": "yes"}, "lksIndicated"),
    "advice-lks-string-true": bad("advice", {**ADVICE, "lksIndicated": "true"}, "lksIndicated"),
    "advice-sheltered-1": bad("advice", {**ADVICE, "shelteredWorkIndicated": 1},
                              "shelteredWorkIndicated"),
    "advice-beschut-without-uwv-date": bad(
        "advice", {**ADVICE, "shelteredWorkIndicated": True}, "uwvAdviceRequestedOn"),
    "advice-unknown-programme": bad("advice", {**ADVICE, "programme": "vrije-tijd"},
                                    "programme"),
    "advice-empty-summary": bad("advice", {**ADVICE, "summary": ""}, "summary"),
    "closure-unknown-outcome": bad("closure", {"outcome": "vanished"}, "outcome"),
}


def bad_cases() -> list[Any]:
    cases: list[Any] = []
    for target, (_, _, valid, _) in COMMANDS.items():
        raw = json.dumps(valid).encode()
        cases += [
            pytest.param(Bad(target, raw=raw[:-3]), id=f"{target}-malformed-json"),
            pytest.param(bad(target, {**valid, "nickname": "x"}, "nickname"),
                         id=f"{target}-unknown-field"),
            pytest.param(Bad(target, [valid]), id=f"{target}-array-body"),
        ]
    return cases + [pytest.param(case, id=name) for name, case in SINGLE.items()]


async def written(chain: Chain) -> dict[str, int]:
    return {model.__name__: await chain.diagnose.count(model) for model in WRITTEN}


async def case_state(chain: Chain, diagnosis_id: str) -> dict[str, Any]:
    response = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}",
                                               headers=consultant())
    assert response.status_code == 200
    return dict(response.json())


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status
    return body


@pytest.mark.parametrize("case", bad_cases())
async def test_bad_command_is_a_problem_and_writes_nothing(chain: Chain, case: Bad) -> None:
    _, diagnosis_id = await referred_case(chain)
    before, state = await written(chain), await case_state(chain, diagnosis_id)
    method, path, _, _ = COMMANDS[case.target]
    response = await chain.diagnose.client.request(
        method, f"/v1/diagnoses/{diagnosis_id}/{path}", content=case.content(),
        headers={**consultant(), "Content-Type": "application/json",
                 "Idempotency-Key": f"bad-{case.target}"})
    body = assert_problem(response, 400)
    if case.invalid is not None:
        names = {param["name"] for param in body["invalidParams"]}
        assert names == case.invalid, body["invalidParams"]
        assert all(param["reason"] for param in body["invalidParams"])
    assert await written(chain) == before
    assert await case_state(chain, diagnosis_id) == state


# A wage value is the exception: LKS needs re-assessments long after the advice closed the case.
@pytest.mark.parametrize("name", [n for n in COMMANDS if n not in ("closure", "wage-value")])
async def test_a_closed_case_takes_no_more_work(chain: Chain, name: str) -> None:
    _, diagnosis_id = await referred_case(chain)
    assert (await command(chain, diagnosis_id, "closure", consultant())).status_code == 201
    before, state = await written(chain), await case_state(chain, diagnosis_id)
    body = assert_problem(await command(chain, diagnosis_id, name, consultant()), 409)
    assert "closed" in body["detail"]
    assert await written(chain) == before
    assert await case_state(chain, diagnosis_id) == state


async def test_a_withdrawn_case_takes_no_wage_value(chain: Chain) -> None:
    candidate_id, diagnosis_id = await referred_case(chain)
    closed = await chain.intake.client.post(f"/v1/candidates/{candidate_id}/closures",
                                            json={"reason": "moved"}, headers=auth())
    assert closed.status_code == 201, closed.text

    async def withdrawn() -> bool:
        return (await case_state(chain, diagnosis_id))["outcome"] == "withdrawn"

    await eventually(withdrawn)
    before = await written(chain)
    assert_problem(await command(chain, diagnosis_id, "wage-value", consultant()), 409)
    assert await written(chain) == before


async def test_closing_twice_is_409(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    assert (await command(chain, diagnosis_id, "closure", consultant())).status_code == 201
    outbox = await chain.diagnose.count(OutboxMessage)
    assert_problem(await command(chain, diagnosis_id, "closure", consultant(),
                                 {"outcome": "moved"}), 409)
    assert (await case_state(chain, diagnosis_id))["outcome"] == "advice-given"
    assert await chain.diagnose.count(OutboxMessage) == outbox


async def test_an_unknown_case_is_404_and_opens_nothing(chain: Chain) -> None:
    await referred_case(chain)
    cases = await chain.diagnose.count(DiagnosisCase)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_problem(await command(chain, unknown, "zrm", consultant()), 404)
    not_a_uuid = assert_problem(await command(chain, "12345", "zrm", consultant()), 400)
    assert [p["name"] for p in not_a_uuid["invalidParams"]] == ["diagnosisId"]
    assert await chain.diagnose.count(DiagnosisCase) == cases


@pytest.mark.parametrize("query", ["status=lost", "instrument=horoscoop", "overdue=maybe",
                                   "candidateId=12", "page=0", "pageSize=101"])
async def test_bad_list_query_is_400_with_invalid_params(chain: Chain, query: str) -> None:
    response = await chain.diagnose.client.get(f"/v1/diagnoses?{query}", headers=consultant())
    body = assert_problem(response, 400)
    assert [p["name"] for p in body["invalidParams"]] == [query.split("=")[0]]
