"""The number format (issue 15): hours, kilograms and percentages are JSON numbers, echoed as
sent — hoursPerWeek 10 stays 10 (not "10" or 10.0), 10.5 stays 10.5 — on the answer to the PUT
and on every later read."""

from __future__ import annotations

import json

import pytest

from tests.diagnose.conftest import Chain, consultant, referred_case
from tests.diagnose.steps import PROFILE, WAGE_VALUE, command


def _raw(text: str, key: str) -> str:
    """The JSON text of `key`'s value, as it stands on the wire (10 and 10.0 differ here)."""
    start = text.index(f'"{key}":') + len(key) + 3
    return text[start:start + len(text[start:].split(",")[0].split("}")[0])]


@pytest.mark.parametrize(("sent", "wire"), [(10, "10"), (10.5, "10.5"), (36, "36")])
async def test_hours_per_week_round_trip(chain: Chain, sent: float, wire: str) -> None:
    _, diagnosis_id = await referred_case(chain)
    body = {**PROFILE, "hoursPerWeek": sent,
            "constraints": [{"code": "lifting-max-kg", "value": 12.5},
                            {"code": "standing-max-hours", "value": 4}]}
    put = await command(chain, diagnosis_id, "profile", consultant(), body)
    assert put.status_code == 200, put.text
    read = await chain.diagnose.client.get(f"/v1/diagnoses/{diagnosis_id}",
                                           headers=consultant())
    for text, profile in ((put.text, put.json()), (read.text, read.json()["profile"])):
        assert _raw(text, "hoursPerWeek") == wire
        assert profile["hoursPerWeek"] == sent and type(profile["hoursPerWeek"]) is type(sent)
        assert profile["constraints"] == [{"code": "lifting-max-kg", "value": 12.5},
                                          {"code": "standing-max-hours", "value": 4}]
        assert '"value":4}' in text.replace(" ", "")


async def test_a_wage_value_percentage_is_a_whole_number(chain: Chain) -> None:
    _, diagnosis_id = await referred_case(chain)
    measured = await command(chain, diagnosis_id, "wage-value", consultant(), WAGE_VALUE)
    assert measured.status_code == 201, measured.text
    assert _raw(measured.text, "wageValuePct") == "55"
    assert json.loads(measured.text)["wageValuePct"] == 55


@pytest.mark.parametrize("hours", ["10", "10.5", True, 40.5, 0, 10.25])
async def test_hours_are_a_json_number_within_bounds(chain: Chain, hours: object) -> None:
    _, diagnosis_id = await referred_case(chain)
    put = await command(chain, diagnosis_id, "profile", consultant(),
                        {**PROFILE, "hoursPerWeek": hours})
    assert put.status_code == 400, put.text
    assert [p["name"] for p in put.json()["invalidParams"]] == ["hoursPerWeek"]


async def test_the_openapi_document_says_number(chain: Chain) -> None:
    schemas = (await chain.diagnose.client.get("/v1/openapi.json")).json()["components"][
        "schemas"]
    assert schemas["UpdateProfile"]["properties"]["hoursPerWeek"]["type"] == "number"
    assert schemas["ProfileOut"]["properties"]["hoursPerWeek"]["type"] == "number"
    assert {"type": "number"} in schemas["ConstraintOut"]["properties"]["value"]["anyOf"]
