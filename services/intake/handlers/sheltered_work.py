"""Use cases of beschut-werk indications: record the college's decision, list them.

Each takes the unit of work (session) first and a plain command; it flushes, never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.commands import RecordShelteredWorkIndication
from services.intake.domain import candidate as rules
from services.intake.domain.candidate import Status
from services.intake.domain.sheltered_work import check_indication
from services.intake.handlers import (
    GEMEENTE_WRITERS,
    _log_access,
    _read_ground,
    _transition,
)
from services.intake.store.models import Candidate, ShelteredWorkIndication
from services.intake.store.repository import CandidateRepository, IndicationRepository
from shared.auth import OrgKind, Principal
from shared.bus.outbox import add_event
from shared.events.intake import ShelteredWorkIndicationDecided
from shared.problems import BadRequest, InvalidParam, NotFound

READ_ACTION = "read-sheltered-work-indications"


async def record_sheltered_work_indication(
    session: AsyncSession, *, principal: Principal, command: RecordShelteredWorkIndication,
    today: date, oin: str,
) -> ShelteredWorkIndication:
    """Record the indication → intake.sheltered-work-indication-decided, in one transaction.

    Only the candidate's own gemeente decides (its klantmanager or admin); any other gemeente
    gets 404, as for every other decision on a resident it does not have.
    """
    principal.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await CandidateRepository(session).get_for_update(command.candidate_id)
    if candidate is None or not principal.is_gemeente(candidate.gemeente):
        raise NotFound(f"no candidate {command.candidate_id} in gemeente {principal.org}")
    violations = check_indication(
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome,
        decision=command.decision, decided_on=command.decided_on,
        valid_until=command.valid_until,
        deviates_from_uwv_advice=command.deviates_from_uwv_advice, today=today)
    if violations:
        raise BadRequest("; ".join(v.reason for v in violations), invalid_params=[
            InvalidParam(name, v.reason) for v in violations for name in v.fields])
    _transition(lambda: rules.check_closable(Status(candidate.status)))  # not for a closed one
    now = datetime.now(UTC)
    indication = ShelteredWorkIndication(
        id=uuid.uuid4(), candidate_id=candidate.id, gemeente=candidate.gemeente,
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome.value,
        decision=command.decision.value, decided_on=command.decided_on,
        valid_until=command.valid_until,
        deviates_from_uwv_advice=command.deviates_from_uwv_advice,
        decided_by=principal.subject, decided_at=now)
    session.add(indication)
    candidate.updated_at = now
    add_event(session, ShelteredWorkIndicationDecided(
        indication_id=indication.id, candidate_id=candidate.id, gemeente=candidate.gemeente,
        uwv_advice_date=command.uwv_advice_date, uwv_outcome=command.uwv_outcome,
        decision=command.decision, decided_on=command.decided_on,
        valid_until=command.valid_until, decided_at=now,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)
    await session.flush()
    return indication


async def list_sheltered_work_indications(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID,
) -> tuple[Candidate, Sequence[ShelteredWorkIndication]]:
    """The candidate's indications, for whoever may read the candidate; the read is logged.

    The gemeente reads its own residents'; an uitvoerder only while the candidate is referred
    to it or in a programme it runs (it has to know whether a sheltered placement may start).
    """
    candidate = await CandidateRepository(session).get(candidate_id)
    ground = _read_ground(principal, candidate) if candidate is not None else None
    if candidate is None or ground is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    _log_access(session, principal, candidate, ground, action=READ_ACTION)
    return candidate, await IndicationRepository(session).of_candidate(candidate.id)
