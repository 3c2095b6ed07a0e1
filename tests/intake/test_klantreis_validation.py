"""Validation along the klantreis (issue 15): a programme does not start before the candidate's
registration, unless the request marks it as migrated history, which is stored and shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.intake.store.models import ProgrammeDecision
from shared.dutch_time import dutch_day
from tests.intake.conftest import WSD, IntakeUnderTest, auth, refer, register


async def _registered_and_referred(intake: IntakeUnderTest) -> tuple[str, date]:
    candidate = await register(intake)
    assert (await refer(intake, candidate["id"])).status_code == 201
    # The registration's calendar day in the Netherlands, as the API compares it.
    registered_at = datetime.fromisoformat(str(candidate["registeredAt"]))
    registered_on = dutch_day(registered_at)
    return str(candidate["id"]), registered_on


async def test_a_programme_before_registration_names_both_dates(intake: IntakeUnderTest) -> None:
    candidate_id, registered_on = await _registered_and_referred(intake)
    before = (registered_on - timedelta(days=30)).isoformat()
    response = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions", headers=auth(),
        json={"programme": "werk", "provider": WSD, "startDate": before})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    ((name, reason),) = [(p["name"], p["reason"]) for p in response.json()["invalidParams"]]
    assert name == "startDate"
    assert reason.startswith(f"{before} lies before the registration on {registered_on}")
    assert "migrated: true" in reason
    assert await intake.count(ProgrammeDecision) == 0
    candidate = (await intake.client.get(f"/v1/candidates/{candidate_id}",
                                         headers=auth())).json()
    assert (candidate["status"], candidate["programme"]) == ("referred", None)


async def test_a_programme_from_the_day_of_registration_is_accepted(
    intake: IntakeUnderTest,
) -> None:
    candidate_id, registered_on = await _registered_and_referred(intake)
    response = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions", headers=auth(),
        json={"programme": "werk", "provider": WSD, "startDate": registered_on.isoformat()})
    assert response.status_code == 201, response.text
    assert response.json()["migrated"] is False


async def test_migrated_history_is_accepted_and_recorded(intake: IntakeUnderTest) -> None:
    candidate_id, registered_on = await _registered_and_referred(intake)
    before = (registered_on - timedelta(days=400)).isoformat()
    response = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions", headers=auth(),
        json={"programme": "ontwikkel", "provider": WSD, "startDate": before,
              "migrated": True})
    assert response.status_code == 201, response.text
    assert (response.json()["startDate"], response.json()["migrated"]) == (before, True)
    candidate = (await intake.client.get(f"/v1/candidates/{candidate_id}",
                                         headers=auth())).json()
    assert candidate["programme"] == {"programme": "ontwikkel", "provider": WSD,
                                      "startDate": before, "migrated": True}
    not_a_flag = await intake.client.post(
        f"/v1/candidates/{candidate_id}/programme-decisions", headers=auth(),
        json={"programme": "ontwikkel", "provider": WSD, "startDate": before, "migrated": 1})
    assert not_a_flag.status_code == 400
    assert [p["name"] for p in not_a_flag.json()["invalidParams"]] == ["migrated"]
