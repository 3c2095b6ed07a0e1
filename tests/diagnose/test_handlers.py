"""Diagnose's handlers without HTTP: a unit of work on the real test database, a Principal, a
command. What a handler stores, what it puts in the outbox, and what it refuses."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.diagnose import commands
from services.diagnose.handlers import advice, cases, measurements, profile
from services.diagnose.main import make_runtime
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store.models import DiagnosisCase, ReassessmentTask, ZrmAssessment
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.dutch_time import dutch_today
from shared.events.envelope import Envelope, source_urn
from shared.events.finance import ReassessmentDue
from shared.events.intake import CandidateReferred, Programme, ReferralQuestion
from shared.events.vocabulary import DevelopmentPotential, DiagnosisOutcome, Instrument
from shared.http.pagination import PageParams
from shared.problems import BadRequest, Forbidden, NotFound, UnprocessableState
from shared.runtime import Runtime
from shared.settings import DEV_OIN
from shared.store import OutboxMessage
from tests.diagnose.conftest import BOXTEL, VUGHT, WSD
from tests.support.databases import DatabaseFactory

DiagnoseRuntime = Runtime[DiagnoseSettings, DiagnoseUnitOfWork]
TODAY = dutch_today()


def staff(org: str, kind: OrgKind, role: Role, *gemeenten: str) -> Principal:
    """A caller as the token would make it."""
    return Principal(subject=f"{org}-{role.value}", org=org, kind=kind,
                     gemeenten=frozenset(gemeenten), roles=frozenset({role}))


CONSULTANT = staff(WSD, OrgKind.PROVIDER, Role.CONSULTANT, BOXTEL)
ACCOUNT_MANAGER = staff(WSD, OrgKind.PROVIDER, Role.ACCOUNT_MANAGER, BOXTEL)
CONSULTANT_FOR_VUGHT = staff(WSD, OrgKind.PROVIDER, Role.CONSULTANT, VUGHT)
CASEWORKER = staff(BOXTEL, OrgKind.GEMEENTE, Role.CASEWORKER, BOXTEL)
VUGHT_CASEWORKER = staff(VUGHT, OrgKind.GEMEENTE, Role.CASEWORKER, VUGHT)


@pytest.fixture
async def runtime(diagnose_databases: DatabaseFactory) -> AsyncIterator[DiagnoseRuntime]:
    """Diagnose's runtime on a fresh database; never started: no bus, no relay."""
    runtime = make_runtime(DiagnoseSettings(database_url=await diagnose_databases.fresh(),
                                            environment="test"))
    try:
        yield runtime
    finally:
        await runtime.engine.dispose()


async def referred(runtime: DiagnoseRuntime, candidate_id: uuid.UUID | None = None,
                   ) -> DiagnosisCase:
    """A case opened the way intake's referral opens one: by the event's unit of work."""
    event = CandidateReferred(
        candidate_id=candidate_id or uuid.uuid4(), referral_id=uuid.uuid4(), gemeente=BOXTEL,
        provider=WSD, question=ReferralQuestion.MWD, target_group="bijstand", birth_year=1987,
        referred_at=datetime.now(UTC) - timedelta(days=1))
    async with runtime.begin() as uow:
        await cases.open_case_for_referral(uow, event)
        case = await uow.cases.by_referral_unscoped(event.referral_id)
    assert case is not None
    return case


async def outbox(runtime: DiagnoseRuntime) -> list[Envelope]:
    """Every event written so far, in order."""
    async with runtime.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.seq))
        return [Envelope.from_json(row.payload) for row in rows]


def plan_mwd(case: DiagnosisCase) -> commands.PlanInstrument:
    return commands.PlanInstrument(diagnosis_id=case.id, instrument=Instrument.MWD,
                                   started_on=TODAY)


async def test_planning_an_instrument_stores_it_and_announces_it(
    runtime: DiagnoseRuntime,
) -> None:
    case = await referred(runtime)
    async with runtime.begin(CONSULTANT) as uow:
        planned = await cases.plan_instrument(uow, plan_mwd(case))
    assert planned.tasks == []

    async with runtime.begin(CASEWORKER) as uow:  # the gemeente reads its resident's case
        stored = (await cases.read_case(uow, case.id)).case
    assert (stored.instrument, stored.started_on) == (Instrument.MWD.value, TODAY)
    assert stored.planned_end is not None and stored.planned_end > TODAY
    (started,) = await outbox(runtime)
    assert started.type == "nl.participatiewet.diagnose.diagnosis-started"
    assert (started.subject, started.gemeente) == (str(case.candidate_id), BOXTEL)
    assert started.source == source_urn(DEV_OIN, "diagnose")
    assert started.data["diagnosisId"] == str(case.id)


async def test_a_reader_may_not_work_a_case(runtime: DiagnoseRuntime) -> None:
    case = await referred(runtime)
    for reader in (CASEWORKER, ACCOUNT_MANAGER):
        with pytest.raises(Forbidden):
            async with runtime.begin(reader) as uow:
                await cases.plan_instrument(uow, plan_mwd(case))
    async with runtime.begin(ACCOUNT_MANAGER) as uow:  # reading is allowed
        assert (await cases.read_case(uow, case.id)).case.id == case.id
    assert await outbox(runtime) == []


async def test_another_tenants_case_is_not_found(runtime: DiagnoseRuntime) -> None:
    case = await referred(runtime)
    with pytest.raises(NotFound):
        async with runtime.begin(CONSULTANT_FOR_VUGHT) as uow:
            await cases.plan_instrument(uow, plan_mwd(case))
    for outsider in (CONSULTANT_FOR_VUGHT, VUGHT_CASEWORKER):
        with pytest.raises(NotFound):
            async with runtime.begin(outsider) as uow:
                await cases.read_case(uow, case.id)
        async with runtime.begin(outsider) as uow:
            items, total = await cases.list_cases(uow, commands.ListDiagnoses(),
                                                  PageParams(page=1, page_size=20), today=TODAY)
        assert (list(items), total) == ([], 0)
    assert await outbox(runtime) == []


async def test_a_broken_rule_is_a_bad_request_and_writes_nothing(
    runtime: DiagnoseRuntime,
) -> None:
    case = await referred(runtime)
    too_long = commands.PlanInstrument(diagnosis_id=case.id, instrument=Instrument.MWD,
                                       started_on=TODAY, planned_end=TODAY + timedelta(days=400))
    with pytest.raises(BadRequest) as refused:
        async with runtime.begin(CONSULTANT) as uow:
            await cases.plan_instrument(uow, too_long)
    assert [(p.name, p.reason) for p in refused.value.invalid_params] == [
        ("plannedEnd", "mijn-werk-dichtbij runs at most 6 months")]
    assert refused.value.detail == "plannedEnd: mijn-werk-dichtbij runs at most 6 months"

    unknown_method = commands.RecordWageValue(
        diagnosis_id=case.id, method="gevoel", wage_value_pct=50, measured_at=TODAY,
        workplace="Kringloop", job_title="medewerker")
    with pytest.raises(BadRequest) as refused:
        async with runtime.begin(CONSULTANT) as uow:
            await measurements.record_wage_value(uow, unknown_method,
                                                 settings=runtime.settings, today=TODAY)
    (param,) = refused.value.invalid_params
    assert param.name == "method"
    assert "list 'wage-value-methods'" in param.reason and "/v1/reference/" in param.reason
    async with runtime.begin(CONSULTANT) as uow:
        stored = (await cases.read_case(uow, case.id)).case
    assert (stored.instrument, stored.wage_values) == (None, [])
    assert await outbox(runtime) == []


async def test_a_closed_case_takes_no_more_work(runtime: DiagnoseRuntime) -> None:
    case = await referred(runtime)
    async with runtime.begin(CONSULTANT) as uow:
        closed = await cases.close_case(uow, commands.CloseDiagnosis(
            diagnosis_id=case.id, outcome=DiagnosisOutcome.ADVICE_GIVEN))
    assert (closed.case.status, closed.case.outcome) == ("closed", "advice-given")
    with pytest.raises(UnprocessableState):
        async with runtime.begin(CONSULTANT) as uow:
            await advice.issue_advice(uow, commands.IssueAdvice(
                diagnosis_id=case.id, programme=Programme.ONTWIKKEL, lks_indicated=True,
                sheltered_work_indicated=False,
                development_potential=DevelopmentPotential.CLEAR, summary="Groeit."))
    types = [e.event_name for e in await outbox(runtime)]
    assert types == ["diagnose.diagnosis-closed"]


async def test_zrm_and_profile_are_stored_on_the_case(runtime: DiagnoseRuntime) -> None:
    case = await referred(runtime)
    scores = {"financien": 2}
    async with runtime.begin(CONSULTANT) as uow:
        await profile.record_zrm(uow, commands.RecordZrm(
            diagnosis_id=case.id, assessed_on=TODAY, scores=scores, partial=True,
            partial_reason="eerste gesprek"), today=TODAY)
        await profile.update_profile(uow, commands.UpdateProfile(
            diagnosis_id=case.id, hours_per_week=Decimal(24), home_gemeente=BOXTEL,
            travel_radius_km=15,
            constraints=(commands.ConstraintItem("lifting-max-kg", Decimal(10)),)))
    async with runtime.transaction() as session:
        (assessment,) = (await session.scalars(select(ZrmAssessment))).all()
    assert (assessment.scores, assessment.partial) == (scores, True)
    (updated,) = await outbox(runtime)
    assert updated.event_name == "diagnose.profile-updated"
    assert (updated.subject, updated.gemeente) == (str(case.candidate_id), BOXTEL)
    assert updated.data["constraints"] == [{"code": "lifting-max-kg", "value": "10"}]


async def test_events_open_and_withdraw_cases_without_a_caller(
    runtime: DiagnoseRuntime,
) -> None:
    candidate_id = uuid.uuid4()
    case = await referred(runtime, candidate_id)
    due = ReassessmentDue(candidate_id=candidate_id, gemeente=BOXTEL, provider=WSD,
                          measurement_id=uuid.uuid4(), valid_until=TODAY + timedelta(days=60),
                          due_date=TODAY + timedelta(days=30))
    async with runtime.begin() as uow:
        assert not uow.has_caller
        await measurements.add_reassessment_task(uow, due)
        await cases.withdraw_open_cases(uow, candidate_id)

    async with runtime.begin(CONSULTANT) as uow:
        found = await cases.read_case(uow, case.id)
    assert (found.case.status, found.case.outcome) == ("closed", "withdrawn")
    assert [t.due_date for t in found.tasks] == [due.due_date]
    (closed,) = await outbox(runtime)
    assert closed.event_name == "diagnose.diagnosis-closed"
    assert (closed.subject, closed.gemeente) == (str(candidate_id), BOXTEL)
    async with runtime.transaction() as session:
        assert len((await session.scalars(select(ReassessmentTask))).all()) == 1
