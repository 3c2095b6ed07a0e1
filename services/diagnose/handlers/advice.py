"""What the uitvoerder proposes: the werk-ontwikkel-plan and the advice to the gemeente."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from services.diagnose.commands import IssueAdvice, PlanStep, PlanWorkplace, UpdatePlan
from services.diagnose.handlers.case_access import case_ref, case_to_work
from services.diagnose.store.models import Advice, WorkDevelopmentPlan
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.events.diagnose import AdviceIssued
from shared.problems import BadRequest, InvalidParam


def _stored_step(step: PlanStep) -> dict[str, Any]:
    # Stored as the API spells it (camelCase, ISO day): the plan is read back as it was sent.
    return {"description": step.description,
            "dueOn": step.due_on.isoformat() if step.due_on else None}


def _stored_workplace(workplace: PlanWorkplace) -> dict[str, Any]:
    return {"workplace": workplace.workplace, "purpose": workplace.purpose}


async def update_plan(uow: DiagnoseUnitOfWork, command: UpdatePlan) -> WorkDevelopmentPlan:
    """Replace the werk-ontwikkel-plan (internal to the uitvoerder: no event)."""
    case = await case_to_work(uow, command.diagnosis_id)
    values = {"goals": list(command.goals),
              "steps": [_stored_step(s) for s in command.steps],
              "workplaces": [_stored_workplace(w) for w in command.workplaces],
              "updated_at": datetime.now(UTC)}
    if case.plan is None:
        case.plan = WorkDevelopmentPlan(case_id=case.id, **values)
    else:
        for name, value in values.items():
            setattr(case.plan, name, value)
    await uow.flush()
    return case.plan


async def issue_advice(uow: DiagnoseUnitOfWork, command: IssueAdvice) -> Advice:
    """Advise the gemeente → diagnose.advice-issued."""
    case = await case_to_work(uow, command.diagnosis_id)
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
    uow.outbox.add(AdviceIssued(
        **case_ref(case), advice_id=advice.id, programme=command.programme,
        lks_indicated=command.lks_indicated,
        sheltered_work_indicated=command.sheltered_work_indicated,
        uwv_advice_requested_on=command.uwv_advice_requested_on,
        development_potential=command.development_potential, issued_at=now))
    await uow.flush()
    return advice
