"""What the consultant learns of the person: ZRM assessments and the work profile."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from services.diagnose.commands import RecordZrm, UpdateProfile
from services.diagnose.domain import rules
from services.diagnose.handlers.case_access import case_ref, case_to_work
from services.diagnose.handlers.input_rules import check_after_referral, input_rules
from services.diagnose.store.models import Profile, ZrmAssessment
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.events.diagnose import Constraint, ProfileUpdated
from shared.problems import BadRequest, InvalidParam


async def record_zrm(uow: DiagnoseUnitOfWork, command: RecordZrm, *,
                     today: date) -> ZrmAssessment:
    """Record a ZRM assessment (development shows in the case's read model; no event)."""
    case = await case_to_work(uow, command.diagnosis_id)
    with input_rules():
        rules.check_zrm_scores(command.scores)
        rules.check_zrm_complete(command.scores, partial=command.partial,
                                 partial_reason=command.partial_reason)
    if command.assessed_on > today:
        raise BadRequest("an assessment cannot be dated in the future",
                         invalid_params=[InvalidParam("assessedOn", "in the future")])
    with input_rules():
        check_after_referral(case, "assessedOn", command.assessed_on, command.migrated)
    assessment = ZrmAssessment(id=uuid.uuid4(), case_id=case.id,
                               assessed_on=command.assessed_on, scores=dict(command.scores),
                               partial=command.partial, partial_reason=command.partial_reason,
                               migrated=command.migrated, recorded_at=datetime.now(UTC))
    case.zrm_assessments.append(assessment)
    await uow.flush()
    return assessment


async def update_profile(uow: DiagnoseUnitOfWork, command: UpdateProfile) -> Profile:
    """Replace the work profile → diagnose.profile-updated."""
    case = await case_to_work(uow, command.diagnosis_id)
    with input_rules():
        rules.check_constraints((c.code, c.value) for c in command.constraints)
    now = datetime.now(UTC)
    hours = command.hours_per_week.quantize(Decimal("0.1"))  # as stored: one decimal
    constraints = [{"code": c.code, "value": None if c.value is None else str(c.value)}
                   for c in command.constraints]
    values = {"constraints": constraints, "interests": [i.value for i in command.interests],
              "skills": list(command.skills), "certificates": list(command.certificates),
              "hours_per_week": hours, "home_gemeente": command.home_gemeente,
              "travel_radius_km": command.travel_radius_km, "updated_at": now}
    if case.profile is None:
        case.profile = Profile(case_id=case.id, **values)
    else:
        for name, value in values.items():
            setattr(case.profile, name, value)
    uow.outbox.add(ProfileUpdated(
        **case_ref(case),
        constraints=tuple(Constraint(code=c.code, value=c.value) for c in command.constraints),
        interests=command.interests, skills=command.skills,
        certificates=command.certificates, hours_per_week=hours,
        home_gemeente=command.home_gemeente, travel_radius_km=command.travel_radius_km,
        updated_at=now))
    await uow.flush()
    return case.profile
