"""The loonwaardemeting, and the re-assessments finance asks for."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.diagnose.commands import RecordWageValue
from services.diagnose.domain import rules
from services.diagnose.handlers.case_access import case_ref, case_to_work
from services.diagnose.handlers.input_rules import check_after_referral, input_rules
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store.models import ReassessmentTask, WageValueMeasurement
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.events.diagnose import WageValueMeasured
from shared.events.finance import ReassessmentDue
from shared.logging import get_logger

log = get_logger(__name__)


async def record_wage_value(uow: DiagnoseUnitOfWork, command: RecordWageValue, *,
                            settings: DiagnoseSettings, today: date) -> WageValueMeasurement:
    """Record a loonwaardemeting → diagnose.wage-value-measured.

    Also on a closed case: LKS follows the advice, and its wage value must be re-assessed long
    after the diagnosis ended (only a case the gemeente withdrew takes no more measurements).
    """
    case = await case_to_work(uow, command.diagnosis_id, closed_ok=True)
    methods = settings.wage_value_methods
    with input_rules(methods):
        rules.check_wage_value(
            percentage=command.wage_value_pct, method=command.method, methods=methods,
            measured_at=command.measured_at, valid_until=command.valid_until, today=today)
    with input_rules():
        check_after_referral(case, "measuredAt", command.measured_at, command.migrated)
    valid_until = command.valid_until or rules.add_months(command.measured_at,
                                                          settings.reassessment_months)
    measurement = WageValueMeasurement(
        id=uuid.uuid4(), case_id=case.id, method=command.method,
        wage_value_pct=command.wage_value_pct, measured_at=command.measured_at,
        workplace=command.workplace, job_title=command.job_title, valid_until=valid_until,
        migrated=command.migrated, recorded_at=datetime.now(UTC))
    case.wage_values.append(measurement)
    for task in await uow.tasks.of_case(case.id):
        task.done_at = task.done_at or datetime.now(UTC)  # a new measurement answers them
    uow.outbox.add(WageValueMeasured(
        **case_ref(case), measurement_id=measurement.id, method=command.method,
        wage_value_pct=command.wage_value_pct, measured_at=command.measured_at,
        valid_until=valid_until))
    await uow.flush()
    return measurement


async def add_reassessment_task(uow: DiagnoseUnitOfWork, event: ReassessmentDue) -> None:
    """Finance needs a new wage value: a task on the provider's worklist (an event: no caller,
    so the case is found by the event's own ids)."""
    case = await uow.cases.latest_for_candidate_unscoped(event.candidate_id, event.gemeente,
                                                         event.provider)
    if case is None:
        log.info("diagnose.reassessment_without_case", candidate_id=str(event.candidate_id))
        return
    uow.tasks.add(ReassessmentTask(
        id=uuid.uuid4(), case_id=case.id, measurement_id=event.measurement_id,
        due_date=event.due_date, created_at=datetime.now(UTC)))
    await uow.flush()
