"""The unit of work on a real database: who commits, when, and what its helpers answer.

A tiny app built with the spine's own factory writes to the spine's test projection
(`applied_events`, keyed by event_id) through the request's unit of work, on SQLite and (with
TEST_DATABASE_URL) Postgres.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import func, insert, select

from shared.auth import OrgKind, Principal, Role
from shared.events.intake import CandidateRegistered
from shared.http.app import create_service_app
from shared.http.deps import REQUEST_UNIT_OF_WORK
from shared.http.pagination import PagerDep
from shared.http.schemas import ApiModel
from shared.problems import BadRequest, Conflict, Problem, UnprocessableState, domain_rules
from shared.runtime import Runtime
from shared.settings import ServiceSettings
from shared.store import OutboxMessage
from shared.unit_of_work import NoCaller, UnitOfWork
from tests.shared.conftest import SpineDb, applied_events
from tests.shared.test_auth import user

Uow = Annotated[UnitOfWork, REQUEST_UNIT_OF_WORK]
CASEWORKER = user("c", Role.CASEWORKER)


class Written(ApiModel):
    event_id: str


class WrittenPage(ApiModel):
    items: list[Written]
    page: int
    page_size: int
    total: int


def _row(event_id: str) -> dict[str, str]:
    return {"event_id": event_id, "candidate_id": "c"}


def routes() -> APIRouter:
    router = APIRouter()

    @router.post("/rows/{event_id}", status_code=201)
    async def write(event_id: str, uow: Uow) -> Written:
        """Staged, not flushed: a clash can only show at commit."""
        await uow.session.execute(insert(applied_events).values(_row(event_id)))
        return Written(event_id=event_id)

    @router.post("/rows/{event_id}/then-refuse", status_code=201)
    async def write_then_refuse(event_id: str, uow: Uow) -> Written:
        await uow.session.execute(insert(applied_events).values(_row(event_id)))
        raise BadRequest("refused after writing")

    @router.get("/rows")
    async def list_rows(uow: Uow, pager: PagerDep) -> WrittenPage:
        ids = list(await uow.session.scalars(select(applied_events.c.event_id)
                                             .order_by(applied_events.c.event_id)))
        start = pager.params.offset
        return pager.page(WrittenPage, [Written(event_id=i)
                                        for i in ids[start:start + pager.params.page_size]],
                          len(ids))

    return router


@pytest.fixture
async def app(spine_db: SpineDb) -> AsyncIterator[tuple[FastAPI, Runtime[ServiceSettings,
                                                                            UnitOfWork]]]:
    settings = ServiceSettings(database_url=spine_db.url, environment="test")
    runtime = Runtime(settings, unit_of_work=UnitOfWork, publishes=False)
    application = create_service_app(
        settings, title="uow", version="1.0.0", description="uow", routers=[routes()],
        make_runtime=lambda s: Runtime(s, unit_of_work=UnitOfWork))
    application.state.runtime = runtime  # no lifespan: no bus is needed here
    yield application, runtime
    await runtime.engine.dispose()


@pytest.fixture
async def client(app: tuple[FastAPI, Runtime[ServiceSettings, UnitOfWork]]
                 ) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app[0]),
                                 base_url="http://uow") as http:
        yield http


async def test_a_request_commits_its_unit_of_work(client: httpx.AsyncClient,
                                                  spine_db: SpineDb) -> None:
    response = await client.post("/v1/rows/a", headers=CASEWORKER)
    assert response.status_code == 201
    assert await spine_db.count(applied_events) == 1


async def test_a_clash_at_commit_is_answered_409_not_201(client: httpx.AsyncClient,
                                                        spine_db: SpineDb) -> None:
    """The commit runs before the response is sent: a failing commit is what the caller hears."""
    async with spine_db.sessions() as session, session.begin():
        await session.execute(insert(applied_events).values(_row("taken")))
    response = await client.post("/v1/rows/taken", headers=CASEWORKER)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await spine_db.count(applied_events) == 1


async def test_a_refused_request_writes_nothing(client: httpx.AsyncClient,
                                                spine_db: SpineDb) -> None:
    response = await client.post("/v1/rows/b/then-refuse", headers=CASEWORKER)
    assert response.status_code == 400
    assert await spine_db.count(applied_events) == 0


async def test_the_pager_answers_the_page_and_links_the_others(
        client: httpx.AsyncClient) -> None:
    for event_id in ("r1", "r2", "r3"):
        assert (await client.post(f"/v1/rows/{event_id}", headers=CASEWORKER)).status_code == 201
    response = await client.get("/v1/rows?page=2&pageSize=2", headers=CASEWORKER)
    assert response.json() == {"items": [{"eventId": "r3"}], "page": 2, "pageSize": 2,
                               "total": 3}
    assert 'page=1&pageSize=2>; rel="prev"' in response.headers["Link"]
    assert 'rel="next"' not in response.headers["Link"]


async def test_the_outbox_takes_tenant_and_subject_from_the_event(
        app: tuple[FastAPI, Runtime[ServiceSettings, UnitOfWork]], spine_db: SpineDb) -> None:
    runtime = app[1]
    candidate = uuid.uuid4()
    event = CandidateRegistered(candidate_id=candidate, gemeente="GM0757",
                                target_group="bijstand",
                                registered_at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    async with runtime.begin() as uow:
        staged = uow.outbox.add(event)
        written = await uow.outbox.insert(event, subject_id="other")
    assert (staged.gemeente, staged.subject) == ("GM0757", str(candidate))
    assert written.subject == "other"
    assert staged.source == f"urn:nld:oin:{runtime.settings.oin}:systeem:intake"
    async with spine_db.sessions() as session:
        subjects = set(await session.scalars(select(OutboxMessage.subject)))
    assert len(subjects) == 1 and "GM0757" in subjects.pop()


async def test_unique_turns_a_clash_into_the_problem_and_keeps_the_transaction(
        app: tuple[FastAPI, Runtime[ServiceSettings, UnitOfWork]], spine_db: SpineDb) -> None:
    runtime = app[1]
    async with runtime.begin() as uow:
        await uow.session.execute(insert(applied_events).values(_row("u")))

    async def clash() -> None:
        await uow.session.execute(insert(applied_events).values(_row("u")))

    async def conflict() -> Problem:
        found = await uow.session.scalar(select(func.count()).select_from(applied_events))
        return Conflict(f"already there ({found} row)")

    async with runtime.begin() as uow:
        with pytest.raises(Conflict, match=r"already there \(1 row\)"):
            await uow.unique(clash, conflict)
        await uow.session.execute(insert(applied_events).values(_row("after")))
    assert await spine_db.count(applied_events) == 2


async def test_an_event_unit_of_work_has_no_caller_and_the_policy_is_the_principals(
        app: tuple[FastAPI, Runtime[ServiceSettings, UnitOfWork]]) -> None:
    runtime = app[1]
    async with runtime.begin() as uow:
        assert not uow.has_caller
        with pytest.raises(NoCaller):
            uow.require(Role.CASEWORKER)
    principal = Principal(subject="k", org="GM0757", kind=OrgKind.GEMEENTE,
                          gemeenten=frozenset({"GM0757"}), roles=frozenset({Role.CONTROLLER}))
    async with runtime.begin(principal) as uow:
        assert uow.require(Role.CONTROLLER, kinds=[OrgKind.GEMEENTE]) is principal
        with pytest.raises(Problem) as refused:
            uow.require(Role.CASEWORKER)
        assert refused.value.status == 403


class StepError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field, self.reason = field, message


def test_domain_rules_translate_a_rule_into_its_problem() -> None:
    with pytest.raises(UnprocessableState) as state, domain_rules(ValueError):
        raise ValueError("closed candidates take no decisions")
    assert state.value.detail == "closed candidates take no decisions"
    with pytest.raises(BadRequest) as bad, domain_rules(StepError, problem=BadRequest):
        raise StepError("before the referral", "startDate")
    assert [(p.name, p.reason) for p in bad.value.invalid_params] == [
        ("startDate", "before the referral")]


async def test_a_hot_path_write_through_the_driver_rolls_back_with_the_unit_of_work(
        app: tuple[FastAPI, Runtime[ServiceSettings, UnitOfWork]], spine_db: SpineDb) -> None:
    """`outbox.insert` goes through asyncpg itself on Postgres: still inside the transaction."""
    runtime = app[1]
    event = CandidateRegistered(candidate_id=uuid.uuid4(), gemeente="GM0757",
                                target_group="bijstand",
                                registered_at=datetime(2026, 1, 5, 10, tzinfo=UTC))
    with pytest.raises(BadRequest):
        async with runtime.begin() as uow:
            await uow.outbox.insert(event)
            raise BadRequest("refused after writing")
    assert await spine_db.count(OutboxMessage) == 0
    async with runtime.begin() as uow:
        await uow.outbox.insert(event)
    assert await spine_db.count(OutboxMessage) == 1
