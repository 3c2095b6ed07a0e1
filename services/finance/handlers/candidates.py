"""What finance folds from intake: a candidate's birth date (the jeugd-WML follows the age)
and beschut-werk indications (LKS on a sheltered placement only with one in force).

Events may come in any order and more than once: primary keys make a re-published copy a
no-op. A birth date arriving after a pending grant re-computes that proposal.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.finance import grants
from services.finance.domain.parameters import MissingParameter
from services.finance.store.models import Candidate, Placement, ShelteredIndication
from services.finance.store.repository import (
    indication_in_force,
    load_parameters,
    pending_grants_of,
    refused_for_want_of_indication,
)
from shared.events.intake import (
    CandidateRegistered,
    IndicationDecision,
    ShelteredWorkIndicationDecided,
)


async def candidate_registered(session: AsyncSession, *, event: CandidateRegistered) -> None:
    """Keep the birth date (nothing else of the person); re-compute pending proposals."""
    await grants.lock_candidate(session, event.candidate_id)
    candidate = await session.get(Candidate, event.candidate_id)
    if candidate is None:
        session.add(Candidate(candidate_id=event.candidate_id, gemeente=event.gemeente,
                              birth_date=event.birth_date))
    elif candidate.birth_date is None and event.birth_date is not None:
        candidate.birth_date = event.birth_date
    else:
        return
    await session.flush()
    if event.birth_date is None:
        return
    table = await load_parameters(session)
    for grant in await pending_grants_of(session, event.candidate_id):
        try:
            grant.monthly_amount = grants.full_month_amount(
                table, grant.wage_value_from, grant.hours_per_week, grant.hourly_wage,
                grant.wage_value_pct, event.birth_date)
        except MissingParameter:
            continue
    await session.flush()


async def indication_decided(session: AsyncSession, *, event: ShelteredWorkIndicationDecided,
                             oin: str) -> None:
    """Keep the college's beschut-werk decision with its dates.

    Intake's and matching's streams are consumed independently, so a sheltered placement can
    arrive before the indication that matching checked: finance then refused it for want of an
    indication. A granted indication in force on the placement's start withdraws that automatic
    refusal (the refused grant is removed; the lks-refused event stays in the history) and
    proposes a new pending grant for the college to decide.
    """
    await grants.lock_candidate(session, event.candidate_id)
    if await session.get(ShelteredIndication, event.indication_id) is not None:
        return
    session.add(ShelteredIndication(
        indication_id=event.indication_id, candidate_id=event.candidate_id,
        gemeente=event.gemeente, decision=event.decision.value, decided_on=event.decided_on,
        valid_until=event.valid_until))
    await session.flush()
    if event.decision is not IndicationDecision.GRANTED:
        return
    for grant in await refused_for_want_of_indication(session, event.candidate_id):
        placement = await session.get(Placement, grant.placement_id)
        if placement is None or placement.start_date is None or not await indication_in_force(
                session, event.candidate_id, placement.start_date):
            continue
        await session.delete(grant)
        await session.flush()
        await grants.try_grant(session, placement, oin)
    await session.flush()
