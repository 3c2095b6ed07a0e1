"""The case: opened by a referral, planned, read, closed by the consultant or withdrawn."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from services.diagnose.commands import CloseDiagnosis, ListDiagnoses, PlanInstrument
from services.diagnose.domain import rules
from services.diagnose.domain.rules import CLOSED, OPEN
from services.diagnose.handlers.case_access import (
    case_ref,
    case_to_work,
    require_reader,
    visible_case,
)
from services.diagnose.handlers.input_rules import check_after_referral, input_rules
from services.diagnose.people import People, Person
from services.diagnose.store.models import DiagnosisCase, ReassessmentTask
from services.diagnose.store.repository import CaseFilter
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.events.diagnose import DiagnosisClosed, DiagnosisStarted
from shared.events.intake import CandidateReferred
from shared.events.vocabulary import DiagnosisOutcome, Instrument
from shared.http.pagination import MAX_PAGE_SIZE, PageParams


@dataclass(frozen=True)
class CaseWithTasks:
    """A case and its re-assessment tasks: what the whole-case view shows."""

    case: DiagnosisCase
    tasks: Sequence[ReassessmentTask]


@dataclass(frozen=True)
class Worklist:
    """What needs the consultant's attention."""

    overdue: Sequence[DiagnosisCase]
    open_cases: int
    reassessments: Sequence[ReassessmentTask]


async def read_case(uow: DiagnoseUnitOfWork, case_id: uuid.UUID) -> CaseWithTasks:
    """The whole case, if the caller may see it (404 otherwise)."""
    case = await visible_case(uow, case_id)
    return CaseWithTasks(case, await uow.tasks.of_case(case.id))


async def list_cases(uow: DiagnoseUnitOfWork, query: ListDiagnoses, params: PageParams, *,
                     today: date) -> tuple[Sequence[DiagnosisCase], int]:
    """One page of the cases the caller may see, soonest due first."""
    require_reader(uow)
    filters = CaseFilter(status=query.status,
                         instrument=query.instrument.value if query.instrument else None,
                         overdue_on=today if query.overdue else None,
                         candidate_id=query.candidate_id)
    return await uow.cases.page_visible(filters, params)


async def worklist(uow: DiagnoseUnitOfWork, *, today: date) -> Worklist:
    """Open cases past their planned end (a page's worth), the open count, tasks to do."""
    require_reader(uow)
    overdue, _ = await uow.cases.page_visible(CaseFilter(overdue_on=today),
                                              PageParams(page=1, page_size=MAX_PAGE_SIZE))
    _, open_cases = await uow.cases.page_visible(CaseFilter(status=OPEN),
                                                 PageParams(page=1, page_size=1))
    return Worklist(overdue, open_cases, await uow.tasks.open_visible())


async def person_of(uow: DiagnoseUnitOfWork, case_id: uuid.UUID, people: People) -> Person:
    """Who the person of a visible case is, as intake shows it to the caller."""
    case = await visible_case(uow, case_id)
    return await people.person(case.candidate_id)


async def plan_instrument(uow: DiagnoseUnitOfWork, command: PlanInstrument) -> CaseWithTasks:
    """Start (or re-plan) the instrument → diagnose.diagnosis-started."""
    case = await case_to_work(uow, command.diagnosis_id)
    with input_rules():
        end = rules.planned_end(command.instrument, command.started_on, command.planned_end)
        check_after_referral(case, "startedOn", command.started_on, command.migrated)
    case.instrument, case.started_on, case.planned_end = (
        command.instrument.value, command.started_on, end)
    case.instrument_migrated = command.migrated
    uow.outbox.add(DiagnosisStarted(
        **case_ref(case), instrument=command.instrument, started_on=command.started_on,
        planned_end=end))
    await uow.flush()
    return CaseWithTasks(case, await uow.tasks.of_case(case.id))


async def close_case(uow: DiagnoseUnitOfWork, command: CloseDiagnosis) -> CaseWithTasks:
    """Close the case with its outcome → diagnose.diagnosis-closed."""
    case = await case_to_work(uow, command.diagnosis_id)
    mark_closed(uow, case, command.outcome)
    await uow.flush()
    return CaseWithTasks(case, await uow.tasks.of_case(case.id))


def mark_closed(uow: DiagnoseUnitOfWork, case: DiagnosisCase, outcome: DiagnosisOutcome) -> None:
    """Close a case and announce it (also when the gemeente withdraws the referral)."""
    now = datetime.now(UTC)
    case.status, case.outcome, case.closed_at = CLOSED, outcome.value, now
    uow.outbox.add(DiagnosisClosed(
        **case_ref(case), instrument=Instrument(case.instrument) if case.instrument else None,
        outcome=outcome, closed_at=now))


# What intake's events ask (no caller: the reads are unscoped, by the event's own ids).

async def open_case_for_referral(uow: DiagnoseUnitOfWork, event: CandidateReferred) -> None:
    """A referral opens a case (one per referral; a redelivery opens nothing)."""
    if await uow.cases.by_referral_unscoped(event.referral_id) is not None:
        return
    uow.cases.add(DiagnosisCase(
        id=uuid.uuid4(), referral_id=event.referral_id, candidate_id=event.candidate_id,
        gemeente=event.gemeente, provider=event.provider, question=event.question.value,
        target_group=event.target_group, birth_year=event.birth_year, status=OPEN,
        opened_at=datetime.now(UTC), referred_at=event.referred_at, zrm_assessments=[],
        wage_values=[], advices=[]))
    await uow.flush()


async def withdraw_open_cases(uow: DiagnoseUnitOfWork, candidate_id: uuid.UUID) -> None:
    """The gemeente ended the referrals: the candidate's open cases end as withdrawn."""
    for case in await uow.cases.open_for_candidate_unscoped(candidate_id):
        mark_closed(uow, case, DiagnosisOutcome.WITHDRAWN)
    await uow.flush()
