"""What finance consumes: matching's placements, diagnose's loonwaarden, and from intake the
birth date (jeugd-WML) and beschut-werk indications.

It publishes the finance.* events of the shared catalogue (see handlers/grants.py,
handlers/payments.py, handlers/budgets.py). intake's candidate-closed is not consumed: a closed
klantreis does not end an employment contract; the placement's own end does
(matching.placement-ended). Each handler gets the event's unit of work (no caller; the inbox
commits it with the inbox row).
"""

from __future__ import annotations

from services.finance.handlers import candidates, grants
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.bus.inbox import EventHandler
from shared.events.diagnose import WageValueMeasured
from shared.events.envelope import Envelope
from shared.events.intake import CandidateRegistered, ShelteredWorkIndicationDecided
from shared.events.matching import PlacementEnded, PlacementStarted
from shared.runtime import ConsumerSpec


async def on_placement_started(uow: FinanceUnitOfWork, envelope: Envelope) -> None:
    """A placement started: recorded, and an LKS one proposed or refused."""
    await grants.placement_started(uow, PlacementStarted.model_validate(envelope.data))


async def on_placement_ended(uow: FinanceUnitOfWork, envelope: Envelope) -> None:
    """A placement ended: so does its grant."""
    await grants.placement_ended(uow, PlacementEnded.model_validate(envelope.data))


async def on_wage_value(uow: FinanceUnitOfWork, envelope: Envelope) -> None:
    """A loonwaarde measured: grants adjusted, waiting placements proposed."""
    await grants.wage_value_measured(uow, WageValueMeasured.model_validate(envelope.data))


async def on_registered(uow: FinanceUnitOfWork, envelope: Envelope) -> None:
    """A candidate registered: the birth date kept."""
    await candidates.candidate_registered(uow, CandidateRegistered.model_validate(envelope.data))


async def on_indication(uow: FinanceUnitOfWork, envelope: Envelope) -> None:
    """A beschut-werk indication decided."""
    await candidates.indication_decided(
        uow, ShelteredWorkIndicationDecided.model_validate(envelope.data))


def consumers() -> tuple[ConsumerSpec, ...]:
    """Finance's durable consumers and their handlers."""
    matching: dict[str, EventHandler[FinanceUnitOfWork]] = {
        PlacementStarted.ce_type(): on_placement_started,
        PlacementEnded.ce_type(): on_placement_ended}
    diagnose: dict[str, EventHandler[FinanceUnitOfWork]] = {
        WageValueMeasured.ce_type(): on_wage_value}
    intake: dict[str, EventHandler[FinanceUnitOfWork]] = {
        CandidateRegistered.ce_type(): on_registered,
        ShelteredWorkIndicationDecided.ce_type(): on_indication}
    return (ConsumerSpec(producer="matching", handlers=matching),
            ConsumerSpec(producer="diagnose", handlers=diagnose),
            ConsumerSpec(producer="intake", handlers=intake))
