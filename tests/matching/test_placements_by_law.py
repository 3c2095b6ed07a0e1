"""Issue 12, placements by the law: the wage floor from finance's legal parameters, the
beschut-werk indication, hours and employers of placements running together, the proposal a
placement comes from, and vacancies that close when their positions are filled.

Every legal value comes in as a real `finance.legal-parameter-set` event on the bus (values
from ../shared/DOMAIN.md); birth dates and indications as intake's events.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx

from services.matching.store.models import CandidateProfile, Placement, ShelteredWorkIndication
from shared.events.intake import (
    CandidateRegistered,
    IndicationDecision,
    ShelteredWorkIndicationDecided,
    UwvAdviceOutcome,
)
from shared.store import OutboxMessage
from tests.conftest import eventually
from tests.matching.conftest import (
    BOXTEL,
    LIGHT,
    candidate_matches,
    employer,
    matchable_candidate,
    minimum_wage_known,
    outbox_events,
    publish,
    staff,
    vacancy,
)
from tests.support.services import ServiceUnderTest

EVENT = "nl.participatiewet.matching."
START = "2026-01-05"  # a Monday in January 2026: WML €14.71 (in force from 2026-01-01)


async def place(service: ServiceUnderTest, candidate: uuid.UUID | str, employer_id: str,
                **fields: Any) -> httpx.Response:
    body = {"candidateId": str(candidate), "employerId": employer_id, "form": "lks",
            "hoursPerWeek": 16, "hourlyWage": "14.71", "startDate": START, **fields}
    return await service.client.post("/v1/placements", json=body, headers=staff())


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


async def nothing_written(service: ServiceUnderTest) -> tuple[int, int]:
    return await service.count(Placement), await service.count(OutboxMessage)


async def born(service: ServiceUnderTest, candidate: uuid.UUID, birth_date: date) -> None:
    """intake.candidate-registered with the birth date; wait until matching folded it."""
    await publish(service, CandidateRegistered(
        candidate_id=candidate, gemeente=BOXTEL, target_group="bijstand",
        birth_year=birth_date.year, birth_date=birth_date, registered_at=datetime.now(UTC)),
        BOXTEL, candidate)

    async def folded() -> bool:
        async with service.runtime.sessions() as session:
            row = await session.get(CandidateProfile, candidate)
        return row is not None and row.birth_date == birth_date

    await eventually(folded)


async def test_adult_wage_floor_is_the_wml_on_the_start_date(matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    await minimum_wage_known(matching)
    before = await nothing_written(matching)
    # WML 2026-01-01 €14.71 an hour: one cent less is refused, naming the minimum and the date.
    refused = problem(await place(matching, candidate, employer_id, hourlyWage="14.70"), 400)
    assert [p["name"] for p in refused["invalidParams"]] == ["hourlyWage"]
    assert "€14.71 an hour on 2026-01-05" in refused["detail"], refused
    assert "in force from 2026-01-01" in refused["detail"]
    assert await nothing_written(matching) == before
    accepted = await place(matching, candidate, employer_id, hourlyWage="14.71")
    assert accepted.status_code == 201, accepted.text


async def test_youth_floor_is_the_share_for_the_age_on_the_start_date(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    await born(matching, candidate, date(2007, 6, 1))  # 18 on 2026-01-05
    employer_id = await employer(matching)
    await minimum_wage_known(matching)
    # 18: 50 % of €14.71 = €7.355 an hour; €7.35 is below it (compared unrounded).
    refused = problem(await place(matching, candidate, employer_id, hourlyWage="7.35"), 400)
    assert "€7.355 an hour on 2026-01-05 (age 18: 50 % of the WML €14.71" in refused["detail"]
    accepted = await place(matching, candidate, employer_id, hourlyWage="7.36")
    assert accepted.status_code == 201, accepted.text


async def test_a_sheltered_placement_pays_the_floor_too_and_a_trial_none(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    await minimum_wage_known(matching)
    await indication(matching, candidate, IndicationDecision.GRANTED, date(2025, 12, 1))
    refused = problem(await place(matching, candidate, employer_id, form="sheltered",
                                  hourlyWage="14.00"), 400)
    assert [p["name"] for p in refused["invalidParams"]] == ["hourlyWage"]
    trial = await place(matching, candidate, employer_id, form="trial", hourlyWage="0.00",
                        plannedEnd="2026-03-31")
    assert trial.status_code == 201, trial.text


async def test_without_a_wml_for_the_date_the_placement_is_refused_not_guessed(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    before = await nothing_written(matching)
    nothing_known = problem(await place(matching, candidate, employer_id), 400)
    assert "no statutory minimum wage (wml-hourly) is known for 2026-01-05" in \
        nothing_known["detail"]
    await minimum_wage_known(matching)  # from 2026-01-01 only
    too_early = problem(await place(matching, candidate, employer_id,
                                    startDate="2025-12-01"), 400)
    assert "known for 2025-12-01" in too_early["detail"]
    assert [p["name"] for p in too_early["invalidParams"]] == ["startDate"]
    assert await nothing_written(matching) == before


async def test_a_youth_share_not_published_is_a_400(matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    await born(matching, candidate, date(2007, 6, 1))
    employer_id = await employer(matching)
    await minimum_wage_known(matching, {"wml-hourly": (date(2026, 1, 1), "14.71")})
    refused = problem(await place(matching, candidate, employer_id), 400)
    assert "no youth minimum wage share (youth-share-pct-18)" in refused["detail"]


async def indication(service: ServiceUnderTest, candidate: uuid.UUID,
                     decision: IndicationDecision, decided_on: date,
                     valid_until: date | None = None) -> None:
    """intake.sheltered-work-indication-decided; wait until matching folded it."""
    before = await service.count(ShelteredWorkIndication)
    await publish(service, ShelteredWorkIndicationDecided(
        indication_id=uuid.uuid4(), candidate_id=candidate, gemeente=BOXTEL,
        uwv_advice_date=decided_on, uwv_outcome=UwvAdviceOutcome.POSITIVE, decision=decision,
        decided_on=decided_on, valid_until=valid_until, decided_at=datetime.now(UTC)),
        BOXTEL, candidate)

    async def folded() -> bool:
        return await service.count(ShelteredWorkIndication) == before + 1

    await eventually(folded)


async def test_sheltered_work_needs_a_granted_indication_in_force(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    await minimum_wage_known(matching)
    before = await nothing_written(matching)
    sheltered = {"form": "sheltered", "hoursPerWeek": 32}
    none = problem(await place(matching, candidate, employer_id, **sheltered), 400)
    assert "needs a granted beschut-werk indication" in none["detail"]
    assert "decided no beschut-werk indication" in none["detail"]
    assert [p["name"] for p in none["invalidParams"]] == ["form"]
    await indication(matching, candidate, IndicationDecision.REFUSED, date(2025, 11, 1))
    refused = problem(await place(matching, candidate, employer_id, **sheltered), 400)
    assert "refused" in refused["detail"]
    await indication(matching, candidate, IndicationDecision.GRANTED, date(2025, 12, 1),
                     valid_until=date(2025, 12, 31))
    expired = problem(await place(matching, candidate, employer_id, **sheltered), 400)
    assert "in force on 2026-01-05" in expired["detail"]
    assert await nothing_written(matching) == before
    await indication(matching, candidate, IndicationDecision.GRANTED, date(2026, 1, 2))
    granted = await place(matching, candidate, employer_id, **sheltered)
    assert granted.status_code == 201, granted.text


async def test_paid_jobs_together_stay_within_40_hours(matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    first_employer = await employer(matching)
    other_employer = await employer(matching, kvkNumber="23456789")
    await minimum_wage_known(matching)
    first = await place(matching, candidate, first_employer, hoursPerWeek=36)
    assert first.status_code == 201, first.text
    before = await nothing_written(matching)
    # 36 + 22 = 58 hours a week from 2026-02-01: more than 40 → 409 naming the first.
    clash = problem(await place(matching, candidate, other_employer, form="regular",
                                hoursPerWeek=22, startDate="2026-02-01"), 409)
    assert clash["otherPlacementId"] == first.json()["id"]
    assert first.json()["id"] in clash["detail"]
    assert "58 hours a week, more than the 40 allowed" in clash["detail"]
    assert await nothing_written(matching) == before
    # 36 + 4 = 40 is allowed; so is 22 h once the first has ended.
    four = await place(matching, candidate, other_employer, form="regular", hoursPerWeek=4,
                       startDate="2026-02-01")
    assert four.status_code == 201, four.text
    ending = await matching.client.post(f"/v1/placements/{first.json()['id']}/endings",
                                        json={"endDate": "2026-02-28", "reason": "completed"},
                                        headers=staff())
    assert ending.status_code == 201, ending.text
    later = await place(matching, candidate, other_employer, form="secondment",
                        hoursPerWeek=22, startDate="2026-03-01")
    assert later.status_code == 201, later.text


async def test_the_hours_limit_holds_for_two_requests_at_once(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    first_employer = await employer(matching)
    other_employer = await employer(matching, kvkNumber="23456789")
    await minimum_wage_known(matching)
    answers = await asyncio.gather(
        place(matching, candidate, first_employer, hoursPerWeek=36),
        place(matching, candidate, other_employer, hoursPerWeek=22))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert await matching.count(Placement) == 1


async def test_no_trial_beside_a_paid_job_at_the_same_employer(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    employer_id = await employer(matching)
    elsewhere = await employer(matching, kvkNumber="23456789")
    await minimum_wage_known(matching)
    paid = await place(matching, candidate, employer_id, hoursPerWeek=16)
    assert paid.status_code == 201, paid.text
    trial = {"form": "trial", "hourlyWage": "0.00", "startDate": "2026-02-02",
             "plannedEnd": "2026-04-30", "hoursPerWeek": 8}
    clash = problem(await place(matching, candidate, employer_id, **trial), 409)
    assert clash["otherPlacementId"] == paid.json()["id"]
    assert "trial placement cannot run beside a paid job at the same employer" in \
        clash["detail"]
    other = await place(matching, candidate, elsewhere, **trial)
    assert other.status_code == 201, other.text
    # And the other way round: a paid job where the person is on trial.
    paid_there = problem(await place(matching, candidate, elsewhere, form="regular",
                                     hoursPerWeek=8, startDate="2026-03-02"), 409)
    assert paid_there["otherPlacementId"] == other.json()["id"]


async def proposed(service: ServiceUnderTest, vacancy_id: str, candidate: uuid.UUID,
                   *statuses: str) -> str:
    response = await service.client.post(f"/v1/vacancies/{vacancy_id}/proposals",
                                         json={"candidateId": str(candidate)}, headers=staff())
    assert response.status_code == 201, response.text
    proposal_id = str(response.json()["id"])
    for status in statuses:
        moved = await service.client.post(f"/v1/proposals/{proposal_id}/status-changes",
                                          json={"status": status}, headers=staff())
        assert moved.status_code == 201, moved.text
    return proposal_id


async def test_a_placement_from_an_accepted_proposal_carries_its_id(
        matching: ServiceUnderTest) -> None:
    candidate = await matchable_candidate(matching)
    someone_else = await matchable_candidate(matching)
    employer_id = await employer(matching)
    job = await vacancy(matching, [LIGHT], employer_id=employer_id, positions=3)
    other_job = await vacancy(matching, [LIGHT], employer_id=employer_id)
    await minimum_wage_known(matching)
    open_proposal = await proposed(matching, job, candidate, "interview")
    declined = await proposed(matching, other_job, candidate, "declined")
    accepted = await proposed(matching, job, someone_else, "accepted")
    before = await nothing_written(matching)
    not_accepted = problem(await place(matching, candidate, employer_id, vacancyId=job,
                                       proposalId=open_proposal), 409)
    assert "is interview" in not_accepted["detail"]
    assert "is declined" in problem(await place(matching, candidate, employer_id,
                                                proposalId=declined), 409)["detail"]
    wrong_person = problem(await place(matching, candidate, employer_id,
                                       proposalId=accepted), 400)
    assert [p["name"] for p in wrong_person["invalidParams"]] == ["proposalId"]
    wrong_job = problem(await place(matching, someone_else, employer_id, vacancyId=other_job,
                                    proposalId=accepted), 400)
    assert "another vacancy" in wrong_job["detail"]
    assert await nothing_written(matching) == before

    placed = await place(matching, someone_else, employer_id, proposalId=accepted)
    assert placed.status_code == 201, placed.text
    assert (placed.json()["proposalId"], placed.json()["vacancyId"]) == (accepted, job)
    (started,) = await outbox_events(matching, EVENT + "placement-started")
    assert (started["data"]["proposalId"], started["data"]["vacancyId"]) == (accepted, job)
    again = problem(await place(matching, someone_else, employer_id, proposalId=accepted,
                                hoursPerWeek=4, startDate="2026-06-01"), 409)
    assert again["otherPlacementId"] == placed.json()["id"]


async def test_a_vacancy_closes_when_its_positions_are_filled_and_is_no_longer_matched(
        matching: ServiceUnderTest) -> None:
    first, second, third = [await matchable_candidate(matching) for _ in range(3)]
    employer_id = await employer(matching)
    job = await vacancy(matching, [LIGHT], employer_id=employer_id, positions=2)
    (published,) = await outbox_events(matching, EVENT + "vacancy-published")
    assert published["data"]["positions"] == 2
    trial = {"form": "trial", "hourlyWage": "0.00", "plannedEnd": "2026-03-31",
             "vacancyId": job}
    assert (await place(matching, first, employer_id, **trial)).status_code == 201
    shown = (await matching.client.get(f"/v1/vacancies/{job}", headers=staff())).json()
    assert (shown["status"], shown["positions"]) == ("open", 2)
    assert [m["vacancyId"] for m in (await candidate_matches(matching, third)).json()[
        "items"]] == [job]
    assert (await place(matching, second, employer_id, **trial)).status_code == 201
    shown = (await matching.client.get(f"/v1/vacancies/{job}", headers=staff())).json()
    assert (shown["status"], shown["closeReason"]) == ("closed", "filled")
    (closed,) = await outbox_events(matching, EVENT + "vacancy-closed")
    assert (closed["data"]["vacancyId"], closed["data"]["reason"]) == (job, "filled")
    # No longer offered: not among the candidate's matches, its own ranking is a 409.
    assert (await candidate_matches(matching, third)).json()["items"] == []
    problem(await matching.client.get(f"/v1/vacancies/{job}/matches", headers=staff()), 409)
    other_employer = await employer(matching, kvkNumber="23456789")
    elsewhere = problem(await place(matching, third, other_employer, **{
        **trial, "vacancyId": await vacancy(matching, [LIGHT], employer_id=employer_id)}), 400)
    assert [p["name"] for p in elsewhere["invalidParams"]] == ["employerId"]
    full = problem(await place(matching, third, employer_id, **trial), 409)
    assert "closed" in full["detail"]
    assert await matching.count(Placement) == 2
