"""Matching's handlers without HTTP: each opens the service's unit of work on the real test
database (SQLite, and Postgres when TEST_DATABASE_URL is set), as a request or an event would,
and checks what was stored and put in the outbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.matching.commands import (
    CloseVacancy,
    DemandSpec,
    ProposeCandidate,
    PublishVacancy,
    RegisterEmployer,
    TaskSpec,
    VacancySpec,
    WspEmployerSpec,
    WspVacancyChange,
)
from services.matching.handlers import inbound, proposals, vacancies
from services.matching.handlers.profiles import fold_profile, fold_programme
from services.matching.main import make_runtime
from services.matching.settings import MatchingSettings
from services.matching.store.models import CandidateProfile, Employer, Proposal, Vacancy
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.dutch_time import dutch_today
from shared.events.diagnose import ProfileUpdated
from shared.events.envelope import Envelope
from shared.events.intake import Programme, ProgrammeDecided
from shared.events.matching import CandidateProposed, PlacementForm, VacancyPublished
from shared.events.vocabulary import Werksoort
from shared.problems import BadRequest, Conflict, Forbidden, NotFound
from shared.runtime import Runtime
from shared.store import OutboxMessage
from shared.unit_of_work import NoCaller
from tests.matching.conftest import BOXTEL, ROERMOND, WSD, WSP
from tests.support.databases import DatabaseFactory

MatchingRuntime = Runtime[MatchingSettings, MatchingUnitOfWork]
ACCOUNT_MANAGER = Principal(subject="am@wsd", org=WSD, kind=OrgKind.PROVIDER,
                            gemeenten=frozenset({BOXTEL}),
                            roles=frozenset({Role.ACCOUNT_MANAGER}))
CONSULTANT = Principal(subject="jc@wsd", org=WSD, kind=OrgKind.PROVIDER,
                       gemeenten=frozenset({BOXTEL}), roles=frozenset({Role.CONSULTANT}))
ROERMOND_STAFF = Principal(subject="aw@roermond", org=ROERMOND, kind=OrgKind.GEMEENTE,
                           gemeenten=frozenset({ROERMOND}),
                           roles=frozenset({Role.ACCOUNT_MANAGER}))


@pytest.fixture
async def runtime(matching_databases: DatabaseFactory) -> AsyncIterator[MatchingRuntime]:
    """Matching's runtime on a fresh database, not started: no bus, no relay, no consumers."""
    settings = MatchingSettings(database_url=await matching_databases.fresh(),
                                nats_url="nats://127.0.0.1:4222", environment="test")
    runtime = make_runtime(settings)
    yield runtime
    await runtime.engine.dispose()


def task(name: str, hours: str, *demands: DemandSpec) -> TaskSpec:
    """A task of a vacancy."""
    return TaskSpec(name=name, hours_per_week=Decimal(hours), demands=demands,
                    skills=("heftruck rijden",))


def spec(*tasks: TaskSpec, hours: str | None = None, gemeente: str = BOXTEL) -> VacancySpec:
    """A warehouse job in Boxtel whose hours are its tasks' hours unless given."""
    total = sum((t.hours_per_week for t in tasks), Decimal(0))
    return VacancySpec(
        title="Magazijnmedewerker", werksoort=Werksoort.LOGISTIEK, gemeente=gemeente,
        hours_per_week=Decimal(hours) if hours else total, hourly_wage=Decimal("14.71"),
        contract_forms=(PlacementForm.LKS, PlacementForm.TRIAL), tasks=tasks)


LOADING = task("pallets laden", "16", DemandSpec(code="lifting-max-kg", value=Decimal("25")))
PICKING = task("orders picken", "16")


async def published_vacancy(runtime: MatchingRuntime) -> Vacancy:
    """An employer and an open vacancy, kept by WSD for work in Boxtel."""
    async with runtime.begin(ACCOUNT_MANAGER) as uow:
        employer = await vacancies.register_employer(uow, RegisterEmployer(
            kvk_number="12345678", name="Groothandel De Kempen BV",
            sector=Werksoort.LOGISTIEK, gemeente=BOXTEL))
        return await vacancies.publish_vacancy(uow, PublishVacancy(
            employer_id=employer.id, vacancy=spec(LOADING, PICKING)))


async def outbox(runtime: MatchingRuntime) -> list[Envelope]:
    """Every event in the outbox, oldest first."""
    async with runtime.transaction() as session:
        rows = await session.scalars(select(OutboxMessage.payload).order_by(OutboxMessage.seq))
        return [Envelope.from_json(p) for p in rows]


async def test_publishing_a_vacancy_stores_it_and_announces_it_by_its_own_id(
    runtime: MatchingRuntime,
) -> None:
    vacancy = await published_vacancy(runtime)

    async with runtime.transaction() as session:
        stored = await session.get(Vacancy, vacancy.id)
        assert stored is not None
        assert (stored.owner_org, stored.gemeente, stored.status) == (WSD, BOXTEL, "open")
        assert stored.hours_per_week == Decimal("32.0")
        assert stored.tasks[0] == {
            "name": "pallets laden", "hoursPerWeek": "16.0",
            "demands": [{"code": "lifting-max-kg", "value": "25"}],
            "skills": ["heftruck rijden"]}
    [event] = await outbox(runtime)
    assert event.type == VacancyPublished.ce_type()
    assert (event.subject, event.gemeente) == (str(vacancy.id), BOXTEL)
    assert event.data["vacancyId"] == str(vacancy.id)


async def test_a_consultant_may_not_register_an_employer(runtime: MatchingRuntime) -> None:
    with pytest.raises(Forbidden):
        async with runtime.begin(CONSULTANT) as uow:
            await vacancies.register_employer(uow, RegisterEmployer(
                kvk_number="12345678", name="De Kempen", sector=Werksoort.LOGISTIEK,
                gemeente=BOXTEL))
    async with runtime.transaction() as session:
        assert (await session.scalars(select(Employer))).all() == []


async def test_another_gemeente_does_not_see_the_vacancy(runtime: MatchingRuntime) -> None:
    vacancy = await published_vacancy(runtime)

    async with runtime.begin(ROERMOND_STAFF) as uow:
        with pytest.raises(NotFound):
            await vacancies.get_vacancy(uow, vacancy.id)
        with pytest.raises(NotFound):
            await vacancies.close_vacancy(uow, CloseVacancy(vacancy_id=vacancy.id,
                                                            reason="withdrawn"))
    async with runtime.transaction() as session:
        stored = await session.get(Vacancy, vacancy.id)
        assert stored is not None and stored.status == "open"


async def test_hours_that_do_not_add_up_are_refused_naming_the_field(
    runtime: MatchingRuntime,
) -> None:
    async with runtime.begin(ACCOUNT_MANAGER) as uow:
        employer = await vacancies.register_employer(uow, RegisterEmployer(
            kvk_number="12345678", name="De Kempen", sector=Werksoort.LOGISTIEK,
            gemeente=BOXTEL))
    with pytest.raises(BadRequest) as refused:
        async with runtime.begin(ACCOUNT_MANAGER) as uow:
            await vacancies.publish_vacancy(uow, PublishVacancy(
                employer_id=employer.id, vacancy=spec(LOADING, PICKING, hours="36")))
    assert [p.name for p in refused.value.invalid_params] == ["tasks"]
    assert await outbox(runtime) == []


async def test_an_event_unit_of_work_has_no_caller_to_scope_by(
    runtime: MatchingRuntime,
) -> None:
    async with runtime.begin() as uow:
        assert not uow.has_caller
        with pytest.raises(NoCaller):
            await uow.vacancies.visible(uuid.uuid4())


async def test_a_candidate_folded_from_events_is_proposed_under_their_own_id(
    runtime: MatchingRuntime,
) -> None:
    vacancy = await published_vacancy(runtime)
    candidate_id = uuid.uuid4()
    async with runtime.begin() as uow:  # as the inbox does for an event: no caller
        await fold_profile(uow, ProfileUpdated(
            diagnosis_id=uuid.uuid4(), candidate_id=candidate_id, gemeente=BOXTEL,
            provider=WSD, constraints=(), interests=(Werksoort.LOGISTIEK,),
            skills=("heftruck rijden",), certificates=(), hours_per_week=Decimal("32"),
            home_gemeente=BOXTEL, travel_radius_km=15, updated_at=datetime.now(UTC)))
        await fold_programme(uow, ProgrammeDecided(
            candidate_id=candidate_id, gemeente=BOXTEL, programme=Programme.WERK, provider=WSD,
            start_date=dutch_today(), decided_at=datetime.now(UTC)))

    async with runtime.begin(ACCOUNT_MANAGER) as uow:
        proposal = await proposals.propose(uow, ProposeCandidate(
            vacancy_id=vacancy.id, candidate_id=candidate_id), min_carved_hours=8.0)

    async with runtime.transaction() as session:
        profile = await session.get(CandidateProfile, candidate_id)
        assert profile is not None and profile.provider == WSD
        stored = await session.get(Proposal, proposal.id)
        assert stored is not None and stored.status == "proposed"
    event = (await outbox(runtime))[-1]
    assert event.type == CandidateProposed.ce_type()
    assert (event.subject, event.gemeente) == (str(candidate_id), BOXTEL)


async def test_the_wsp_webhook_creates_with_core_inserts_and_announces_the_vacancy(
    runtime: MatchingRuntime,
) -> None:
    change = WspVacancyChange(
        action="create", external_ref="wsp-0001", vacancy=spec(LOADING, PICKING),
        employer=WspEmployerSpec(kvk_number="87654321", name="Bakkerij Boxtel",
                                 sector=Werksoort.LOGISTIEK, gemeente=BOXTEL))
    async with runtime.begin() as uow:
        applied = await inbound.apply(uow, WSP, change)
    assert (applied.status, applied.vacancy_status) == (201, "open")

    async with runtime.transaction() as session:
        stored = await session.get(Vacancy, applied.vacancy_id)
        assert stored is not None
        assert (stored.owner_org, stored.external_ref) == (WSP, "wsp-0001")
        employer = await session.get(Employer, stored.employer_id)
        assert employer is not None and employer.owner_org == WSP
    [event] = await outbox(runtime)
    assert event.type == VacancyPublished.ce_type()
    assert (event.subject, event.gemeente) == (str(applied.vacancy_id), BOXTEL)

    with pytest.raises(Conflict, match="exists; send an update"):
        async with runtime.begin() as uow:
            await inbound.apply(uow, WSP, change)
