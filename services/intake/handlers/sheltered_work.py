"""Use cases of beschut-werk indications: record the college's decision, list them.

Each takes the unit of work and a plain command; it flushes, never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from services.intake.commands import RecordShelteredWorkIndication
from services.intake.domain import candidate as rules
from services.intake.domain.candidate import Status
from services.intake.domain.sheltered_work import check_indication
from services.intake.handlers.access import GEMEENTE_WRITERS, log_access
from services.intake.store.models import ShelteredWorkIndication
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import OrgKind
from shared.events.intake import ShelteredWorkIndicationDecided
from shared.problems import BadRequest, InvalidParam, NotFound, domain_rules

READ_ACTION = "read-sheltered-work-indications"


async def record_sheltered_work_indication(
    uow: IntakeUnitOfWork, command: RecordShelteredWorkIndication, *, today: date,
) -> ShelteredWorkIndication:
    """Record the indication → intake.sheltered-work-indication-decided, in one transaction.

    Only the candidate's own gemeente decides (its klantmanager or admin); any other gemeente
    gets 404, as for every other decision on a resident it does not have.
    """
    principal = uow.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await uow.candidates.own_for_update(command.candidate_id)
    if candidate is None:
        raise NotFound(f"no candidate {command.candidate_id} in gemeente {principal.org}")
    violations = check_indication(
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome,
        decision=command.decision, decided_on=command.decided_on,
        valid_until=command.valid_until,
        deviates_from_uwv_advice=command.deviates_from_uwv_advice, today=today)
    if violations:
        raise BadRequest("; ".join(v.reason for v in violations), invalid_params=[
            InvalidParam(name, v.reason) for v in violations for name in v.fields])
    with domain_rules(rules.TransitionError):  # not for a closed candidate
        rules.check_closable(Status(candidate.status))
    now = datetime.now(UTC)
    indication = uow.indications.add(ShelteredWorkIndication(
        id=uuid.uuid4(), candidate_id=candidate.id, gemeente=candidate.gemeente,
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome.value,
        decision=command.decision.value, decided_on=command.decided_on,
        valid_until=command.valid_until,
        deviates_from_uwv_advice=command.deviates_from_uwv_advice,
        decided_by=principal.subject, decided_at=now))
    candidate.updated_at = now
    uow.outbox.add(ShelteredWorkIndicationDecided(
        indication_id=indication.id, candidate_id=candidate.id, gemeente=candidate.gemeente,
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome,
        decision=command.decision, decided_on=command.decided_on,
        valid_until=command.valid_until, decided_at=now,
    ))
    await uow.flush()
    return indication


async def list_sheltered_work_indications(
    uow: IntakeUnitOfWork, candidate_id: uuid.UUID,
) -> Sequence[ShelteredWorkIndication]:
    """The candidate's indications, for whoever may read the candidate; the read is logged.

    The gemeente reads its own residents'; an uitvoerder only while the candidate is referred
    to it or in a programme it runs (it has to know whether a sheltered placement may start).
    """
    visible = await uow.candidates.visible(candidate_id)
    if visible is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    log_access(uow, visible.candidate, visible.ground, action=READ_ACTION)
    return await uow.indications.of_visible(visible)
