"""Reporting's handlers without HTTP: a unit of work on the real (migrated) test database, opened
with a caller as a request's would be, or without one as an event's is.

Reporting publishes nothing (its runtime has no relay), so a write leaves the outbox empty:
that is asserted beside the stored state.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import func, select

from services.reporting.commands import (
    CreatePlanAction,
    ListTargets,
    ReadPlanAction,
    ReadPlanActions,
    ReadReport,
    SetPlanActionNote,
    SetTarget,
    UpdatePlanAction,
)
from services.reporting.domain.fold import InvalidEvent
from services.reporting.domain.periods import parse_period
from services.reporting.handlers import plan_actions, targets
from services.reporting.handlers.projections import apply_event
from services.reporting.handlers.reports import read_report
from services.reporting.history import History
from services.reporting.main import make_runtime
from services.reporting.reports import Context
from services.reporting.settings import ReportingSettings
from services.reporting.store.models import CandidateRow, PlanActionRow, TargetRow
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.events.envelope import Envelope
from shared.problems import Forbidden, NotFound
from shared.runtime import Runtime
from shared.store import OutboxMessage
from shared.unit_of_work import NoCaller
from tests.reporting.conftest import BOXTEL, GESTEL
from tests.support.databases import DatabaseFactory

Reporting = Runtime[ReportingSettings, ReportingUnitOfWork]
CONTEXT = Context({}, today=date(2026, 7, 1))
H1 = parse_period("2026-H1")
ALL_YEARS = ListTargets(year=None)


def gemeente(code: str = BOXTEL, role: Role = Role.CONTROLLER) -> Principal:
    return Principal(subject=f"{code}-{role.value}", org=code, kind=OrgKind.GEMEENTE,
                     gemeenten=frozenset({code}), roles=frozenset({role}))


def board(*members: str) -> Principal:
    return Principal(subject="wsd-board", org="WSD", kind=OrgKind.PROVIDER,
                     gemeenten=frozenset(members), roles=frozenset({Role.BOARD}))


@pytest.fixture
async def runtime(reporting_databases: DatabaseFactory) -> AsyncIterator[Reporting]:
    """Reporting's runtime on a fresh database; never started (no bus: handlers only)."""
    settings = ReportingSettings(database_url=await reporting_databases.fresh(),
                                 environment="test")
    runtime = make_runtime(settings)
    try:
        yield runtime
    finally:
        await runtime.engine.dispose()


async def outbox_rows(runtime: Reporting) -> int:
    async with runtime.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_a_gemeente_sets_its_own_target(runtime: Reporting) -> None:
    async with runtime.begin(gemeente(BOXTEL)) as uow:
        row = await targets.set_target(uow, SetTarget(gemeente=BOXTEL, year=2026, places=483,
                                                      set_by="boxtel-controller"))
        assert uow.outbox.added == []  # reporting publishes nothing
    assert (row.gemeente, row.year, row.places) == (BOXTEL, 2026, 483)
    async with runtime.begin(gemeente(BOXTEL, Role.ADMIN)) as uow:  # replaced, not added
        await targets.set_target(uow, SetTarget(gemeente=BOXTEL, year=2026, places=500,
                                                set_by="boxtel-admin"))
    async with runtime.transaction() as session:
        stored = (await session.scalars(select(TargetRow))).all()
    assert [(t.gemeente, t.year, t.places, t.set_by) for t in stored] == [
        (BOXTEL, 2026, 500, "boxtel-admin")]
    assert await outbox_rows(runtime) == 0
    async with runtime.begin(board(BOXTEL, GESTEL)) as uow:  # the board reads it
        assert [t.places for t in await targets.list_targets(uow, ALL_YEARS)] == [500]
    async with runtime.begin(gemeente(GESTEL)) as uow:  # another gemeente does not
        assert list(await targets.list_targets(uow, ALL_YEARS)) == []


@pytest.mark.parametrize("caller", [
    gemeente(BOXTEL, Role.CASEWORKER),  # reads the figures, does not set the target
    board(BOXTEL),  # a governing board reads it at most
    gemeente(GESTEL),  # another gemeente
])
async def test_only_the_gemeentes_controller_or_admin_sets_its_target(
        runtime: Reporting, caller: Principal) -> None:
    async with runtime.begin(caller) as uow:
        with pytest.raises(Forbidden):
            await targets.set_target(uow, SetTarget(gemeente=BOXTEL, year=2026, places=1,
                                                    set_by=caller.subject))
    async with runtime.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(TargetRow)) == 0


async def test_a_plan_action_and_its_note(runtime: Reporting) -> None:
    async with runtime.begin(gemeente(BOXTEL)) as uow:
        row = await plan_actions.create_action(uow, CreatePlanAction(
            gemeente=BOXTEL, action="OAD uitbreiden", owner="WSD", status="planned",
            by="boxtel-controller"))
        await plan_actions.set_note(uow, SetPlanActionNote(
            gemeente=BOXTEL, action_id=row.id, period="2026-H1", note="gestart",
            by="boxtel-controller"))
        assert uow.outbox.added == []
    async with runtime.begin(board(BOXTEL, GESTEL)) as uow:
        [(action, notes)] = await plan_actions.list_actions(uow, ReadPlanActions(BOXTEL))
    assert (action.id, action.gemeente, action.status) == (row.id, BOXTEL, "planned")
    assert [(n.period, n.note) for n in notes] == [("2026-H1", "gestart")]
    assert await outbox_rows(runtime) == 0


async def test_an_action_of_another_gemeente_is_not_found(runtime: Reporting) -> None:
    async with runtime.begin(gemeente(GESTEL)) as uow:
        theirs = await plan_actions.create_action(uow, CreatePlanAction(
            gemeente=GESTEL, action="Jongerenloket", owner="team Jeugd", status="planned",
            by="gestel-controller"))
    async with runtime.begin(gemeente(BOXTEL)) as uow:
        with pytest.raises(NotFound):  # Gestel's id under Boxtel's own path
            await plan_actions.update_action(uow, UpdatePlanAction(
                gemeente=BOXTEL, action_id=theirs.id, action="overgenomen", owner="x",
                status="done", by="boxtel-controller"))
        with pytest.raises(NotFound):
            await plan_actions.get_action(uow, ReadPlanAction(BOXTEL, theirs.id))
        with pytest.raises(Forbidden):  # under Gestel's path: not Boxtel's to read at all
            await plan_actions.get_action(uow, ReadPlanAction(GESTEL, theirs.id))
    async with runtime.transaction() as session:
        untouched = await session.get(PlanActionRow, theirs.id)
    assert untouched is not None and untouched.action == "Jongerenloket"


async def test_a_code_of_no_gemeente_is_not_found(runtime: Reporting) -> None:
    async with runtime.begin(gemeente("GM9999")) as uow:
        with pytest.raises(NotFound):
            await targets.set_target(uow, SetTarget(gemeente="GM9999", year=2026, places=1,
                                                    set_by="nobody"))


def registration(person: str, gemeente_code: str) -> Envelope:
    history = History("handlers")
    history.register(person, gemeente_code, target_group="bijstand", birth_year=1990,
                     on=date(2026, 2, 2))
    return history.envelopes[0]


async def test_an_event_is_folded_and_read_as_the_caller_may_see_it(runtime: Reporting) -> None:
    for n in range(3):
        async with runtime.begin() as uow:  # as the inbox opens it: no caller
            assert await apply_event(uow, registration(f"p{n}", BOXTEL), stream="intake",
                                     sequence=n + 1)
    async with runtime.begin() as uow:
        with pytest.raises(NoCaller):  # an event's unit of work reads no one's figures
            uow.figures.audience()
        assert await uow.projections.active_generation() == 1
    async with runtime.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(CandidateRow)) == 3
    query = ReadReport("registrations", None, H1)
    async with runtime.begin(gemeente(BOXTEL)) as uow:
        own = await read_report(uow, query, CONTEXT)
    assert (own["gemeenten"], own["suppressed"], own["rows"][0]["people"]) == ([BOXTEL], False, 3)
    async with runtime.begin(board(BOXTEL, GESTEL)) as uow:
        regional = await read_report(uow, query, CONTEXT)
    assert (regional["suppressed"], regional["rows"][0]["people"]) == (True, "<5")
    async with runtime.begin(gemeente(GESTEL)) as uow:
        with pytest.raises(Forbidden):  # another gemeente's figures
            await read_report(uow, ReadReport("registrations", BOXTEL, H1), CONTEXT)


async def test_an_event_the_rules_refuse_changes_nothing(runtime: Reporting) -> None:
    good = registration("p", BOXTEL)
    broken = Envelope(type=good.type, source=good.source, subject=good.subject,
                      gemeente=BOXTEL, data={**good.data, "registeredAt": "not a date"},
                      id="broken")
    with pytest.raises(InvalidEvent):
        async with runtime.begin() as uow:
            await apply_event(uow, broken, stream="intake", sequence=1)
    async with runtime.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(CandidateRow)) == 0
