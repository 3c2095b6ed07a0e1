"""Starting a placement by the law (issue 12): the use case, on the caller's unit of work.

Order: role; the candidate, locked (every placement of one person is checked under this lock,
so two requests for the same person serialise on Postgres; SQLite serialises writers at BEGIN);
employer, proposal and vacancy (locked: its positions fill); the form's own rules; the wage
floor and the beschut-werk indication from the events matching folded; the person's other
placements; then the row, its event and, when the positions are filled, the vacancy's closure.
Any refusal raises before anything is added, so nothing is half-written.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.commands import StartPlacement
from services.matching.domain import placement_rules as rules
from services.matching.domain import workflow
from services.matching.domain.workflow import ProposalStatus
from services.matching.handlers import (
    checked,
    close,
    publish,
    require_writer,
    visible_employer,
    visible_vacancy,
)
from services.matching.store.models import CandidateProfile, Placement, Proposal, Vacancy
from services.matching.store.repository import (
    OPEN,
    IndicationRepository,
    LegalParameterRepository,
    PlacementRepository,
    ProfileRepository,
    ProposalRepository,
)
from shared.auth import Principal
from shared.events.intake import IndicationDecision
from shared.events.matching import PlacementForm, PlacementStarted
from shared.minimum_wage import WML_HOURLY_CODE, needs_youth_share, youth_share_code
from shared.problems import BadRequest, Conflict, InvalidParam, NotFound, UnprocessableState


async def start_placement(session: AsyncSession, *, principal: Principal,
                          command: StartPlacement, max_hours_per_week: Decimal,
                          oin: str) -> Placement:
    """Start a placement → matching.placement-started (and vacancy-closed when filled)."""
    require_writer(principal)
    row = await ProfileRepository(session).visible(principal, command.candidate_id,
                                                   for_update=True)
    if row is None:
        raise NotFound(f"no candidate {command.candidate_id} for this organisation")
    if row.provider is None or row.closed:
        raise UnprocessableState("the candidate is not in a programme")
    employer = await visible_employer(session, principal, command.employer_id)
    vacancy_id = await _vacancy_of_proposal(session, principal, command)
    vacancy = None
    if vacancy_id is not None:
        vacancy = await visible_vacancy(session, principal, vacancy_id, for_update=True)
        if vacancy.status != OPEN:
            raise Conflict(f"vacancy {vacancy.id} is closed ({vacancy.close_reason})")
        if vacancy.employer_id != employer.id:
            raise BadRequest("the vacancy is another employer's", invalid_params=[
                InvalidParam("employerId", f"vacancy {vacancy.id} is at employer "
                             f"{vacancy.employer_id}")])
    checked(lambda: workflow.check_placement(command.form, command.start_date,
                                             command.planned_end, command.hourly_wage,
                                             through_uwv=command.through_uwv))
    checked(lambda: workflow.check_kvk(employer.kvk_number))
    await _check_the_law(session, row, command)
    await _check_beside(session, command, max_hours_per_week)

    now = datetime.now(UTC)
    placement = PlacementRepository(session).add(Placement(
        id=uuid.uuid4(), candidate_id=row.candidate_id, gemeente=row.gemeente,
        provider=row.provider, employer_id=employer.id, vacancy_id=vacancy_id,
        proposal_id=command.proposal_id, form=command.form.value,
        through_uwv=command.through_uwv, hours_per_week=command.hours_per_week,
        hourly_wage=command.hourly_wage, start_date=command.start_date,
        planned_end=command.planned_end, end_date=None, end_reason=None,
        placed_by=principal.org, started_at=now, ended_at=None))
    publish(session, PlacementStarted(
        placement_id=placement.id, candidate_id=row.candidate_id, gemeente=row.gemeente,
        provider=row.provider, employer_id=employer.id, employer_kvk=employer.kvk_number,
        vacancy_id=vacancy_id, proposal_id=command.proposal_id, form=command.form,
        hours_per_week=command.hours_per_week, hourly_wage=command.hourly_wage,
        start_date=command.start_date, planned_end=command.planned_end, started_at=now),
        gemeente=row.gemeente, subject=row.candidate_id, oin=oin)
    await session.flush()
    if vacancy is not None:
        await close_when_filled(session, vacancy, oin)
    return placement


async def _vacancy_of_proposal(session: AsyncSession, principal: Principal,
                               command: StartPlacement) -> uuid.UUID | None:
    """The vacancy to place on: the body's, or the proposal's (which must agree)."""
    if command.proposal_id is None:
        return command.vacancy_id
    proposal: Proposal | None = await ProposalRepository(session).visible(
        principal, command.proposal_id)
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
    earlier = await PlacementRepository(session).from_proposal(proposal.id)
    if earlier is not None:
        raise Conflict(f"placement {earlier.id} was already made from proposal {proposal.id}",
                       extra={"otherPlacementId": str(earlier.id)})
    return proposal.vacancy_id


async def _check_the_law(session: AsyncSession, row: CandidateProfile,
                         command: StartPlacement) -> None:
    """Wage floor (lks, sheltered) and beschut-werk indication (sheltered)."""
    if command.form in rules.FLOOR_FORMS:
        codes = [WML_HOURLY_CODE]
        age = needs_youth_share(row.birth_date, command.start_date)
        if age is not None:
            codes.append(youth_share_code(age))
        stored = await LegalParameterRepository(session).history(codes)
        history = {code: [rules.ParameterValue(p.effective_from, p.value) for p in values]
                   for code, values in stored.items()}
        floor = checked(lambda: rules.wage_floor(history, row.birth_date, command.start_date))
        checked(lambda: rules.check_wage(command.form, command.hourly_wage, floor))
    if command.form is PlacementForm.SHELTERED:
        decided = await IndicationRepository(session).of_candidate(row.candidate_id)
        indications = [rules.Indication(granted=i.decision == IndicationDecision.GRANTED.value,
                                        decided_on=i.decided_on, valid_until=i.valid_until)
                       for i in decided]
        checked(lambda: rules.check_indication(command.form, indications, command.start_date))


def _booked(placement: Placement) -> rules.Booked:
    return rules.Booked(
        placement_id=str(placement.id), employer_id=str(placement.employer_id),
        form=PlacementForm(placement.form), hours_per_week=placement.hours_per_week,
        start=placement.start_date,
        end=placement.end_date if placement.end_date is not None else placement.planned_end)


async def _check_beside(session: AsyncSession, command: StartPlacement,
                        max_hours_per_week: Decimal) -> None:
    """409 naming the other placement when this one cannot run beside it."""
    new = rules.Booked(placement_id="new", employer_id=str(command.employer_id),
                       form=command.form, hours_per_week=command.hours_per_week,
                       start=command.start_date, end=command.planned_end)
    others = await PlacementRepository(session).of_candidate(command.candidate_id)
    try:
        rules.check_beside(new, [_booked(p) for p in others], max_hours_per_week)
    except rules.PlacementClash as exc:
        raise Conflict(str(exc), extra={"otherPlacementId": exc.other_id}) from exc


async def close_when_filled(session: AsyncSession, vacancy: Vacancy, oin: str) -> None:
    """The placement that fills the last position closes the vacancy (reason "filled")."""
    placed = await PlacementRepository(session).count_for_vacancy(vacancy.id)
    if placed >= vacancy.positions:
        close(session, vacancy, "filled", oin)
        await session.flush()
