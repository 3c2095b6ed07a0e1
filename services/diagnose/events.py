"""What diagnose consumes: referrals, re-routes and closures from intake; re-assessments from
finance. Each event is applied by a handler with the event's unit of work (no caller).

It publishes the diagnose.* events of the shared catalogue (see handlers/).
"""

from __future__ import annotations

from services.diagnose.handlers import cases, measurements
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.bus.inbox import EventHandler
from shared.events.envelope import Envelope
from shared.events.finance import ReassessmentDue
from shared.events.intake import CandidateClosed, CandidateReferred, Route, RouteDecided
from shared.runtime import ConsumerSpec


def consumers(settings: DiagnoseSettings) -> tuple[ConsumerSpec, ...]:
    """Diagnose's durable consumers and their handlers."""

    async def on_referred(uow: DiagnoseUnitOfWork, envelope: Envelope) -> None:
        """A referral to one of this deployment's uitvoerders opens a case."""
        event = CandidateReferred.model_validate(envelope.data)
        if settings.diagnose_providers and event.provider not in settings.diagnose_providers:
            return
        await cases.open_case_for_referral(uow, event)

    async def on_closed(uow: DiagnoseUnitOfWork, envelope: Envelope) -> None:
        """The gemeente closed the candidate: open cases end as withdrawn."""
        event = CandidateClosed.model_validate(envelope.data)
        await cases.withdraw_open_cases(uow, event.candidate_id)

    async def on_route_decided(uow: DiagnoseUnitOfWork, envelope: Envelope) -> None:
        """A route other than referral ends intake's referrals: their open cases are withdrawn."""
        event = RouteDecided.model_validate(envelope.data)
        if event.route is not Route.REFER:
            await cases.withdraw_open_cases(uow, event.candidate_id)

    async def on_reassessment_due(uow: DiagnoseUnitOfWork, envelope: Envelope) -> None:
        """Finance needs a new wage value: a task on the provider's worklist."""
        event = ReassessmentDue.model_validate(envelope.data)
        await measurements.add_reassessment_task(uow, event)

    intake: dict[str, EventHandler[DiagnoseUnitOfWork]] = {
        CandidateReferred.ce_type(): on_referred, RouteDecided.ce_type(): on_route_decided,
        CandidateClosed.ce_type(): on_closed}
    finance: dict[str, EventHandler[DiagnoseUnitOfWork]] = {
        ReassessmentDue.ce_type(): on_reassessment_due}
    return (ConsumerSpec(producer="intake", handlers=intake),
            ConsumerSpec(producer="finance", handlers=finance))
