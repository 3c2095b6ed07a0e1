"""What diagnose consumes: referrals, re-routes and closures from intake; re-assessments from
finance.

It publishes the diagnose.* events of the shared catalogue (see handlers.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.diagnose.handlers import mark_closed
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.store.models import DiagnosisCase, ReassessmentTask
from services.diagnose.store.repository import OPEN, CaseRepository
from shared.bus.inbox import EventHandler
from shared.events.envelope import Envelope
from shared.events.finance import ReassessmentDue
from shared.events.intake import CandidateClosed, CandidateReferred, Route, RouteDecided
from shared.events.vocabulary import DiagnosisOutcome
from shared.logging import get_logger
from shared.runtime import ConsumerSpec

log = get_logger(__name__)


def consumers(settings: DiagnoseSettings) -> tuple[ConsumerSpec, ...]:
    """Diagnose's durable consumers and their handlers."""

    async def withdraw_open_cases(session: AsyncSession, candidate_id: uuid.UUID) -> None:
        for case in await CaseRepository(session).open_for_candidate(candidate_id):
            mark_closed(session, case, DiagnosisOutcome.WITHDRAWN.value, settings.oin)
        await session.flush()

    async def on_referred(session: AsyncSession, envelope: Envelope) -> None:
        """A referral opens a case (one per referral; a redelivery opens nothing)."""
        event = CandidateReferred.model_validate(envelope.data)
        if settings.diagnose_providers and event.provider not in settings.diagnose_providers:
            return
        repo = CaseRepository(session)
        if await repo.by_referral(event.referral_id) is not None:
            return
        repo.add(DiagnosisCase(
            id=uuid.uuid4(), referral_id=event.referral_id, candidate_id=event.candidate_id,
            gemeente=event.gemeente, provider=event.provider, question=event.question.value,
            target_group=event.target_group, birth_year=event.birth_year, status=OPEN,
            opened_at=datetime.now(UTC), referred_at=event.referred_at, zrm_assessments=[],
            wage_values=[], advices=[]))
        await session.flush()

    async def on_closed(session: AsyncSession, envelope: Envelope) -> None:
        """The gemeente closed the candidate: open cases end as withdrawn."""
        event = CandidateClosed.model_validate(envelope.data)
        await withdraw_open_cases(session, event.candidate_id)

    async def on_route_decided(session: AsyncSession, envelope: Envelope) -> None:
        """A route other than referral ends intake's referrals: their open cases are withdrawn."""
        event = RouteDecided.model_validate(envelope.data)
        if event.route is not Route.REFER:
            await withdraw_open_cases(session, event.candidate_id)

    async def on_reassessment_due(session: AsyncSession, envelope: Envelope) -> None:
        """Finance needs a new wage value: a task on the provider's worklist."""
        event = ReassessmentDue.model_validate(envelope.data)
        case = await CaseRepository(session).latest_for_candidate(
            event.candidate_id, event.gemeente, event.provider)
        if case is None:
            log.info("diagnose.reassessment_without_case", candidate_id=str(event.candidate_id))
            return
        session.add(ReassessmentTask(
            id=uuid.uuid4(), case_id=case.id, measurement_id=event.measurement_id,
            due_date=event.due_date, created_at=datetime.now(UTC)))
        await session.flush()

    intake: dict[str, EventHandler] = {CandidateReferred.ce_type(): on_referred,
                                       RouteDecided.ce_type(): on_route_decided,
                                       CandidateClosed.ce_type(): on_closed}
    finance: dict[str, EventHandler] = {ReassessmentDue.ce_type(): on_reassessment_due}
    return (ConsumerSpec(producer="intake", handlers=intake),
            ConsumerSpec(producer="finance", handlers=finance))
