"""Diagnose's use cases (commands from the consultant). They flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.diagnose.api.reference_lists import lists_for
from services.diagnose.api.schemas import (
    CloseDiagnosis,
    IssueAdvice,
    PlanInstrument,
    RecordWageValue,
    RecordZrm,
    UpdatePlan,
    UpdateProfile,
)
from services.diagnose.domain import rules
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store.models import (
    Advice,
    DiagnosisCase,
    Profile,
    WageValueMeasurement,
    WorkDevelopmentPlan,
    ZrmAssessment,
)
from services.diagnose.store.repository import CLOSED, OPEN, CaseFilter, CaseRepository
from shared.auth import OrgKind, Principal, Role
from shared.bus.outbox import add_event
from shared.events.catalogue import EventData
from shared.events.diagnose import (
    AdviceIssued,
    Constraint,
    DiagnosisClosed,
    DiagnosisStarted,
    ProfileUpdated,
    WageValueMeasured,
)
from shared.events.vocabulary import DiagnosisOutcome, Instrument
from shared.http.pagination import PageParams
from shared.http.reference import unknown_code_reason
from shared.problems import BadRequest, InvalidParam, NotFound, UnprocessableState

CONSULTANTS = (Role.CONSULTANT, Role.ADMIN)
READERS_AT_PROVIDER = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.ADMIN)
READERS_AT_GEMEENTE = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN)
T = TypeVar("T")


def require_reader(principal: Principal) -> None:
    """Consultants of the uitvoerder, and the gemeente's own staff (read only)."""
    if principal.kind is OrgKind.GEMEENTE:
        principal.require(*READERS_AT_GEMEENTE)
    else:
        principal.require(*READERS_AT_PROVIDER, kinds=(OrgKind.PROVIDER,))


async def read_case(session: AsyncSession, *, principal: Principal,
                    case_id: uuid.UUID) -> DiagnosisCase:
    """A case the caller may see, or 404."""
    require_reader(principal)
    case = await CaseRepository(session).visible(principal, case_id)
    if case is None:
        raise NotFound(f"no diagnosis {case_id} for this organisation")
    return case


async def list_cases(session: AsyncSession, *, principal: Principal, filters: CaseFilter,
                     params: PageParams) -> tuple[Sequence[DiagnosisCase], int]:
    """Cases the caller may see."""
    require_reader(principal)
    return await CaseRepository(session).page_visible(principal, filters, params)


async def _open_case_for_work(session: AsyncSession, principal: Principal,
                              case_id: uuid.UUID, *, closed_ok: bool = False) -> DiagnosisCase:
    principal.require(*CONSULTANTS, kinds=(OrgKind.PROVIDER,))
    case = await CaseRepository(session).visible_for_update(principal, case_id)
    if case is None:
        raise NotFound(f"no diagnosis {case_id} for this organisation")
    if case.status != OPEN and not (closed_ok and case.outcome != DiagnosisOutcome.WITHDRAWN):
        raise UnprocessableState("the diagnosis is closed")
    return case


def _checked(step: Callable[[], T], methods: Sequence[str] = ()) -> T:
    try:
        return step()
    except rules.RuleViolation as exc:
        reason = exc.reason
        if exc.code_list is not None:
            # Name the list and where to read it, not only "unknown".
            lists = {r.name: r for r in lists_for(methods)}
            reason = unknown_code_reason(lists[exc.code_list], exc.value)
        raise BadRequest(str(exc), invalid_params=[InvalidParam(exc.field, reason)]) from exc


def _after_referral(case: DiagnosisCase, field: str, day: date, migrated: bool) -> None:
    # Cases opened before the referral moment was kept fall back to when diagnose opened them.
    referred_on = rules.dutch_day(case.referred_at or case.opened_at)
    rules.check_not_before(field=field, day=day, step="referral", step_day=referred_on,
                           migrated=migrated)


def _publish(session: AsyncSession, case: DiagnosisCase, data: EventData, oin: str) -> None:
    add_event(session, data, gemeente=case.gemeente, subject_id=str(case.candidate_id), oin=oin)


def _ref(case: DiagnosisCase) -> dict[str, object]:
    return {"diagnosis_id": case.id, "candidate_id": case.candidate_id,
            "gemeente": case.gemeente, "provider": case.provider}


async def plan_instrument(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                          command: PlanInstrument, oin: str) -> DiagnosisCase:
    """Start (or re-plan) the instrument → diagnose.diagnosis-started."""
    case = await _open_case_for_work(session, principal, case_id)
    end = _checked(lambda: rules.planned_end(command.instrument, command.started_on,
                                             command.planned_end))
    _checked(lambda: _after_referral(case, "startedOn", command.started_on, command.migrated))
    case.instrument, case.started_on, case.planned_end = (
        command.instrument.value, command.started_on, end)
    case.instrument_migrated = command.migrated
    _publish(session, case, DiagnosisStarted(
        **_ref(case), instrument=command.instrument, started_on=command.started_on,
        planned_end=end), oin)
    await session.flush()
    return case


async def record_zrm(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                     command: RecordZrm, today: date) -> ZrmAssessment:
    """Record a ZRM assessment (development shows in the case's read model)."""
    case = await _open_case_for_work(session, principal, case_id)
    _checked(lambda: rules.check_zrm_scores(command.scores))
    _checked(lambda: rules.check_zrm_complete(command.scores, partial=command.partial,
                                              partial_reason=command.partial_reason))
    if command.assessed_on > today:
        raise BadRequest("an assessment cannot be dated in the future",
                         invalid_params=[InvalidParam("assessedOn", "in the future")])
    _checked(lambda: _after_referral(case, "assessedOn", command.assessed_on, command.migrated))
    assessment = ZrmAssessment(id=uuid.uuid4(), case_id=case.id,
                               assessed_on=command.assessed_on, scores=dict(command.scores),
                               partial=command.partial, partial_reason=command.partial_reason,
                               migrated=command.migrated, recorded_at=datetime.now(UTC))
    case.zrm_assessments.append(assessment)
    await session.flush()
    return assessment


async def update_profile(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                         command: UpdateProfile, oin: str) -> Profile:
    """Replace the work profile → diagnose.profile-updated."""
    case = await _open_case_for_work(session, principal, case_id)
    _checked(lambda: rules.check_constraints((c.code, c.value) for c in command.constraints))
    now = datetime.now(UTC)
    hours = command.hours_per_week.quantize(Decimal("0.1"))  # as stored: one decimal
    constraints = [{"code": c.code, "value": None if c.value is None else str(c.value)}
                   for c in command.constraints]
    values = {"constraints": constraints, "interests": [i.value for i in command.interests],
              "skills": command.skills, "certificates": command.certificates,
              "hours_per_week": hours, "home_gemeente": command.home_gemeente,
              "travel_radius_km": command.travel_radius_km, "updated_at": now}
    if case.profile is None:
        case.profile = Profile(case_id=case.id, **values)
    else:
        for name, value in values.items():
            setattr(case.profile, name, value)
    _publish(session, case, ProfileUpdated(
        **_ref(case),
        constraints=tuple(Constraint(code=c.code, value=c.value) for c in command.constraints),
        interests=tuple(command.interests), skills=tuple(command.skills),
        certificates=tuple(command.certificates), hours_per_week=hours,
        home_gemeente=command.home_gemeente, travel_radius_km=command.travel_radius_km,
        updated_at=now), oin)
    await session.flush()
    return case.profile


async def record_wage_value(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                            command: RecordWageValue, settings: DiagnoseSettings,
                            today: date) -> WageValueMeasurement:
    """Record a loonwaardemeting → diagnose.wage-value-measured.

    Also on a closed case: LKS follows the advice, and its wage value must be re-assessed long
    after the diagnosis ended (only a case the gemeente withdrew takes no more measurements).
    """
    case = await _open_case_for_work(session, principal, case_id, closed_ok=True)
    _checked(lambda: rules.check_wage_value(
        percentage=command.wage_value_pct, method=command.method,
        methods=settings.wage_value_methods, measured_at=command.measured_at,
        valid_until=command.valid_until, today=today), settings.wage_value_methods)
    _checked(lambda: _after_referral(case, "measuredAt", command.measured_at, command.migrated))
    valid_until = command.valid_until or rules.add_months(command.measured_at,
                                                          settings.reassessment_months)
    measurement = WageValueMeasurement(
        id=uuid.uuid4(), case_id=case.id, method=command.method,
        wage_value_pct=command.wage_value_pct, measured_at=command.measured_at,
        workplace=command.workplace, job_title=command.job_title, valid_until=valid_until,
        migrated=command.migrated, recorded_at=datetime.now(UTC))
    case.wage_values.append(measurement)
    for task in await CaseRepository(session).tasks_of(case.id):
        task.done_at = task.done_at or datetime.now(UTC)  # a new measurement answers them
    _publish(session, case, WageValueMeasured(
        **_ref(case), measurement_id=measurement.id, method=command.method,
        wage_value_pct=command.wage_value_pct, measured_at=command.measured_at,
        valid_until=valid_until), settings.oin)
    await session.flush()
    return measurement


async def update_plan(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                      command: UpdatePlan) -> WorkDevelopmentPlan:
    """Replace the werk-ontwikkel-plan (internal to the uitvoerder: no event)."""
    case = await _open_case_for_work(session, principal, case_id)
    values = {"goals": command.goals,
              "steps": [s.model_dump(mode="json", by_alias=True) for s in command.steps],
              "workplaces": [w.model_dump(mode="json", by_alias=True)
                             for w in command.workplaces],
              "updated_at": datetime.now(UTC)}
    if case.plan is None:
        case.plan = WorkDevelopmentPlan(case_id=case.id, **values)
    else:
        for name, value in values.items():
            setattr(case.plan, name, value)
    await session.flush()
    return case.plan


async def issue_advice(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                       command: IssueAdvice, oin: str) -> Advice:
    """Advise the gemeente → diagnose.advice-issued."""
    case = await _open_case_for_work(session, principal, case_id)
    if command.sheltered_work_indicated and command.uwv_advice_requested_on is None:
        raise BadRequest("beschut werk needs UWV's advice: give the date it was requested",
                         invalid_params=[InvalidParam("uwvAdviceRequestedOn",
                                                      "required when shelteredWorkIndicated")])
    now = datetime.now(UTC)
    advice = Advice(
        id=uuid.uuid4(), case_id=case.id, programme=command.programme.value,
        lks_indicated=command.lks_indicated,
        sheltered_work_indicated=command.sheltered_work_indicated,
        uwv_advice_requested_on=command.uwv_advice_requested_on,
        development_potential=command.development_potential.value, summary=command.summary,
        issued_at=now)
    case.advices.append(advice)
    _publish(session, case, AdviceIssued(
        **_ref(case), advice_id=advice.id, programme=command.programme,
        lks_indicated=command.lks_indicated,
        sheltered_work_indicated=command.sheltered_work_indicated,
        uwv_advice_requested_on=command.uwv_advice_requested_on,
        development_potential=command.development_potential, issued_at=now), oin)
    await session.flush()
    return advice


async def close_case(session: AsyncSession, *, principal: Principal, case_id: uuid.UUID,
                     command: CloseDiagnosis, oin: str) -> DiagnosisCase:
    """Close the case with its outcome → diagnose.diagnosis-closed."""
    case = await _open_case_for_work(session, principal, case_id)
    mark_closed(session, case, command.outcome.value, oin)
    await session.flush()
    return case


def mark_closed(session: AsyncSession, case: DiagnosisCase, outcome: str, oin: str) -> None:
    """Close a case and announce it (also used when intake closes the candidate)."""
    now = datetime.now(UTC)
    case.status, case.outcome, case.closed_at = CLOSED, outcome, now
    _publish(session, case, DiagnosisClosed(
        **_ref(case), instrument=Instrument(case.instrument) if case.instrument else None,
        outcome=outcome, closed_at=now), oin)
