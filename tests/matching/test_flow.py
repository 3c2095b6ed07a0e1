"""The accountmanager's work end to end: candidates from events, vacancies, explained matches,
carving, proposals and placements, with their events in the outbox."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from services.matching.store.models import CandidateProfile
from shared.events.diagnose import Constraint
from shared.events.intake import Programme
from shared.events.vocabulary import DiagnosisOutcome
from tests.conftest import eventually
from tests.matching.conftest import (
    BOXTEL,
    HEAVY,
    LIGHT,
    candidate_matches,
    closed_event,
    diagnosis_closed_event,
    employer,
    matchable_candidate,
    minimum_wage_known,
    outbox_events,
    profile_event,
    programme_event,
    publish,
    staff,
    vacancy,
)
from tests.support.services import ServiceUnderTest

LIFTING_10 = (Constraint(code="lifting-max-kg", value=10),)
EVENT = "nl.participatiewet.matching."


async def ranked(service: ServiceUnderTest, vacancy_id: str,
                 **params: Any) -> dict[str, Any]:
    response = await service.client.get(f"/v1/vacancies/{vacancy_id}/matches",
                                        headers=staff(), params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_lifting_limit_never_ranks_for_heavy_work_but_appears_with_a_carving(
        matching: ServiceUnderTest) -> None:
    limited = await matchable_candidate(matching, constraints=LIFTING_10)
    strong = await matchable_candidate(matching)
    heavy_only = await vacancy(matching, [{**HEAVY, "hoursPerWeek": 32}])
    mixed = await vacancy(matching, [HEAVY, LIGHT])

    only = await ranked(matching, heavy_only)
    assert [m["candidateId"] for m in only["items"]] == [str(strong)]
    both = await ranked(matching, mixed)
    by_id = {m["candidateId"]: m for m in both["items"]}
    assert set(by_id) == {str(limited), str(strong)}
    carved = by_id[str(limited)]
    assert carved["conflicts"] == [{"task": "pallets laden", "code": "lifting-max-kg",
                                    "demanded": 25.0, "allowed": 10.0}]
    assert carved["suggestedCarving"] == {"tasks": ["orders picken"], "hoursPerWeek": 16.0}
    assert carved["fittingTasks"] == ["orders picken"]
    assert by_id[str(strong)]["suggestedCarving"] is None
    components = {c["name"]: c for c in carved["components"]}
    assert set(components) == {"skills", "interest", "hours", "travel", "programme"}
    assert sum(c["weight"] for c in components.values()) == 1.0
    assert components["hours"]["value"] == round(16 / 24, 4)  # 24 h available, 16 h carved
    assert abs(carved["score"] - sum(c["value"] * c["weight"]
                                     for c in components.values())) < 1e-3
    # The other direction agrees: the mixed vacancy with a carving, the heavy one not at all.
    mine = (await candidate_matches(matching, limited)).json()
    assert [m["vacancyId"] for m in mine["items"]] == [mixed]
    assert mine["items"][0]["suggestedCarving"]["tasks"] == ["orders picken"]


async def test_carving_proposal_placement_and_their_events(matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching, constraints=LIFTING_10)
    employer_id = await employer(matching)
    mixed = await vacancy(matching, [HEAVY, LIGHT], employer_id=employer_id)
    carving = await matching.client.post(f"/v1/vacancies/{mixed}/carvings",
                                         json={"tasks": ["orders picken"]}, headers=staff())
    assert carving.status_code == 201, carving.text
    carved = carving.json()
    assert (carved["carvedFrom"], carved["hoursPerWeek"]) == (mixed, 16)  # a number, as sent
    published = await outbox_events(matching, EVENT + "vacancy-published")
    assert published[-1]["data"]["carvedFrom"] == mixed
    match = (await ranked(matching, carved["id"]))["items"][0]
    assert (match["candidateId"], match["conflicts"]) == (str(candidate), [])

    proposal = await matching.client.post(f"/v1/vacancies/{carved['id']}/proposals",
                                          json={"candidateId": str(candidate)}, headers=staff())
    assert proposal.status_code == 201, proposal.text
    proposal_id = proposal.json()["id"]
    twice = await matching.client.post(f"/v1/vacancies/{carved['id']}/proposals",
                                       json={"candidateId": str(candidate)}, headers=staff())
    assert twice.status_code == 409
    path = f"/v1/proposals/{proposal_id}/status-changes"
    for status, expected in (("interview", 201), ("accepted", 201), ("declined", 409)):
        response = await matching.client.post(path, json={"status": status}, headers=staff())
        assert response.status_code == expected, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    (closed,) = await outbox_events(matching, EVENT + "proposal-closed")
    assert closed["data"]["outcome"] == "accepted"
    (proposed,) = await outbox_events(matching, EVENT + "candidate-proposed")
    assert proposed["data"]["provider"] == "WSD" and proposed["gemeente"] == BOXTEL

    await minimum_wage_known(matching)
    placement = await matching.client.post("/v1/placements", headers=staff(), json={
        "candidateId": str(candidate), "employerId": employer_id, "vacancyId": carved["id"],
        "form": "lks", "hoursPerWeek": 16, "hourlyWage": "14.71", "startDate": "2026-01-05"})
    assert placement.status_code == 201, placement.text
    ending = await matching.client.post(
        f"/v1/placements/{placement.json()['id']}/endings", headers=staff(),
        json={"endDate": "2026-06-30", "reason": "regular-job"})
    assert ending.status_code == 201, ending.text
    (started,) = await outbox_events(matching, EVENT + "placement-started")
    assert (started["data"]["employerKvk"], started["data"]["hourlyWage"],
            started["data"]["form"]) == ("12345678", "14.71", "lks")
    (ended,) = await outbox_events(matching, EVENT + "placement-ended")
    assert ended["data"]["reason"] == "regular-job"


async def test_the_ranking_is_ordered_paged_and_deterministic(
        matching: ServiceUnderTest) -> None:
    werk = [await matchable_candidate(matching) for _ in range(3)]
    uitstroom = await matchable_candidate(matching, programme=Programme.UITSTROOM)
    far = await matchable_candidate(matching, home="GM0014", radius=10)
    vacancy_id = await vacancy(matching, [LIGHT, {**LIGHT, "name": "inpakken",
                                                  "hoursPerWeek": 8}])
    first = await ranked(matching, vacancy_id, pageSize=2)
    second = await ranked(matching, vacancy_id, pageSize=2, page=2)
    third = await ranked(matching, vacancy_id, pageSize=2, page=3)
    order = [m["candidateId"] for page in (first, second, third) for m in page["items"]]
    # Equal profiles tie on score: ordered by id. Then lower programme fit, then distance.
    assert order == [*sorted(str(c) for c in werk), str(uitstroom), str(far)]
    assert first["total"] == 5
    scores = [m["score"] for page in (first, second, third) for m in page["items"]]
    assert scores == sorted(scores, reverse=True)
    assert (await ranked(matching, vacancy_id, pageSize=2)) == first


async def test_closure_and_a_non_work_outcome_end_matchability(
        matching: ServiceUnderTest) -> None:
    leaving = await matchable_candidate(matching)
    to_care = await matchable_candidate(matching)
    staying = await matchable_candidate(matching)
    await publish(matching, closed_event(leaving), BOXTEL, leaving)
    await publish(matching, diagnosis_closed_event(to_care, DiagnosisOutcome.BACK_TO_CARE),
                  BOXTEL, to_care)
    await publish(matching, diagnosis_closed_event(staying, DiagnosisOutcome.ADVICE_GIVEN),
                  BOXTEL, staying)

    async def gone(candidate: uuid.UUID) -> bool:
        return (await candidate_matches(matching, candidate)).status_code == 409

    await eventually(lambda: gone(leaving))
    await eventually(lambda: gone(to_care))
    vacancy_id = await vacancy(matching, [LIGHT])
    assert [m["candidateId"] for m in (await ranked(matching, vacancy_id))["items"]] == [
        str(staying)]


async def test_events_in_any_order_build_the_same_profile(matching: ServiceUnderTest) -> None:
    candidate = uuid.uuid4()
    newer = profile_event(candidate, hours="32")
    older = profile_event(candidate, hours="8",
                          updated_at=newer.updated_at - timedelta(days=1))
    await publish(matching, programme_event(candidate), BOXTEL, candidate)  # programme first
    await publish(matching, newer, BOXTEL, candidate)
    await publish(matching, older, BOXTEL, candidate)  # late and stale: ignored
    await publish(matching, diagnosis_closed_event(candidate, DiagnosisOutcome.OTHER_TRAJECTORY),
                  BOXTEL, candidate)
    await eventually(lambda: _row_is(matching, candidate, "diagnosis-other-trajectory", "werk"))
    assert await _status(matching, candidate, 409)
    await publish(matching, programme_event(candidate, programme=Programme.ONTWIKKEL),
                  BOXTEL, candidate)  # a new decision after the exclusion: matchable again
    await eventually(lambda: _row_is(matching, candidate, None, "ontwikkel"))
    assert await _status(matching, candidate, 200)
    vacancy_id = await vacancy(matching, [LIGHT, {**LIGHT, "name": "inpakken"}])
    (match,) = (await ranked(matching, vacancy_id))["items"]
    hours = next(c for c in match["components"] if c["name"] == "hours")
    assert (match["programme"], hours["value"]) == ("ontwikkel", 1.0)  # 32 h of 32: newer


async def _status(service: ServiceUnderTest, candidate: uuid.UUID, status: int) -> bool:
    return (await candidate_matches(service, candidate)).status_code == status


async def _row_is(service: ServiceUnderTest, candidate: uuid.UUID, exclusion: str | None,
                  programme: str) -> bool:
    async with service.runtime.sessions() as session:
        row = await session.get(CandidateProfile, candidate)
    return bool(row and row.profile_updated_at and row.hours_per_week == 32
                and row.exclusion == exclusion and row.programme == programme)
