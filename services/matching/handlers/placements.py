"""Placements: starting one by the law (issue 12), ending one, reading them.

Starting, in order: role; the candidate, locked (every placement of one person is checked
under this lock, so two requests for the same person serialise on Postgres; SQLite serialises
writers at BEGIN); employer, proposal and vacancy (locked: its positions fill); the form's own
rules; the wage floor and the beschut-werk indication from the events matching folded; the
person's other placements; then the row, its event and, when the positions are filled, the
vacancy's closure.
Any refusal raises before anything is added, so nothing is half-written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from services.matching.commands import EndPlacement, StartPlacement
from services.matching.domain import placement_rules as rules
from services.matching.domain import workflow
from services.matching.domain.demands import DemandError
from services.matching.domain.workflow import ProposalStatus
from services.matching.handlers import require_reader, require_writer
from services.matching.handlers.vacancies import (
    close_when_filled,
    visible_employer,
    visible_vacancy,
)
from services.matching.store.models import CandidateProfile, Placement, Proposal
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.intake import IndicationDecision
from shared.events.matching import PlacementEnded, PlacementForm, PlacementStarted
from shared.http.pagination import PageParams
from shared.minimum_wage import WML_HOURLY_CODE, needs_youth_share, youth_share_code
from shared.problems import (
    BadRequest,
    Conflict,
    InvalidParam,
    NotFound,
    UnprocessableState,
    domain_rules,
)

# The placement rules name the field they break: a 400 with it as an invalidParam.
PLACEMENT_RULES = (DemandError, workflow.RuleViolation)


async def start_placement(uow: MatchingUnitOfWork, command: StartPlacement, *,
                          max_hours_per_week: Decimal) -> Placement:
    """Start a placement → matching.placement-started (and vacancy-closed when filled)."""
    principal = require_writer(uow)
    row = await uow.profiles.visible(command.candidate_id, for_update=True)
    if row is None:
        raise NotFound(f"no candidate {command.candidate_id} for this organisation")
    if row.provider is None or row.closed:
        raise UnprocessableState("the candidate is not in a programme")
    employer = await visible_employer(uow, command.employer_id)
    vacancy_id = await _vacancy_of_proposal(uow, command)
    vacancy = None
    if vacancy_id is not None:
        vacancy = await visible_vacancy(uow, vacancy_id, for_update=True)
        if vacancy.status != OPEN:
            raise Conflict(f"vacancy {vacancy.id} is closed ({vacancy.close_reason})")
        if vacancy.employer_id != employer.id:
            raise BadRequest("the vacancy is another employer's", invalid_params=[
                InvalidParam("employerId", f"vacancy {vacancy.id} is at employer "
                             f"{vacancy.employer_id}")])
    with domain_rules(*PLACEMENT_RULES, problem=BadRequest):
        workflow.check_placement(command.form, command.start_date, command.planned_end,
                                 command.hourly_wage, through_uwv=command.through_uwv)
        workflow.check_kvk(employer.kvk_number)
    await _check_the_law(uow, row, command)
    await _check_beside(uow, command, max_hours_per_week)

    now = datetime.now(UTC)
    placement = uow.placements.add(Placement(
        id=uuid.uuid4(), candidate_id=row.candidate_id, gemeente=row.gemeente,
        provider=row.provider, employer_id=employer.id, vacancy_id=vacancy_id,
        proposal_id=command.proposal_id, form=command.form.value,
        through_uwv=command.through_uwv, hours_per_week=command.hours_per_week,
        hourly_wage=command.hourly_wage, start_date=command.start_date,
        planned_end=command.planned_end, end_date=None, end_reason=None,
        placed_by=principal.org, started_at=now, ended_at=None))
    uow.outbox.add(PlacementStarted(
        placement_id=placement.id, candidate_id=row.candidate_id, gemeente=row.gemeente,
        provider=row.provider, employer_id=employer.id, employer_kvk=employer.kvk_number,
        vacancy_id=vacancy_id, proposal_id=command.proposal_id, form=command.form,
        hours_per_week=command.hours_per_week, hourly_wage=command.hourly_wage,
        start_date=command.start_date, planned_end=command.planned_end, started_at=now))
    await uow.flush()
    if vacancy is not None:
        await close_when_filled(uow, vacancy)
    return placement


async def _vacancy_of_proposal(uow: MatchingUnitOfWork,
                               command: StartPlacement) -> uuid.UUID | None:
    """The vacancy to place on: the body's, or the proposal's (which must agree)."""
    if command.proposal_id is None:
        return command.vacancy_id
    proposal: Proposal | None = await uow.proposals.visible(command.proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal {command.proposal_id} for this organisation")
    if proposal.candidate_id != command.candidate_id:
        raise BadRequest("the proposal is for another candidate", invalid_params=[
            InvalidParam("proposalId", f"proposal {proposal.id} proposes candidate "
                         f"{proposal.candidate_id}, not {command.candidate_id}")])
    if command.vacancy_id is not None and command.vacancy_id != proposal.vacancy_id:
        raise BadRequest("the proposal is for another vacancy", invalid_params=[
            InvalidParam("proposalId", f"proposal {proposal.id} is for vacancy "
                         f"{proposal.vacancy_id}, not {command.vacancy_id}")])
    if proposal.status != ProposalStatus.ACCEPTED.value:
        raise Conflict(f"proposal {proposal.id} is {proposal.status}: a placement comes from "
                       f"an accepted proposal")
    earlier = await uow.placements.from_proposal_unscoped(proposal.id)
    if earlier is not None:
        raise Conflict(f"placement {earlier.id} was already made from proposal {proposal.id}",
                       extra={"otherPlacementId": str(earlier.id)})
    return proposal.vacancy_id


async def _check_the_law(uow: MatchingUnitOfWork, row: CandidateProfile,
                         command: StartPlacement) -> None:
    """Wage floor (lks, sheltered) and beschut-werk indication (sheltered)."""
    if command.form in rules.FLOOR_FORMS:
        codes = [WML_HOURLY_CODE]
        age = needs_youth_share(row.birth_date, command.start_date)
        if age is not None:
            codes.append(youth_share_code(age))
        stored = await uow.legal_parameters.history_unscoped(codes)
        history = {code: [rules.ParameterValue(p.effective_from, p.value) for p in values]
                   for code, values in stored.items()}
        with domain_rules(*PLACEMENT_RULES, problem=BadRequest):
            floor = rules.wage_floor(history, row.birth_date, command.start_date)
            rules.check_wage(command.form, command.hourly_wage, floor)
    if command.form is PlacementForm.SHELTERED:
        decided = await uow.indications.of_candidate_unscoped(row.candidate_id)
        indications = [rules.Indication(granted=i.decision == IndicationDecision.GRANTED.value,
                                        decided_on=i.decided_on, valid_until=i.valid_until)
                       for i in decided]
        with domain_rules(*PLACEMENT_RULES, problem=BadRequest):
            rules.check_indication(command.form, indications, command.start_date)

def _booked(placement: Placement) -> rules.Booked:
    return rules.Booked(
        placement_id=str(placement.id), employer_id=str(placement.employer_id),
        form=PlacementForm(placement.form), hours_per_week=placement.hours_per_week,
        start=placement.start_date,
        end=placement.end_date if placement.end_date is not None else placement.planned_end)


async def _check_beside(uow: MatchingUnitOfWork, command: StartPlacement,
                        max_hours_per_week: Decimal) -> None:
    """409 naming the other placement when this one cannot run beside it."""
    new = rules.Booked(placement_id="new", employer_id=str(command.employer_id),
                       form=command.form, hours_per_week=command.hours_per_week,
                       start=command.start_date, end=command.planned_end)
    others = await uow.placements.of_candidate_unscoped(command.candidate_id)
    try:
        rules.check_beside(new, [_booked(p) for p in others], max_hours_per_week)
    except rules.PlacementClash as exc:
        # Not domain_rules: this 409 names the other placement in an extra member.
        raise Conflict(str(exc), extra={"otherPlacementId": exc.other_id}) from exc



async def end_placement(uow: MatchingUnitOfWork, command: EndPlacement) -> Placement:
    """End a placement with its reason → matching.placement-ended."""
    require_writer(uow)
    placement = await uow.placements.visible(command.placement_id, for_update=True)
    if placement is None:
        raise NotFound(f"no placement {command.placement_id} for this organisation")
    if placement.end_date is not None:
        raise UnprocessableState("the placement has already ended")
    with domain_rules(*PLACEMENT_RULES, problem=BadRequest):
        workflow.check_ending(placement.start_date, command.end_date)
    now = datetime.now(UTC)
    placement.end_date, placement.end_reason = command.end_date, command.reason.value
    placement.ended_at = now
    uow.outbox.add(PlacementEnded(
        placement_id=placement.id, candidate_id=placement.candidate_id,
        gemeente=placement.gemeente, provider=placement.provider,
        form=PlacementForm(placement.form), end_date=command.end_date, reason=command.reason,
        ended_at=now))
    await uow.flush()
    return placement


async def placement_page(uow: MatchingUnitOfWork, params: PageParams, *,
                         candidate_id: uuid.UUID | None = None,
                         ) -> tuple[Sequence[Placement], int]:
    """Placements of the caller's candidates, latest start first."""
    require_reader(uow)
    return await uow.placements.visible_page(params, candidate_id=candidate_id)


async def get_placement(uow: MatchingUnitOfWork, placement_id: uuid.UUID) -> Placement:
    """One placement of the caller's candidates, or 404."""
    require_reader(uow)
    placement = await uow.placements.visible(placement_id)
    if placement is None:
        raise NotFound(f"no placement {placement_id} for this organisation")
    return placement
