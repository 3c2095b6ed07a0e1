"""Matching's commands on proposals and on ending placements (starting one is a handler in
handlers/placements.py). They flush, never commit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.api.schemas import (
    ChangeProposalStatus,
    CreateProposal,
    EndPlacement,
)
from services.matching.domain import workflow
from services.matching.domain.scoring import score_one
from services.matching.domain.workflow import CLOSED_STATES, ProposalStatus
from services.matching.handlers import (
    checked,
    publish,
    require_writer,
    visible_vacancy,
)
from services.matching.matcher import context_for, is_matchable, job_of, profile_of
from services.matching.store.models import CandidateProfile, Placement, Proposal
from services.matching.store.repository import (
    OPEN,
    PlacementRepository,
    ProfileRepository,
    ProposalRepository,
)
from shared.auth import Principal
from shared.events.matching import (
    CandidateProposed,
    PlacementEnded,
    PlacementForm,
    ProposalClosed,
    ProposalOutcome,
)
from shared.problems import Conflict, NotFound, UnprocessableState


async def visible_candidate(session: AsyncSession, principal: Principal,
                            candidate_id: uuid.UUID) -> CandidateProfile:
    """A candidate the caller may see, or 404."""
    row = await ProfileRepository(session).visible(principal, candidate_id)
    if row is None:
        raise NotFound(f"no candidate {candidate_id} for this organisation")
    return row


def matchable(row: CandidateProfile) -> CandidateProfile:
    """The candidate, or 409 when not (or no longer) matchable."""
    if not is_matchable(row):
        raise UnprocessableState("the candidate is not matchable: no programme or profile yet, "
                                 "or closed")
    return row


async def propose(session: AsyncSession, *, principal: Principal, vacancy_id: uuid.UUID,
                  command: CreateProposal, min_carved_hours: float, oin: str) -> Proposal:
    """Propose a candidate who fits the vacancy (or a carving of it)."""
    require_writer(principal)
    vacancy = await visible_vacancy(session, principal, vacancy_id)
    # Who may see the candidate first: a caller outside the tenancy learns nothing of the
    # vacancy's state (404, not 409).
    row = matchable(await visible_candidate(session, principal, command.candidate_id))
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is closed")
    repo = ProposalRepository(session)
    if await repo.open_for(vacancy.id, row.candidate_id) is not None:
        raise Conflict("this candidate is already proposed for this vacancy")
    match = score_one(profile_of(row), job_of(vacancy),
                      context_for(vacancy.gemeente, min_carved_hours))
    if not match.eligible:
        conflicts = ", ".join(f"{c.task}: {c.code}" for c in match.conflicts)
        raise UnprocessableState(f"the candidate cannot do this job, nor enough of it to "
                                 f"carve ({conflicts})")
    now = datetime.now(UTC)
    assert row.provider is not None
    proposal = repo.add(Proposal(
        id=uuid.uuid4(), vacancy_id=vacancy.id, candidate_id=row.candidate_id,
        gemeente=row.gemeente, provider=row.provider, proposed_by=principal.org,
        status=ProposalStatus.PROPOSED.value, score=Decimal(f"{match.score:.4f}"),
        carved_tasks=list(match.carving.tasks) if match.carving else None,
        proposed_at=now, updated_at=now, closed_at=None))
    publish(session, CandidateProposed(
        proposal_id=proposal.id, vacancy_id=vacancy.id, candidate_id=row.candidate_id,
        gemeente=row.gemeente, provider=row.provider, score=proposal.score, proposed_at=now),
        gemeente=row.gemeente, subject=row.candidate_id, oin=oin)
    await session.flush()
    return proposal


async def change_proposal(session: AsyncSession, *, principal: Principal,
                          proposal_id: uuid.UUID, command: ChangeProposalStatus,
                          oin: str) -> Proposal:
    """Move a proposal on; a closing move → matching.proposal-closed."""
    require_writer(principal)
    proposal = await ProposalRepository(session).visible(principal, proposal_id,
                                                         for_update=True)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id} for this organisation")
    try:
        new = workflow.transition(ProposalStatus(proposal.status), ProposalStatus(command.status))
    except workflow.IllegalTransition as exc:
        raise UnprocessableState(str(exc)) from exc
    now = datetime.now(UTC)
    proposal.status, proposal.updated_at = new.value, now
    if new in CLOSED_STATES:
        proposal.closed_at = now
        publish(session, ProposalClosed(
            proposal_id=proposal.id, vacancy_id=proposal.vacancy_id,
            candidate_id=proposal.candidate_id, gemeente=proposal.gemeente,
            outcome=ProposalOutcome(new.value), closed_at=now),
            gemeente=proposal.gemeente, subject=proposal.candidate_id, oin=oin)
    await session.flush()
    return proposal


async def end_placement(session: AsyncSession, *, principal: Principal,
                        placement_id: uuid.UUID, command: EndPlacement, oin: str) -> Placement:
    """End a placement with its reason → matching.placement-ended."""
    require_writer(principal)
    placement = await PlacementRepository(session).visible(principal, placement_id,
                                                           for_update=True)
    if placement is None:
        raise NotFound(f"no placement {placement_id} for this organisation")
    if placement.end_date is not None:
        raise UnprocessableState("the placement has already ended")
    checked(lambda: workflow.check_ending(placement.start_date, command.end_date))
    now = datetime.now(UTC)
    placement.end_date, placement.end_reason = command.end_date, command.reason.value
    placement.ended_at = now
    publish(session, PlacementEnded(
        placement_id=placement.id, candidate_id=placement.candidate_id,
        gemeente=placement.gemeente, provider=placement.provider,
        form=PlacementForm(placement.form), end_date=command.end_date, reason=command.reason,
        ended_at=now), gemeente=placement.gemeente, subject=placement.candidate_id, oin=oin)
    await session.flush()
    return placement
