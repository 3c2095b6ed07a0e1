"""What finance folds from intake: a candidate's birth date (the jeugd-WML follows the age)
and beschut-werk indications (LKS on a sheltered placement only with one in force).

Events may come in any order and more than once: primary keys make a re-published copy a
no-op. A birth date arriving after a pending grant re-computes that proposal.
"""

from __future__ import annotations

from services.finance.domain.parameters import MissingParameter
from services.finance.domain.statuses import PENDING
from services.finance.handlers import grants
from services.finance.store.models import Candidate, ShelteredIndication
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.events.intake import (
    CandidateRegistered,
    IndicationDecision,
    ShelteredWorkIndicationDecided,
)


async def candidate_registered(uow: FinanceUnitOfWork, event: CandidateRegistered) -> None:
    """Keep the birth date (nothing else of the person); re-compute pending proposals."""
    await grants.lock_candidate(uow, event.candidate_id)
    candidate = await uow.candidates.get_unscoped(event.candidate_id)
    if candidate is None:
        uow.candidates.add(Candidate(candidate_id=event.candidate_id,
                                     gemeente=event.gemeente, birth_date=event.birth_date))
    elif candidate.birth_date is None and event.birth_date is not None:
        candidate.birth_date = event.birth_date
    else:
        return
    await uow.flush()
    if event.birth_date is None:
        return
    pending = await uow.grants.of_candidate_unscoped(event.candidate_id, PENDING)
    if not pending:  # the common case: the registration comes before any placement
        return
    table = await uow.parameters.table()
    for grant in pending:
        try:
            grant.monthly_amount = grants.full_month_amount(
                table, grant.wage_value_from, grant.hours_per_week, grant.hourly_wage,
                grant.wage_value_pct, event.birth_date)
        except MissingParameter:
            continue
    await uow.flush()


async def indication_decided(uow: FinanceUnitOfWork,
                             event: ShelteredWorkIndicationDecided) -> None:
    """Keep the college's beschut-werk decision with its dates.

    Intake's and matching's streams are consumed independently, so a sheltered placement can
    arrive before the indication that matching checked: finance then refused it for want of an
    indication. A granted indication in force on the placement's start withdraws that automatic
    refusal (the refused grant is removed; the lks-refused event stays in the history) and
    proposes a new pending grant for the college to decide.
    """
    await grants.lock_candidate(uow, event.candidate_id)
    if await uow.candidates.indication_unscoped(event.indication_id) is not None:
        return
    uow.candidates.add_indication(ShelteredIndication(
        indication_id=event.indication_id, candidate_id=event.candidate_id,
        gemeente=event.gemeente, decision=event.decision.value, decided_on=event.decided_on,
        valid_until=event.valid_until))
    await uow.flush()
    if event.decision is not IndicationDecision.GRANTED:
        return
    for grant in await uow.grants.refused_for_want_of_indication_unscoped(event.candidate_id):
        placement = await uow.placements.get_unscoped(grant.placement_id)
        if placement is None or placement.start_date is None or not await \
                uow.candidates.indication_in_force_unscoped(event.candidate_id,
                                                            placement.start_date):
            continue
        await uow.grants.delete(grant)
        await grants.try_grant(uow, placement)
    await uow.flush()
