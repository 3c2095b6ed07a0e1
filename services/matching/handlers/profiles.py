"""The candidate profiles matching folds from diagnose's and intake's events (no caller: each
reads and writes by the event's own ids). Events may arrive in any order across streams: a
profile before the programme decision is kept and becomes matchable when the decision comes;
an older profile never overwrites a newer. Every change bumps the profile revision, in the
event's transaction, so each process rebuilds its profile matrix."""

from __future__ import annotations

import uuid

from services.matching.store.models import CandidateProfile
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.diagnose import DiagnosisClosed, ProfileUpdated, WageValueMeasured
from shared.events.intake import CandidateClosed, ProgrammeDecided
from shared.events.vocabulary import DiagnosisOutcome

# A diagnosis that ends like this leaves the candidate on the way to work (still matchable);
# any other outcome (back to care, another trajectory, moved, …) takes them out of matching
# until the gemeente decides a programme again.
KEEPS_MATCHABLE = frozenset({DiagnosisOutcome.ADVICE_GIVEN, DiagnosisOutcome.THROUGH_TO_WORK})


async def profile_row(uow: MatchingUnitOfWork, candidate_id: uuid.UUID,
                      gemeente: str) -> CandidateProfile:
    """The candidate's profile row, locked; created empty when this is the first event."""
    row = await uow.profiles.get_for_update_unscoped(candidate_id)
    if row is None:
        row = uow.profiles.add(CandidateProfile(
            candidate_id=candidate_id, gemeente=gemeente, constraints=[], interests=[],
            skills=[], closed=False))
    return row


async def _changed(uow: MatchingUnitOfWork) -> None:
    await uow.flush()
    await uow.profiles.bump_revision()


async def fold_profile(uow: MatchingUnitOfWork, event: ProfileUpdated) -> None:
    """Constraints, interests, skills, hours and area; an older profile is ignored."""
    row = await profile_row(uow, event.candidate_id, event.gemeente)
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
    await _changed(uow)


async def fold_wage_value(uow: MatchingUnitOfWork, event: WageValueMeasured) -> None:
    """The latest loonwaarde (shown with matches; finance uses it for LKS)."""
    row = await profile_row(uow, event.candidate_id, event.gemeente)
    if row.wage_value_measured_at is not None and event.measured_at < row.wage_value_measured_at:
        return
    row.wage_value_pct, row.wage_value_measured_at = event.wage_value_pct, event.measured_at
    await _changed(uow)


async def fold_diagnosis_closed(uow: MatchingUnitOfWork, event: DiagnosisClosed) -> None:
    """An outcome off the way to work excludes the candidate, unless a later programme came."""
    if event.outcome in KEEPS_MATCHABLE:
        return
    row = await profile_row(uow, event.candidate_id, event.gemeente)
    if row.programme_decided_at is not None and row.programme_decided_at > event.closed_at:
        return  # the gemeente decided a programme after this diagnosis ended
    row.excluded_at, row.exclusion = event.closed_at, f"diagnosis-{event.outcome.value}"
    await _changed(uow)


async def fold_programme(uow: MatchingUnitOfWork, event: ProgrammeDecided) -> None:
    """The programme and the uitvoerder that runs it; a newer decision lifts an exclusion."""
    row = await profile_row(uow, event.candidate_id, event.gemeente)
    if row.programme_decided_at is not None and event.decided_at <= row.programme_decided_at:
        return
    row.programme, row.provider = event.programme.value, event.provider
    row.programme_decided_at = event.decided_at
    if row.excluded_at is not None and row.excluded_at < event.decided_at:
        row.excluded_at, row.exclusion = None, None
    await _changed(uow)


async def fold_candidate_closed(uow: MatchingUnitOfWork, event: CandidateClosed) -> None:
    """The candidate left the klantreis: never matched again."""
    row = await profile_row(uow, event.candidate_id, event.gemeente)
    row.closed = True
    await _changed(uow)
