"""Proposals: a candidate who fits a vacancy (or a carving of it), proposed to the employer,
and moved on to an interview and an outcome. They flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from services.matching.commands import MoveProposal, ProposeCandidate
from services.matching.domain import workflow
from services.matching.domain.scoring import score_one
from services.matching.domain.workflow import CLOSED_STATES, ProposalStatus
from services.matching.handlers import require_reader, require_writer
from services.matching.handlers.matches import matchable, visible_candidate
from services.matching.handlers.vacancies import visible_vacancy
from services.matching.matcher import context_for, job_of, profile_of
from services.matching.store.models import Proposal
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.matching import CandidateProposed, ProposalClosed, ProposalOutcome
from shared.http.pagination import PageParams
from shared.problems import Conflict, NotFound, UnprocessableState, domain_rules


async def propose(uow: MatchingUnitOfWork, command: ProposeCandidate, *,
                  min_carved_hours: float) -> Proposal:
    """Propose a candidate who fits the vacancy (or a carving of it)."""
    principal = require_writer(uow)
    vacancy = await visible_vacancy(uow, command.vacancy_id)
    # Who may see the candidate first: a caller outside the tenancy learns nothing of the
    # vacancy's state (404, not 409).
    row = matchable(await visible_candidate(uow, command.candidate_id))
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is closed")
    if await uow.proposals.open_for_unscoped(vacancy.id, row.candidate_id) is not None:
        raise Conflict("this candidate is already proposed for this vacancy")
    match = score_one(profile_of(row), job_of(vacancy),
                      context_for(vacancy.gemeente, min_carved_hours))
    if not match.eligible:
        conflicts = ", ".join(f"{c.task}: {c.code}" for c in match.conflicts)
        raise UnprocessableState(f"the candidate cannot do this job, nor enough of it to "
                                 f"carve ({conflicts})")
    now = datetime.now(UTC)
    assert row.provider is not None  # matchable: in a programme, so run by an uitvoerder
    proposal = uow.proposals.add(Proposal(
        id=uuid.uuid4(), vacancy_id=vacancy.id, candidate_id=row.candidate_id,
        gemeente=row.gemeente, provider=row.provider, proposed_by=principal.org,
        status=ProposalStatus.PROPOSED.value, score=Decimal(f"{match.score:.4f}"),
        carved_tasks=list(match.carving.tasks) if match.carving else None,
        proposed_at=now, updated_at=now, closed_at=None))
    uow.outbox.add(CandidateProposed(
        proposal_id=proposal.id, vacancy_id=vacancy.id, candidate_id=row.candidate_id,
        gemeente=row.gemeente, provider=row.provider, score=proposal.score, proposed_at=now))
    await uow.flush()
    return proposal


async def move_proposal(uow: MatchingUnitOfWork, command: MoveProposal) -> Proposal:
    """Move a proposal on; a closing move → matching.proposal-closed."""
    require_writer(uow)
    proposal = await uow.proposals.visible(command.proposal_id, for_update=True)
    if proposal is None:
        raise NotFound(f"no proposal {command.proposal_id} for this organisation")
    with domain_rules(workflow.IllegalTransition):
        new = workflow.transition(ProposalStatus(proposal.status), command.status)
    now = datetime.now(UTC)
    proposal.status, proposal.updated_at = new.value, now
    if new in CLOSED_STATES:
        proposal.closed_at = now
        uow.outbox.add(ProposalClosed(
            proposal_id=proposal.id, vacancy_id=proposal.vacancy_id,
            candidate_id=proposal.candidate_id, gemeente=proposal.gemeente,
            outcome=ProposalOutcome(new.value), closed_at=now))
    await uow.flush()
    return proposal


async def proposal_page(uow: MatchingUnitOfWork, params: PageParams, *,
                        candidate_id: uuid.UUID | None = None,
                        vacancy_id: uuid.UUID | None = None,
                        status: ProposalStatus | None = None,
                        ) -> tuple[Sequence[Proposal], int]:
    """Proposals of the caller's candidates, newest first."""
    require_reader(uow)
    return await uow.proposals.visible_page(
        params, candidate_id=candidate_id, vacancy_id=vacancy_id,
        status=None if status is None else status.value)


async def get_proposal(uow: MatchingUnitOfWork, proposal_id: uuid.UUID) -> Proposal:
    """One proposal of the caller's candidates, or 404."""
    require_reader(uow)
    proposal = await uow.proposals.visible(proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id} for this organisation")
    return proposal
