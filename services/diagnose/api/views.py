"""Read models: from stored rows to the API's case views."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.diagnose.api.schemas import (
    AdviceOut,
    DiagnosisOut,
    DiagnosisSummary,
    PlanOut,
    ProfileOut,
    ReassessmentTaskOut,
    WageValueOut,
    ZrmAssessmentOut,
    ZrmDevelopmentOut,
)
from services.diagnose.domain import rules
from services.diagnose.domain.rules import OPEN
from services.diagnose.store.models import DiagnosisCase, ReassessmentTask
from shared.dutch_time import dutch_day


def summary_of(case: DiagnosisCase, today: date) -> DiagnosisSummary:
    """The worklist line of a case."""
    return DiagnosisSummary.model_validate(_summary_fields(case, today))


def _summary_fields(case: DiagnosisCase, today: date) -> dict[str, object]:
    return {
        "id": case.id, "candidate_id": case.candidate_id, "gemeente": case.gemeente,
        "provider": case.provider, "question": case.question, "status": case.status,
        "instrument": case.instrument, "started_on": case.started_on,
        "planned_end": case.planned_end, "outcome": case.outcome, "opened_at": case.opened_at,
        "overdue": rules.is_overdue(case.planned_end, today, open_case=case.status == OPEN),
    }


def task_of(task: ReassessmentTask) -> ReassessmentTaskOut:
    """A re-assessment task."""
    return ReassessmentTaskOut(id=task.id, diagnosis_id=task.case_id,
                               measurement_id=task.measurement_id, due_date=task.due_date,
                               done=task.done_at is not None)


def case_view(case: DiagnosisCase, tasks: Sequence[ReassessmentTask], today: date) -> DiagnosisOut:
    """The whole case, with the ZRM development between the last two assessments."""
    development = rules.zrm_development([(a.assessed_on, a.scores) for a in case.zrm_assessments])
    return DiagnosisOut.model_validate({
        **_summary_fields(case, today),
        "referral_id": case.referral_id,
        "closed_at": case.closed_at,
        "referred_on": dutch_day(case.referred_at or case.opened_at),
        "instrument_migrated": case.instrument_migrated,
        "zrm_assessments": [ZrmAssessmentOut.model_validate(a, from_attributes=True)
                            for a in case.zrm_assessments],
        "zrm_development": ZrmDevelopmentOut(from_date=development.from_date,
                                             to_date=development.to_date,
                                             changes=development.changes)
        if development else None,
        "profile": ProfileOut.model_validate(case.profile, from_attributes=True)
        if case.profile else None,
        "wage_values": [WageValueOut.model_validate(w, from_attributes=True)
                        for w in case.wage_values],
        "plan": PlanOut.model_validate(case.plan, from_attributes=True) if case.plan else None,
        "advices": [AdviceOut.model_validate(a, from_attributes=True) for a in case.advices],
        "reassessment_tasks": [task_of(t) for t in tasks],
    })
