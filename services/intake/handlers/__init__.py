"""Intake's use cases on the candidate: one function per command. They flush, never commit.

The API owns the transaction. Other aggregates have their own module in this package
(`sheltered_work`: beschut-werk indications).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.api.schemas import (
    CloseCandidate,
    DecideProgramme,
    DecideRoute,
    RegisterCandidate,
)
from services.intake.domain import candidate as rules
from services.intake.domain.candidate import AccessGround, Status
from services.intake.store.models import (
    AccessLogEntry,
    Candidate,
    ProgrammeDecision,
    Referral,
    RouteDecision,
)
from services.intake.store.repository import (
    AccessLogRepository,
    CandidateFilter,
    CandidateRepository,
)
from shared.auth import OrgKind, Principal, Role
from shared.bus.outbox import add_event
from shared.events.intake import (
    CandidateClosed,
    CandidateReferred,
    CandidateRegistered,
    ProgrammeDecided,
    Route,
    RouteDecided,
)
from shared.http.pagination import PageParams
from shared.problems import BadRequest, Conflict, InvalidParam, NotFound, UnprocessableState
from shared.tracing import current_traceparent, trace_id_of

GEMEENTE_WRITERS = (Role.CASEWORKER, Role.ADMIN)
GEMEENTE_READERS = (Role.CASEWORKER, Role.ADMIN, Role.CONTROLLER)
PROVIDER_READERS = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.ADMIN)
T = TypeVar("T")


class DuplicateCandidate(Conflict):
    """The BSN is already registered in this gemeente."""

    slug = "duplicate-candidate"
    title = "Candidate already registered"


async def register_candidate(
    session: AsyncSession, *, principal: Principal, command: RegisterCandidate, oin: str
) -> Candidate:
    """Register a candidate for the caller's gemeente → intake.candidate-registered.

    Raises IntegrityError when the BSN is already registered in this gemeente.
    """
    principal.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    # No look-up first: the unique (gemeente, bsn) constraint decides, and the API turns its
    # IntegrityError into the 409 that points at the existing candidate (one query saved).
    repo = CandidateRepository(session)
    now = datetime.now(UTC)
    candidate = repo.add(Candidate(
        id=uuid.uuid4(), gemeente=principal.org, bsn=command.bsn,
        given_name=command.given_name, family_name=command.family_name,
        birth_date=command.birth_date, postcode=command.postcode,
        target_group=command.target_group.value, benefit=command.benefit.value,
        status=Status.REGISTERED.value, registered_at=now, updated_at=now, referrals=[],
        latest_advice=None,
    ))
    # The birth date is the one personal fact that leaves intake: the youth minimum wage
    # (finance's LKS, matching's wage floor) follows the age on each day. Nothing else does.
    add_event(session, CandidateRegistered(
        candidate_id=candidate.id, gemeente=candidate.gemeente,
        target_group=candidate.target_group, birth_year=candidate.birth_date.year,
        birth_date=candidate.birth_date, registered_at=now,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)
    await session.flush()
    return candidate


def duplicate_of(candidate_id: uuid.UUID) -> DuplicateCandidate:
    """The 409 that points at the candidate already registered with this BSN."""
    href = f"/v1/candidates/{candidate_id}"
    return DuplicateCandidate(
        "a candidate with this BSN is already registered in this gemeente",
        extra={"existingCandidateId": str(candidate_id), "existingCandidate": href},
    )


async def decide_route(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID,
    command: DecideRoute, oin: str,
) -> RouteDecision:
    """Record the route → intake.route-decided (+ intake.candidate-referred for refer)."""
    principal.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    _check_route_command(command)
    candidate = await _own_candidate(session, principal, candidate_id)
    new_status = _transition(lambda: rules.status_after_route(Status(candidate.status),
                                                              command.route))
    now = datetime.now(UTC)
    if rules.ends_referrals(command.route):
        _end_referrals(candidate, now)
    referral_id = uuid.uuid4() if command.route is Route.REFER else None
    candidate.status, candidate.route, candidate.updated_at = (
        new_status.value, command.route.value, now)
    decision = RouteDecision(
        id=uuid.uuid4(), candidate_id=candidate.id, route=command.route.value,
        provider=command.provider, referral_id=referral_id,
        decided_by=principal.subject, decided_at=now,
    )
    session.add(decision)
    add_event(session, RouteDecided(
        candidate_id=candidate.id, gemeente=candidate.gemeente, route=command.route,
        provider=command.provider, decided_at=now,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)
    if referral_id is not None:
        assert command.provider is not None and command.question is not None
        _refer(session, candidate, Referral(
            id=referral_id, candidate_id=candidate.id, provider=command.provider,
            question=command.question.value, referred_at=now), oin)
    await session.flush()
    return decision


def _check_route_command(command: DecideRoute) -> None:
    if command.route is Route.REFER:
        missing = [InvalidParam(name, "required when route is refer")
                   for name, value in (("provider", command.provider),
                                       ("question", command.question)) if value is None]
        if missing:
            raise BadRequest("a referral names the provider and the question",
                             invalid_params=missing)
    elif command.provider is not None or command.question is not None:
        raise BadRequest("provider and question belong to a referral only", invalid_params=[
            InvalidParam("provider", "only allowed when route is refer")])


def _refer(session: AsyncSession, candidate: Candidate, referral: Referral, oin: str) -> None:
    candidate.referrals.append(referral)
    session.add(referral)
    add_event(session, CandidateReferred(
        candidate_id=candidate.id, referral_id=referral.id, gemeente=candidate.gemeente,
        provider=referral.provider, question=referral.question,
        target_group=candidate.target_group, birth_year=candidate.birth_date.year,
        referred_at=referral.referred_at,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)


def _end_referrals(candidate: Candidate, now: datetime) -> None:
    for referral in candidate.referrals:
        if referral.ended_at is None:
            referral.ended_at = now


async def decide_programme(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID,
    command: DecideProgramme, oin: str,
) -> ProgrammeDecision:
    """Record the programme → intake.programme-decided."""
    principal.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await _own_candidate(session, principal, candidate_id)
    _transition(lambda: rules.check_programme_allowed(Status(candidate.status)))
    try:
        rules.check_not_before(field="startDate", day=command.start_date, step="registration",
                               step_day=rules.dutch_day(candidate.registered_at),
                               migrated=command.migrated)
    except rules.DateOrderError as exc:
        raise BadRequest(str(exc), invalid_params=[InvalidParam(exc.field, exc.reason)]) from exc
    now = datetime.now(UTC)
    candidate.status = Status.IN_PROGRAMME.value
    candidate.programme, candidate.programme_provider = command.programme.value, command.provider
    candidate.programme_start, candidate.updated_at = command.start_date, now
    candidate.programme_migrated = command.migrated
    decision = ProgrammeDecision(
        id=uuid.uuid4(), candidate_id=candidate.id, programme=command.programme.value,
        provider=command.provider, start_date=command.start_date, migrated=command.migrated,
        decided_by=principal.subject, decided_at=now,
    )
    session.add(decision)
    add_event(session, ProgrammeDecided(
        candidate_id=candidate.id, gemeente=candidate.gemeente, programme=command.programme,
        provider=command.provider, start_date=command.start_date, decided_at=now,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)
    await session.flush()
    return decision


async def close_candidate(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID,
    command: CloseCandidate, oin: str,
) -> Candidate:
    """Close the klantreis; referrals end → intake.candidate-closed."""
    principal.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await _own_candidate(session, principal, candidate_id)
    _transition(lambda: rules.check_closable(Status(candidate.status)))
    now = datetime.now(UTC)
    _end_referrals(candidate, now)
    candidate.status, candidate.closure_reason = Status.CLOSED.value, command.reason.value
    candidate.closed_at = candidate.updated_at = now
    add_event(session, CandidateClosed(
        candidate_id=candidate.id, gemeente=candidate.gemeente, reason=command.reason,
        closed_at=now,
    ), gemeente=candidate.gemeente, subject_id=str(candidate.id), oin=oin)
    await session.flush()
    return candidate


async def read_candidate(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID
) -> Candidate:
    """A candidate the caller may see; the read is written to the access log."""
    candidate = await CandidateRepository(session).get(candidate_id)
    ground = _read_ground(principal, candidate) if candidate is not None else None
    if candidate is None or ground is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    _log_access(session, principal, candidate, ground, action="read")
    return candidate


async def list_candidates(
    session: AsyncSession, *, principal: Principal, filters: CandidateFilter,
    params: PageParams,
) -> tuple[Sequence[Candidate], int]:
    """The candidates the caller may see; each listed candidate's read is logged."""
    repo = CandidateRepository(session)
    if principal.kind is OrgKind.GEMEENTE:
        principal.require(*GEMEENTE_READERS)
        items, total = await repo.page_for_gemeente(gemeente=principal.org, filters=filters,
                                                     params=params)
    elif principal.kind is OrgKind.PROVIDER:
        principal.require(*PROVIDER_READERS)
        items, total = await repo.page_for_provider(
            provider=principal.org, gemeenten=principal.gemeenten, filters=filters, params=params)
    else:
        items, total = [], 0
    for candidate in items:
        ground = _read_ground(principal, candidate)
        if ground is not None:
            _log_access(session, principal, candidate, ground, action="list")
    return items, total


async def access_log(
    session: AsyncSession, *, principal: Principal, candidate_id: uuid.UUID | None,
    params: PageParams,
) -> tuple[Sequence[AccessLogEntry], int]:
    """The gemeente's processing log of reads of its residents' data."""
    principal.require(*GEMEENTE_READERS, kinds=(OrgKind.GEMEENTE,))
    return await AccessLogRepository(session).page_for_gemeente(
        gemeente=principal.org, candidate_id=candidate_id, params=params)


def _read_ground(principal: Principal, candidate: Candidate) -> AccessGround | None:
    if not principal.acts_for(candidate.gemeente):
        return None
    if principal.kind is OrgKind.GEMEENTE:
        return AccessGround.OWN_GEMEENTE if principal.roles.intersection(GEMEENTE_READERS) \
            else None
    if principal.kind is OrgKind.PROVIDER and principal.roles.intersection(PROVIDER_READERS):
        return rules.provider_ground(
            status=Status(candidate.status), provider=principal.org,
            referred_to=frozenset(r.provider for r in candidate.referrals if r.ended_at is None),
            programme_provider=candidate.programme_provider,
        )
    return None


def _log_access(session: AsyncSession, principal: Principal, candidate: Candidate,
                ground: AccessGround, *, action: str) -> None:
    traceparent = current_traceparent()
    session.add(AccessLogEntry(
        gemeente=candidate.gemeente, candidate_id=candidate.id, actor_org=principal.org,
        actor_kind=principal.kind.value, actor_subject=principal.subject, action=action,
        ground=ground.value, trace_id=trace_id_of(traceparent) if traceparent else None,
        at=datetime.now(UTC),
    ))


async def _own_candidate(
    session: AsyncSession, principal: Principal, candidate_id: uuid.UUID
) -> Candidate:
    # Locked for the rest of the transaction: two decisions at once are applied one after the
    # other, each checking the status the other left (Postgres; SQLite serialises anyway).
    candidate = await CandidateRepository(session).get_for_update(candidate_id)
    if candidate is None or candidate.gemeente != principal.org:
        raise NotFound(f"no candidate {candidate_id} in gemeente {principal.org}")
    return candidate


def _transition(step: Callable[[], T]) -> T:
    try:
        return step()
    except rules.TransitionError as exc:
        raise UnprocessableState(str(exc)) from exc
