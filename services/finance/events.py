"""What finance consumes: matching's placements, diagnose's loonwaarden, and from intake the
birth date (jeugd-WML) and beschut-werk indications.

It publishes the finance.* events of the shared catalogue (see grants.py, payments.py,
budgets.py). intake's candidate-closed is not consumed: a closed klantreis does not end an
employment contract; the placement's own end does (matching.placement-ended).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import grants
from services.finance.handlers import candidates
from services.finance.settings import FinanceSettings
from shared.bus.inbox import EventHandler
from shared.events.diagnose import WageValueMeasured
from shared.events.envelope import Envelope
from shared.events.intake import CandidateRegistered, ShelteredWorkIndicationDecided
from shared.events.matching import PlacementEnded, PlacementStarted
from shared.runtime import ConsumerSpec


def consumers(settings: FinanceSettings) -> tuple[ConsumerSpec, ...]:
    """Finance's durable consumers and their handlers."""

    async def on_placement_started(session: AsyncSession, envelope: Envelope) -> None:
        event = PlacementStarted.model_validate(envelope.data)
        await grants.placement_started(session, event, settings.oin)

    async def on_placement_ended(session: AsyncSession, envelope: Envelope) -> None:
        event = PlacementEnded.model_validate(envelope.data)
        await grants.placement_ended(session, event, settings.oin)

    async def on_wage_value(session: AsyncSession, envelope: Envelope) -> None:
        event = WageValueMeasured.model_validate(envelope.data)
        await grants.wage_value_measured(session, event, settings.oin)

    async def on_registered(session: AsyncSession, envelope: Envelope) -> None:
        event = CandidateRegistered.model_validate(envelope.data)
        await candidates.candidate_registered(session, event=event)

    async def on_indication(session: AsyncSession, envelope: Envelope) -> None:
        event = ShelteredWorkIndicationDecided.model_validate(envelope.data)
        await candidates.indication_decided(session, event=event, oin=settings.oin)

    matching: dict[str, EventHandler] = {PlacementStarted.ce_type(): on_placement_started,
                                         PlacementEnded.ce_type(): on_placement_ended}
    diagnose: dict[str, EventHandler] = {WageValueMeasured.ce_type(): on_wage_value}
    intake: dict[str, EventHandler] = {CandidateRegistered.ce_type(): on_registered,
                                       ShelteredWorkIndicationDecided.ce_type(): on_indication}
    return (ConsumerSpec(producer="matching", handlers=matching),
            ConsumerSpec(producer="diagnose", handlers=diagnose),
            ConsumerSpec(producer="intake", handlers=intake))
