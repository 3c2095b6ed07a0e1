"""A consultant's work on a case, step by step, with valid bodies the other tests vary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from shared.dutch_time import dutch_today
from tests.diagnose.conftest import Chain

TODAY = dutch_today()
START = TODAY.replace(day=1)  # day 1: "n months later" is the same day, no month-end clamping
ZRM_EARLIER = TODAY - timedelta(days=91)
SUMMARY = "Groeit zichtbaar in tempo bij het groenonderhoud; ontwikkelprogramma met LKS."
WORKPLACES = ("Kringloopwinkel De Schakel", "Groenploeg Boxtel-Noord")


def months_after(day: date, months: int) -> date:
    """`months` later on the same day of the month (days 1–28 only)."""
    assert day.day <= 28
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, day.day)


# The referral happens "now" in these tests, so the steps dated earlier (the first of the month,
# three months back) are history recorded afterwards: `migrated`, as the API requires.
PLAN_MWD: dict[str, Any] = {"instrument": "mijn-werk-dichtbij", "startedOn": START.isoformat(),
                            "migrated": True}
# All 13 ZRM domains (a ZRM with fewer must say it is partial, and why).
ZRM_FIRST: dict[str, Any] = {
    "assessedOn": ZRM_EARLIER.isoformat(), "migrated": True,
    "scores": {"financien": 2, "werk-en-opleiding": 1, "tijdsbesteding": 2, "huisvesting": 3,
               "huiselijke-relaties": 3, "geestelijke-gezondheid": 3,
               "lichamelijke-gezondheid": 4, "middelengebruik": 5, "basale-adl": 5,
               "instrumentele-adl": 4, "sociaal-netwerk": 2,
               "maatschappelijke-participatie": 2, "justitie": 5}}


def zrm_second() -> dict[str, Any]:
    """A second ZRM dated today (the Dutch day, asked when sent: a run may cross midnight)."""
    return {"assessedOn": dutch_today().isoformat(),
            "scores": {**ZRM_FIRST["scores"], "financien": 3, "werk-en-opleiding": 3,
                       "sociaal-netwerk": 1}}


PROFILE: dict[str, Any] = {
    "constraints": [{"code": "lifting-max-kg", "value": 10}, {"code": "no-night-shifts"}],
    "interests": ["groen", "logistiek"], "skills": ["heftruck rijden"],
    "certificates": ["VCA basis"], "hoursPerWeek": 24, "homeGemeente": "GM0757",
    "travelRadiusKm": 15}
WAGE_VALUE: dict[str, Any] = {
    "method": "dariuz", "wageValuePct": 55, "measuredAt": START.isoformat(),
    "workplace": WORKPLACES[0], "jobTitle": "medewerker logistiek", "migrated": True}
PLAN: dict[str, Any] = {
    "goals": ["zelfstandig een werkdag van 6 uur", "doorstroom naar regulier groenwerk"],
    "steps": [{"description": "werkervaringsplaats groen",
               "dueOn": months_after(START, 2).isoformat()},
              {"description": "VCA halen"}],
    "workplaces": [{"workplace": WORKPLACES[0], "purpose": "werkritme opbouwen"},
                   {"workplace": WORKPLACES[1], "purpose": "vakvaardigheden groen"}]}
ADVICE: dict[str, Any] = {
    "programme": "ontwikkel", "lksIndicated": True, "shelteredWorkIndicated": False,
    "developmentPotential": "clear", "summary": SUMMARY}
CLOSURE: dict[str, Any] = {"outcome": "advice-given"}

# (method, path under the case, valid body, status) for every command a consultant may give.
COMMANDS: dict[str, tuple[str, str, dict[str, Any], int]] = {
    "instrument": ("POST", "instrument-plans", PLAN_MWD, 201),
    "zrm": ("POST", "zrm-assessments", ZRM_FIRST, 201),
    "profile": ("PUT", "profile", PROFILE, 200),
    "wage-value": ("POST", "wage-value-measurements", WAGE_VALUE, 201),
    "plan": ("PUT", "plan", PLAN, 200),
    "advice": ("POST", "advices", ADVICE, 201),
    "closure": ("POST", "closures", CLOSURE, 201),
}


async def command(chain: Chain, diagnosis_id: str, name: str, headers: dict[str, str],
                  body: Any = None, **request: Any) -> httpx.Response:
    """Send one of COMMANDS (its valid body unless another is given)."""
    method, path, valid, _ = COMMANDS[name]
    return await chain.diagnose.client.request(
        method, f"/v1/diagnoses/{diagnosis_id}/{path}", headers=headers,
        json=valid if body is None else body, **request)


async def work_the_case(chain: Chain, diagnosis_id: str,
                        headers: dict[str, str]) -> dict[str, httpx.Response]:
    """Every step of the werkdiagnose up to the advice (the case stays open)."""
    responses: dict[str, httpx.Response] = {}
    for name in ("instrument", "zrm", "profile", "wage-value", "plan", "advice"):
        responses[name] = await command(chain, diagnosis_id, name, headers)
        assert responses[name].status_code == COMMANDS[name][3], responses[name].text
    second = await command(chain, diagnosis_id, "zrm", headers, zrm_second())
    assert second.status_code == 201, second.text
    return responses
