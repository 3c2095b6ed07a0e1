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

Events may arrive in any order across streams: a profile before the programme decision is
kept and becomes matchable when the decision comes; an older profile never overwrites a newer.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.delivery import fan_out
from services.matching.handlers import law
from services.matching.settings import MatchingSettings
from services.matching.store.models import CandidateProfile
from services.matching.store.repository import ProfileRepository
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
from shared.events.vocabulary import DiagnosisOutcome
from shared.runtime import ConsumerSpec

# A diagnosis that ends like this leaves the candidate on the way to work (still matchable);
# any other outcome (back to care, another trajectory, moved, …) takes them out of matching
# until the gemeente decides a programme again.
KEEPS_MATCHABLE = frozenset({DiagnosisOutcome.ADVICE_GIVEN, DiagnosisOutcome.THROUGH_TO_WORK})
MATCHING_TYPES = tuple(t for t, model in CATALOGUE.items() if model.producer() == "matching")


async def _row(session: AsyncSession, candidate_id: uuid.UUID,
               gemeente: str) -> CandidateProfile:
    return await law.profile_row(session, candidate_id, gemeente)


async def _changed(session: AsyncSession) -> None:
    await session.flush()
    await ProfileRepository(session).bump_revision()


async def on_profile_updated(session: AsyncSession, envelope: Envelope) -> None:
    """Constraints, interests, skills, hours and area; an older profile is ignored."""
    event = ProfileUpdated.model_validate(envelope.data)
    row = await _row(session, event.candidate_id, event.gemeente)
    if row.profile_updated_at is not None and event.updated_at <= row.profile_updated_at:
        return
    row.constraints = [{"code": c.code, "value": None if c.value is None else str(c.value)}
                       for c in event.constraints]
    row.interests = [i.value for i in event.interests]
    row.skills = list(event.skills)
    row.hours_per_week = event.hours_per_week
    row.home_gemeente = event.home_gemeente
    row.travel_radius_km = event.travel_radius_km
    row.profile_updated_at = event.updated_at
    await _changed(session)


async def on_wage_value(session: AsyncSession, envelope: Envelope) -> None:
    """The latest loonwaarde (shown with matches; finance uses it for LKS)."""
    event = WageValueMeasured.model_validate(envelope.data)
    row = await _row(session, event.candidate_id, event.gemeente)
    if row.wage_value_measured_at is not None and event.measured_at < row.wage_value_measured_at:
        return
    row.wage_value_pct, row.wage_value_measured_at = event.wage_value_pct, event.measured_at
    await _changed(session)


async def on_diagnosis_closed(session: AsyncSession, envelope: Envelope) -> None:
    """An outcome off the way to work excludes the candidate, unless a later programme came."""
    event = DiagnosisClosed.model_validate(envelope.data)
    if event.outcome in KEEPS_MATCHABLE:
        return
    row = await _row(session, event.candidate_id, event.gemeente)
    if row.programme_decided_at is not None and row.programme_decided_at > event.closed_at:
        return  # the gemeente decided a programme after this diagnosis ended
    row.excluded_at, row.exclusion = event.closed_at, f"diagnosis-{event.outcome.value}"
    await _changed(session)


async def on_programme_decided(session: AsyncSession, envelope: Envelope) -> None:
    """The programme and the uitvoerder that runs it; a newer decision lifts an exclusion."""
    event = ProgrammeDecided.model_validate(envelope.data)
    row = await _row(session, event.candidate_id, event.gemeente)
    if row.programme_decided_at is not None and event.decided_at <= row.programme_decided_at:
        return
    row.programme, row.provider = event.programme.value, event.provider
    row.programme_decided_at = event.decided_at
    if row.excluded_at is not None and row.excluded_at < event.decided_at:
        row.excluded_at, row.exclusion = None, None
    await _changed(session)


async def on_candidate_closed(session: AsyncSession, envelope: Envelope) -> None:
    """The candidate left the klantreis: never matched again."""
    event = CandidateClosed.model_validate(envelope.data)
    row = await _row(session, event.candidate_id, event.gemeente)
    row.closed = True
    await _changed(session)


async def on_candidate_registered(session: AsyncSession, envelope: Envelope) -> None:
    """The birth date, for the youth minimum wage."""
    await law.record_birth_date(session,
                                event=CandidateRegistered.model_validate(envelope.data))


async def on_indication_decided(session: AsyncSession, envelope: Envelope) -> None:
    """A beschut-werk indication granted or refused."""
    await law.record_indication(
        session, event=ShelteredWorkIndicationDecided.model_validate(envelope.data))


async def on_legal_parameter(session: AsyncSession, envelope: Envelope) -> None:
    """A national legal parameter; the minimum-wage ones are kept."""
    await law.record_legal_parameter(session,
                                     event=LegalParameterSet.model_validate(envelope.data))


def consumers(settings: MatchingSettings) -> tuple[ConsumerSpec, ...]:
    """Matching's durable consumers: diagnose, intake, finance and its own (webhooks)."""
    diagnose: dict[str, EventHandler] = {
        ProfileUpdated.ce_type(): on_profile_updated,
        WageValueMeasured.ce_type(): on_wage_value,
        DiagnosisClosed.ce_type(): on_diagnosis_closed}
    intake: dict[str, EventHandler] = {
        ProgrammeDecided.ce_type(): on_programme_decided,
        CandidateClosed.ce_type(): on_candidate_closed,
        CandidateRegistered.ce_type(): on_candidate_registered,
        ShelteredWorkIndicationDecided.ce_type(): on_indication_decided}
    finance: dict[str, EventHandler] = {LegalParameterSet.ce_type(): on_legal_parameter,
                                        BudgetExceeded.ce_type(): fan_out}
    own: dict[str, EventHandler] = dict.fromkeys(MATCHING_TYPES, fan_out)
    return (ConsumerSpec(producer="diagnose", handlers=diagnose),
            ConsumerSpec(producer="intake", handlers=intake),
            ConsumerSpec(producer="finance", handlers=finance),
            ConsumerSpec(producer="matching", handlers=own))
