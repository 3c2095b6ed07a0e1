"""Use cases on the candidate: register, decide route and programme, close, read, list.

Each takes the unit of work and a command, checks the role (the route's dependency checked it
already: defence in depth), flushes and never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from services.intake.commands import (
    CandidateFilter,
    CloseCandidate,
    DecideProgramme,
    DecideRoute,
    RegisterCandidate,
)
from services.intake.domain import candidate as rules
from services.intake.domain.candidate import Status
from services.intake.handlers.access import (
    GEMEENTE_READERS,
    GEMEENTE_WRITERS,
    PROVIDER_READERS,
    log_access,
)
from services.intake.store.models import (
    AccessLogEntry,
    Candidate,
    NewCandidate,
    ProgrammeDecision,
    Referral,
    RouteDecision,
)
from services.intake.store.repository import read_ground
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import OrgKind
from shared.dutch_time import dutch_day
from shared.events.intake import (
    CandidateClosed,
    CandidateReferred,
    CandidateRegistered,
    ProgrammeDecided,
    Route,
    RouteDecided,
)
from shared.http.pagination import PageParams
from shared.problems import (
    BadRequest,
    Conflict,
    InvalidParam,
    NotFound,
    Problem,
    domain_rules,
)


class DuplicateCandidate(Conflict):
    """The BSN is already registered in this gemeente."""

    slug = "duplicate-candidate"
    title = "Candidate already registered"


def duplicate_of(candidate_id: uuid.UUID) -> DuplicateCandidate:
    """The 409 that points at the candidate already registered with this BSN."""
    href = f"/v1/candidates/{candidate_id}"
    return DuplicateCandidate(
        "a candidate with this BSN is already registered in this gemeente",
        extra={"existingCandidateId": str(candidate_id), "existingCandidate": href},
    )


async def register_candidate(uow: IntakeUnitOfWork, command: RegisterCandidate) -> NewCandidate:
    """Register a candidate for the caller's gemeente → intake.candidate-registered.

    The hot write path. On Postgres the candidate and its outbox row are one statement, the
    whole unit of work (no BEGIN/COMMIT); elsewhere two Core inserts in the transaction. No
    change tracking, no look-up first: the unique (gemeente, bsn) decides, and the answer is
    built from the values written.
    """
    principal = uow.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    now = datetime.now(UTC)
    new = NewCandidate(
        id=uuid.uuid4(), gemeente=principal.org, bsn=command.bsn,
        given_name=command.given_name, family_name=command.family_name,
        birth_date=command.birth_date, postcode=command.postcode,
        target_group=command.target_group.value, benefit=command.benefit.value,
        status=Status.REGISTERED.value, registered_at=now, updated_at=now)
    # The birth date is the one personal fact that leaves intake: the youth minimum wage
    # (finance's LKS, matching's wage floor) follows the age on each day. Nothing else does.
    event = uow.outbox.stage(CandidateRegistered(
        candidate_id=new.id, gemeente=new.gemeente, target_group=new.target_group,
        birth_year=new.birth_date.year, birth_date=new.birth_date, registered_at=now,
    ))
    outcome = await uow.candidates.register_alone(new, event)
    if outcome is None:  # not Postgres: the two inserts in the unit of work's transaction
        if not await uow.candidates.insert_unless_registered(new):
            raise await _duplicate(uow, command.bsn)
        await uow.outbox.insert_staged(event)
    elif not outcome.created:
        raise duplicate_of(outcome.id)
    else:
        uow.outbox.written(event)
    return new


async def _duplicate(uow: IntakeUnitOfWork, bsn: str) -> Problem:
    existing = await uow.candidates.find_own_by_bsn(bsn)
    if existing is None:  # candidates are never deleted: the clash was with a committed row
        raise RuntimeError("the BSN is taken in this gemeente, yet no candidate holds it")
    return duplicate_of(existing.id)


async def decide_route(uow: IntakeUnitOfWork, command: DecideRoute) -> RouteDecision:
    """Record the route → intake.route-decided (+ intake.candidate-referred for refer)."""
    principal = uow.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    _check_route_command(command)
    candidate = await _own_candidate(uow, command.candidate_id)
    with domain_rules(rules.TransitionError):
        new_status = rules.status_after_route(Status(candidate.status), command.route)
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
    uow.session.add(decision)
    uow.outbox.add(RouteDecided(
        candidate_id=candidate.id, gemeente=candidate.gemeente, route=command.route,
        provider=command.provider, decided_at=now,
    ))
    if referral_id is not None:
        assert command.provider is not None and command.question is not None
        _refer(uow, candidate, Referral(
            id=referral_id, candidate_id=candidate.id, provider=command.provider,
            question=command.question.value, referred_at=now))
    await uow.flush()
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


def _refer(uow: IntakeUnitOfWork, candidate: Candidate, referral: Referral) -> None:
    candidate.referrals.append(referral)
    uow.session.add(referral)
    uow.outbox.add(CandidateReferred(
        candidate_id=candidate.id, referral_id=referral.id, gemeente=candidate.gemeente,
        provider=referral.provider, question=referral.question,
        target_group=candidate.target_group, birth_year=candidate.birth_date.year,
        referred_at=referral.referred_at,
    ))


def _end_referrals(candidate: Candidate, now: datetime) -> None:
    for referral in candidate.referrals:
        if referral.ended_at is None:
            referral.ended_at = now


async def decide_programme(uow: IntakeUnitOfWork, command: DecideProgramme) -> ProgrammeDecision:
    """Record the programme → intake.programme-decided."""
    principal = uow.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await _own_candidate(uow, command.candidate_id)
    with domain_rules(rules.TransitionError):
        rules.check_programme_allowed(Status(candidate.status))
    with domain_rules(rules.DateOrderError, problem=BadRequest):
        rules.check_not_before(field="startDate", day=command.start_date, step="registration",
                               step_day=dutch_day(candidate.registered_at),
                               migrated=command.migrated)
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
    uow.session.add(decision)
    uow.outbox.add(ProgrammeDecided(
        candidate_id=candidate.id, gemeente=candidate.gemeente, programme=command.programme,
        provider=command.provider, start_date=command.start_date, decided_at=now,
    ))
    await uow.flush()
    return decision


async def close_candidate(uow: IntakeUnitOfWork, command: CloseCandidate) -> Candidate:
    """Close the klantreis; referrals end → intake.candidate-closed."""
    uow.require(*GEMEENTE_WRITERS, kinds=(OrgKind.GEMEENTE,))
    candidate = await _own_candidate(uow, command.candidate_id)
    with domain_rules(rules.TransitionError):
        rules.check_closable(Status(candidate.status))
    now = datetime.now(UTC)
    _end_referrals(candidate, now)
    candidate.status, candidate.closure_reason = Status.CLOSED.value, command.reason.value
    candidate.closed_at = candidate.updated_at = now
    uow.outbox.add(CandidateClosed(
        candidate_id=candidate.id, gemeente=candidate.gemeente, reason=command.reason,
        closed_at=now,
    ))
    await uow.flush()
    return candidate


async def read_candidate(uow: IntakeUnitOfWork, candidate_id: uuid.UUID) -> Candidate:
    """A candidate the caller may see; the read is written to the access log."""
    visible = await uow.candidates.visible(candidate_id)
    if visible is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    log_access(uow, visible.candidate, visible.ground, action="read")
    return visible.candidate


async def list_candidates(uow: IntakeUnitOfWork, filters: CandidateFilter, params: PageParams,
                          ) -> tuple[Sequence[Candidate], int]:
    """The candidates the caller may see; each listed candidate's read is logged."""
    principal = uow.principal
    if principal.kind is OrgKind.GEMEENTE:
        uow.require(*GEMEENTE_READERS)
    elif principal.kind is OrgKind.PROVIDER:
        uow.require(*PROVIDER_READERS)
    items, total = await uow.candidates.page_visible(filters, params)
    for candidate in items:
        ground = read_ground(principal, candidate)
        if ground is not None:
            log_access(uow, candidate, ground, action="list")
    return items, total


async def access_log(uow: IntakeUnitOfWork, candidate_id: uuid.UUID | None,
                     params: PageParams) -> tuple[Sequence[AccessLogEntry], int]:
    """The gemeente's processing log of reads of its residents' data."""
    uow.require(*GEMEENTE_READERS, kinds=(OrgKind.GEMEENTE,))
    return await uow.access_log.page_own(candidate_id=candidate_id, params=params)


async def _own_candidate(uow: IntakeUnitOfWork, candidate_id: uuid.UUID) -> Candidate:
    candidate = await uow.candidates.own_for_update(candidate_id)
    if candidate is None:
        raise NotFound(f"no candidate {candidate_id} in gemeente {uow.principal.org}")
    return candidate
