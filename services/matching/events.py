"""What matching consumes.

- diagnose: `profile-updated`, `wage-value-measured`, `diagnosis-closed` → the candidate's
  coded profile, wage value, and (for outcomes that end the way to work) exclusion;
- intake: `programme-decided` (the candidate becomes matchable, with the uitvoerder that runs
  the programme) and `candidate-closed` (no longer matchable); `candidate-registered` (the
  birth date, for the youth minimum wage) and `sheltered-work-indication-decided`;
- finance: `legal-parameter-set` (national): the minimum wage, for the placements' wage floor;
  `budget-exceeded`: relayed to the outbound webhook subscriptions that want it (see
  domain/webhook_events.py), like matching's own events;
- its own stream: every matching event becomes one delivery row per outbound webhook
  subscription that wants it (see delivery.py), in the consumer's transaction.

Each handler gets the event's unit of work (no caller; the inbox commits it with the inbox row)
and calls the use case in handlers/profiles.py, handlers/law.py or handlers/subscriptions.py
(the fan-out to outbound webhooks).
"""

from __future__ import annotations

from services.matching.handlers import law, profiles
from services.matching.handlers.subscriptions import fan_out
from services.matching.settings import MatchingSettings
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.bus.inbox import EventHandler
from shared.events.catalogue import CATALOGUE
from shared.events.diagnose import DiagnosisClosed, ProfileUpdated, WageValueMeasured
from shared.events.envelope import Envelope
from shared.events.finance import BudgetExceeded, LegalParameterSet
from shared.events.intake import (
    CandidateClosed,
    CandidateRegistered,
    ProgrammeDecided,
    ShelteredWorkIndicationDecided,
)
from shared.runtime import ConsumerSpec

MATCHING_TYPES = tuple(t for t, model in CATALOGUE.items() if model.producer() == "matching")
Handler = EventHandler[MatchingUnitOfWork]


async def on_profile_updated(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """Constraints, interests, skills, hours and area; an older profile is ignored."""
    await profiles.fold_profile(uow, ProfileUpdated.model_validate(envelope.data))


async def on_wage_value(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """The latest loonwaarde (shown with matches; finance uses it for LKS)."""
    await profiles.fold_wage_value(uow, WageValueMeasured.model_validate(envelope.data))


async def on_diagnosis_closed(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """An outcome off the way to work excludes the candidate, unless a later programme came."""
    await profiles.fold_diagnosis_closed(uow, DiagnosisClosed.model_validate(envelope.data))


async def on_programme_decided(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """The programme and the uitvoerder that runs it; a newer decision lifts an exclusion."""
    await profiles.fold_programme(uow, ProgrammeDecided.model_validate(envelope.data))


async def on_candidate_closed(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """The candidate left the klantreis: never matched again."""
    await profiles.fold_candidate_closed(uow, CandidateClosed.model_validate(envelope.data))


async def on_candidate_registered(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """The birth date, for the youth minimum wage."""
    await law.record_birth_date(uow, CandidateRegistered.model_validate(envelope.data))


async def on_indication_decided(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """A beschut-werk indication granted or refused."""
    await law.record_indication(
        uow, ShelteredWorkIndicationDecided.model_validate(envelope.data))


async def on_legal_parameter(uow: MatchingUnitOfWork, envelope: Envelope) -> None:
    """A national legal parameter; the minimum-wage ones are kept."""
    await law.record_legal_parameter(uow, LegalParameterSet.model_validate(envelope.data))


def consumers(settings: MatchingSettings) -> tuple[ConsumerSpec, ...]:
    """Matching's durable consumers: diagnose, intake, finance and its own (webhooks)."""
    diagnose: dict[str, Handler] = {
        ProfileUpdated.ce_type(): on_profile_updated,
        WageValueMeasured.ce_type(): on_wage_value,
        DiagnosisClosed.ce_type(): on_diagnosis_closed}
    intake: dict[str, Handler] = {
        ProgrammeDecided.ce_type(): on_programme_decided,
        CandidateClosed.ce_type(): on_candidate_closed,
        CandidateRegistered.ce_type(): on_candidate_registered,
        ShelteredWorkIndicationDecided.ce_type(): on_indication_decided}
    finance: dict[str, Handler] = {LegalParameterSet.ce_type(): on_legal_parameter,
                                   BudgetExceeded.ce_type(): fan_out}
    own: dict[str, Handler] = dict.fromkeys(MATCHING_TYPES, fan_out)
    return (ConsumerSpec(producer="diagnose", handlers=diagnose),
            ConsumerSpec(producer="intake", handlers=intake),
            ConsumerSpec(producer="finance", handlers=finance),
            ConsumerSpec(producer="matching", handlers=own))
