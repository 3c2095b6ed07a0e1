"""The college's LKS decision (beschikking) on finance's pending proposal: grant or refuse.

The decided amount and loonwaarde must be what finance computes for the decided start (the
formula of domain/lks.py, the loonwaarde in force that day, the WML for the age that day): a
different figure is a 400 that names finance's figure and why, so a decision never pays what
the law does not give, and the payment run pays exactly what was decided.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from services.finance.commands import DecideGrant, RefuseGrant
from services.finance.domain import lks
from services.finance.domain.parameters import MissingParameter
from services.finance.domain.statuses import ACTIVE, ENDED, PENDING, REFUSED
from services.finance.handlers import access, grant_queries, grants
from services.finance.handlers.grant_queries import ShownGrant
from services.finance.store.models import Grant
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.events.finance import LksEnded, LksGranted, LksRefused
from shared.problems import BadRequest, Conflict, InvalidParam, NotFound


def _invalid(field: str, reason: str) -> BadRequest:
    return BadRequest(f"{field}: {reason}", invalid_params=[InvalidParam(field, reason)])


def _decider(uow: FinanceUnitOfWork) -> str:
    """Who decided, as the grant keeps it: "sub@GM0757"."""
    return f"{uow.principal.subject}@{uow.principal.org}"


async def _pending(uow: FinanceUnitOfWork, grant_id: uuid.UUID) -> Grant:
    """The deciding gemeente's own grant (404 for any other), still pending (409 once
    decided)."""
    principal = uow.require(*access.DECIDERS, kinds=access.GEMEENTE_ONLY)
    grant = await uow.grants.get(grant_id)
    if grant is None:
        raise NotFound(f"no grant {grant_id} of {principal.org}")
    await grants.lock_candidate(uow, grant.candidate_id)
    await uow.grants.refresh(grant)
    if grant.status != PENDING:
        raise Conflict(f"grant {grant_id} is {grant.status} already; a decision is made once")
    return grant


async def decide_grant(uow: FinanceUnitOfWork, command: DecideGrant) -> ShownGrant:
    """Grant on the decided terms → finance.lks-granted (and lks-ended when the placement
    already ended); the payment runs pay it from then on."""
    grant = await _pending(uow, command.grant_id)
    if command.start < grant.valid_from:
        raise _invalid("start", f"no valid loonwaarde before {grant.valid_from.isoformat()}: "
                       "the grant can start from that day")
    if grant.end_date is not None and command.start > grant.end_date:
        raise _invalid("start", f"the placement ended on {grant.end_date.isoformat()}")
    if command.reassessment_date <= command.start:
        raise _invalid("reassessmentDate", "must lie after the start")
    periods = await uow.candidates.wage_values_unscoped(grant.candidate_id)
    pct = lks.wage_value_on(periods, command.start)
    if pct is None:
        raise _invalid("start", f"no loonwaarde in force on {command.start.isoformat()}")
    if command.wage_value_pct != pct:
        raise _invalid("wageValuePct", f"the loonwaarde in force on {command.start.isoformat()} "
                       f"is {pct} %: decide on that one, or have diagnose measure again")
    birth_date = await uow.candidates.birth_date_unscoped(grant.candidate_id)
    try:
        amount = grants.full_month_amount(await uow.parameters.table(), command.start,
                                          grant.hours_per_week, grant.hourly_wage, pct,
                                          birth_date)
    except MissingParameter as exc:
        raise _invalid("start", f"no parameters: {exc}") from exc
    if command.monthly_amount != amount:
        basis = "adult WML (birth date unknown)" if birth_date is None else "WML for the age"
        raise _invalid("monthlyAmount", f"finance computes {amount} a month for loonwaarde "
                       f"{pct} % from {command.start.isoformat()} ({basis}, "
                       f"{grant.hours_per_week} h/week, {grant.hourly_wage}/h)")
    now = datetime.now(UTC)
    grant.status = ENDED if grant.end_date is not None else ACTIVE
    grant.valid_from = grant.wage_value_from = command.start
    grant.wage_value_pct = pct
    grant.monthly_amount, grant.decision_number = amount, command.decision_number
    grant.reassessment_date, grant.decided_at = command.reassessment_date, now
    grant.decided_by = _decider(uow)
    grants.publish(uow, grant, LksGranted(
        grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, employer_kvk=grant.employer_kvk, wage_value_pct=pct,
        monthly_amount=amount, valid_from=command.start,
        decision_number=command.decision_number, reassessment_date=command.reassessment_date,
        granted_at=now))
    if grant.end_date is not None:
        grants.publish(uow, grant, LksEnded(
            grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
            gemeente=grant.gemeente, end_date=grant.end_date, ended_at=now))
    await uow.flush()
    return (await grant_queries.shown(uow, [grant]))[0]


async def refuse_grant(uow: FinanceUnitOfWork, command: RefuseGrant) -> ShownGrant:
    """Refuse with the reason → finance.lks-refused; a refused grant is never paid."""
    grant = await _pending(uow, command.grant_id)
    now = datetime.now(UTC)
    grant.status, grant.refusal_reason = REFUSED, command.reason.value
    grant.decided_at, grant.decided_by = now, _decider(uow)
    grants.publish(uow, grant, LksRefused(
        grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, reason=command.reason, refused_at=now))
    await uow.flush()
    return (await grant_queries.shown(uow, [grant]))[0]
