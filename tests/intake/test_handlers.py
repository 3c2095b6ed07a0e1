"""Intake's handlers without HTTP: the unit of work on the real test database.

Each test opens `runtime.begin(principal)` as the request's dependency would, calls one handler
and reads what was stored (candidate rows, outbox rows) straight from the database.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import func, select

from services.intake import commands
from services.intake.domain.candidate import Benefit, Status, TargetGroup
from services.intake.handlers import candidates as handlers
from services.intake.handlers.candidates import DuplicateCandidate
from services.intake.main import make_runtime
from services.intake.settings import IntakeSettings
from services.intake.store.models import Candidate
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.events.intake import ClosureReason, Programme
from shared.problems import Forbidden, NotFound, UnprocessableState
from shared.runtime import Runtime
from shared.store import OutboxMessage
from tests.intake.conftest import BOXTEL, OTHER_VALID_BSN, VALID_BSN, VUGHT, settings_for
from tests.support.databases import DatabaseFactory

NO_BUS = "nats://127.0.0.1:1"  # never connected: the runtime is not started

IntakeRuntime = Runtime[IntakeSettings, IntakeUnitOfWork]


def caller(org: str = BOXTEL, kind: OrgKind = OrgKind.GEMEENTE,
           *roles: Role) -> Principal:
    """A gemeente's klantmanager unless told otherwise."""
    return Principal(subject=f"user@{org}", org=org, kind=kind, gemeenten=frozenset({org}),
                     roles=frozenset(roles or (Role.CASEWORKER,)))


def registration(bsn: str = VALID_BSN) -> commands.RegisterCandidate:
    return commands.RegisterCandidate(
        bsn=bsn, given_name="Jan", family_name="Jansen", birth_date=date(1990, 4, 1),
        postcode="5281AB", target_group=TargetGroup.BIJSTAND, benefit=Benefit.BIJSTAND)


@pytest.fixture
async def runtime(intake_databases: DatabaseFactory) -> AsyncIterator[IntakeRuntime]:
    """Intake's runtime on a fresh database, not started: no bus, no relay, only storage."""
    runtime = make_runtime(settings_for(await intake_databases.fresh(), NO_BUS, "unused"))
    try:
        yield runtime
    finally:
        await runtime.engine.dispose()


async def register(runtime: IntakeRuntime, principal: Principal | None = None,
                   bsn: str = VALID_BSN) -> uuid.UUID:
    async with runtime.begin(principal or caller()) as uow:
        return (await handlers.register_candidate(uow, registration(bsn))).id


async def outbox_rows(runtime: IntakeRuntime) -> list[OutboxMessage]:
    async with runtime.transaction() as session:
        return list((await session.scalars(select(OutboxMessage)
                                           .order_by(OutboxMessage.seq))).all())


async def test_register_stores_the_candidate_and_its_event(runtime: IntakeRuntime) -> None:
    async with runtime.begin(caller()) as uow:
        new = await handlers.register_candidate(uow, registration())
    async with runtime.transaction() as session:
        stored = await session.get(Candidate, new.id)
    assert stored is not None
    assert (stored.gemeente, stored.bsn, stored.postcode, stored.status, stored.registered_at) \
        == (BOXTEL, VALID_BSN, "5281AB", Status.REGISTERED.value, new.registered_at)
    [row] = await outbox_rows(runtime)
    envelope = json.loads(row.payload)
    assert envelope["type"] == "nl.participatiewet.intake.candidate-registered"
    assert (envelope["subject"], envelope["gemeente"]) == (str(new.id), BOXTEL)
    assert row.subject.endswith(f"participatiewet.{BOXTEL}.intake.candidate-registered")
    assert envelope["data"]["birthDate"] == "1990-04-01"


async def test_a_duplicate_bsn_points_at_the_first_and_writes_nothing(
    runtime: IntakeRuntime,
) -> None:
    first = await register(runtime)
    with pytest.raises(DuplicateCandidate) as refused:
        await register(runtime)
    assert refused.value.extra["existingCandidateId"] == str(first)
    assert len(await outbox_rows(runtime)) == 1


async def test_concurrent_registrations_of_one_bsn_register_once(runtime: IntakeRuntime) -> None:
    """Racing twins: one wins; the other waits for it (Postgres) and gets the 409 to it."""
    outcomes = await asyncio.gather(*(register(runtime) for _ in range(4)),
                                    return_exceptions=True)
    winners = [o for o in outcomes if isinstance(o, uuid.UUID)]
    losers = [o for o in outcomes if isinstance(o, DuplicateCandidate)]
    assert (len(winners), len(losers)) == (1, 3), outcomes
    assert all(o.extra["existingCandidateId"] == str(winners[0]) for o in losers)
    async with runtime.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Candidate)) == 1
    assert len(await outbox_rows(runtime)) == 1


@pytest.mark.parametrize("principal", [
    caller(BOXTEL, OrgKind.GEMEENTE, Role.CONTROLLER),
    caller("WSD", OrgKind.PROVIDER, Role.CONSULTANT),
], ids=["controller", "provider"])
async def test_a_caller_without_the_writer_role_is_forbidden(runtime: IntakeRuntime,
                                                             principal: Principal) -> None:
    with pytest.raises(Forbidden):
        await register(runtime, principal)
    candidate_id = await register(runtime)
    with pytest.raises(Forbidden):
        async with runtime.begin(principal) as uow:
            await handlers.close_candidate(uow, commands.CloseCandidate(
                candidate_id=candidate_id, reason=ClosureReason.WORK))
    assert len(await outbox_rows(runtime)) == 1


async def test_another_gemeentes_candidate_is_not_found(runtime: IntakeRuntime) -> None:
    candidate_id = await register(runtime)
    vught = caller(VUGHT)
    with pytest.raises(NotFound):
        async with runtime.begin(vught) as uow:
            await handlers.close_candidate(uow, commands.CloseCandidate(
                candidate_id=candidate_id, reason=ClosureReason.WORK))
    with pytest.raises(NotFound):
        async with runtime.begin(vught) as uow:
            await handlers.read_candidate(uow, candidate_id)
    async with runtime.begin(vught) as uow:  # the same BSN is Vught's own to register
        assert (await handlers.register_candidate(uow, registration())).gemeente == VUGHT


async def test_a_step_the_status_does_not_allow_is_refused_and_changes_nothing(
    runtime: IntakeRuntime,
) -> None:
    candidate_id = await register(runtime)
    with pytest.raises(UnprocessableState, match="needs a referred candidate"):
        async with runtime.begin(caller()) as uow:
            await handlers.decide_programme(uow, commands.DecideProgramme(
                candidate_id=candidate_id, programme=Programme.WERK, provider="WSD",
                start_date=date(2026, 2, 1), migrated=True))
    async with runtime.begin(caller()) as uow:
        closed = await handlers.close_candidate(uow, commands.CloseCandidate(
            candidate_id=candidate_id, reason=ClosureReason.MOVED))
    assert closed.status == Status.CLOSED.value
    with pytest.raises(UnprocessableState, match="already closed"):
        async with runtime.begin(caller()) as uow:
            await handlers.close_candidate(uow, commands.CloseCandidate(
                candidate_id=candidate_id, reason=ClosureReason.WORK))
    types = [json.loads(r.payload)["type"].rsplit(".", 1)[-1]
             for r in await outbox_rows(runtime)]
    assert types == ["candidate-registered", "candidate-closed"]


async def test_an_event_unit_of_work_reads_unscoped(runtime: IntakeRuntime) -> None:
    candidate_id = await register(runtime, bsn=OTHER_VALID_BSN)
    async with runtime.begin() as uow:
        assert not uow.has_caller
        candidate = await uow.candidates.get_unscoped(candidate_id)
    assert candidate is not None and candidate.bsn == OTHER_VALID_BSN
