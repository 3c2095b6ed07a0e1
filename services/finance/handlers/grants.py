"""The LKS grant lifecycle, driven by matching's placements and diagnose's loonwaarden.

A placement in form lks or sheltered (beschut werk, art. 10b: LKS on the same formula) with a
valid loonwaarde gets a *pending* grant: finance's proposal, computed with the jeugd-WML for the
employee's age when intake sent a birth date. The college decides or refuses it
(handlers/grant_decisions.py); only then is `finance.lks-granted` published and the grant paid.
A sheltered placement without a granted indication in force, or a wage below the minimum wage
for the age, is refused at once (`finance.lks-refused`): finance never pays those.

Events may come in any order and more than once: the inbox skips a redelivered event, and the
primary keys (placement id, measurement id) and the one-grant-per-placement constraint make a
re-published copy a no-op.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from services.finance.domain import lks
from services.finance.domain.parameters import MissingParameter, ParameterTable
from services.finance.domain.statuses import ACTIVE, ENDED, FINANCE_ITSELF, PENDING, REFUSED
from services.finance.handlers import budgets
from services.finance.store.models import Grant, Placement, WageValue
from services.finance.unit_of_work import FinanceUnitOfWork
from shared.events.diagnose import WageValueMeasured
from shared.events.finance import (
    LksAdjusted,
    LksEnded,
    LksGranted,
    LksRefusalReason,
    LksRefused,
    ReassessmentDue,
)
from shared.events.matching import PlacementEnded, PlacementForm, PlacementStarted
from shared.logging import get_logger
from shared.minimum_wage import needs_youth_share

GRANTED_FORMS = (PlacementForm.LKS, PlacementForm.SHELTERED)

log = get_logger(__name__)


async def lock_candidate(uow: FinanceUnitOfWork, candidate_id: uuid.UUID) -> None:
    """Serialise the events of one candidate until this transaction ends.

    A placement and its loonwaarde come through two consumers at once; without this, each could
    miss the other's uncommitted row and the grant would never be made. SQLite already runs one
    writer at a time; Postgres takes a transaction-scoped advisory lock on the candidate.
    """
    await uow.candidates.lock(candidate_id)


def full_month_amount(table: ParameterTable, day: date, hours: Decimal, wage: Decimal,
                      pct: int, birth_date: date | None = None) -> Decimal:
    """A full calendar month at these terms with the parameters of `day` and the WML for the
    age on `day` (the event's and the decision's figure)."""
    job = lks.Job(hours_per_week=hours, hourly_wage=wage, wage_value_pct=Decimal(pct))
    age = needs_youth_share(birth_date, day)
    return lks.calculate(job, table.lks_on(day, age)).monthly_amount


async def placement_started(uow: FinanceUnitOfWork, event: PlacementStarted) -> None:
    """Record the placement; an LKS one is granted, or listed as not payable with the reason."""
    await lock_candidate(uow, event.candidate_id)
    placement = await uow.placements.get_unscoped(event.placement_id)
    if placement is not None and placement.start_date is not None:
        return  # the same placement announced again
    if placement is None:
        placement = Placement(placement_id=event.placement_id, candidate_id=event.candidate_id,
                              gemeente=event.gemeente, provider=event.provider,
                              form=event.form.value)
        uow.placements.add(placement)
    placement.employer_kvk, placement.hours_per_week = event.employer_kvk, event.hours_per_week
    placement.hourly_wage, placement.start_date = event.hourly_wage, event.start_date
    await uow.flush()
    if event.form in GRANTED_FORMS:
        await try_grant(uow, placement)
    if event.form is not PlacementForm.REGULAR:
        await budgets.check_guidance(uow, event.gemeente, event.start_date.year)


async def try_grant(uow: FinanceUnitOfWork, placement: Placement) -> Grant | None:
    """Propose a pending grant if a valid loonwaarde allows it; refuse it when the law rules it
    out (sheltered work without an indication, a wage below the minimum); else mark the
    placement not payable with the reason."""
    assert placement.start_date is not None
    assert placement.hours_per_week is not None and placement.hourly_wage is not None
    if placement.form == PlacementForm.SHELTERED.value and not await \
            uow.candidates.indication_in_force_unscoped(placement.candidate_id,
                                                        placement.start_date):
        return refuse_on_arrival(uow, placement, LksRefusalReason.NO_SHELTERED_INDICATION, None)
    periods = await uow.candidates.wage_values_unscoped(placement.candidate_id)
    start = lks.grant_start(placement.start_date, placement.end_date, periods)
    if start.valid_from is None or start.wage_value_pct is None:
        _not_payable(placement, start.reason or lks.WAGE_VALUE_MISSING)
        return None
    table = await uow.parameters.table()
    birth_date = await uow.candidates.birth_date_unscoped(placement.candidate_id)
    age = needs_youth_share(birth_date, start.valid_from)
    try:
        used = table.lks_rows_on(start.valid_from, age)
        amount = full_month_amount(table, start.valid_from, placement.hours_per_week,
                                   placement.hourly_wage, start.wage_value_pct, birth_date)
    except MissingParameter:
        _not_payable(placement, lks.NO_PARAMETERS)
        return None
    if lks.below_minimum_wage(placement.hourly_wage, used, age) is not None:
        return refuse_on_arrival(uow, placement, LksRefusalReason.WAGE_BELOW_MINIMUM,
                                 start.wage_value_pct)
    grant = uow.grants.add(
        _new_grant(placement, start.valid_from, start.wage_value_pct, amount, PENDING))
    placement.unpayable_reason, placement.unpayable_since = None, None
    await uow.flush()
    return grant


def _new_grant(placement: Placement, valid_from: date, pct: int, amount: Decimal,
               status: str) -> Grant:
    assert placement.employer_kvk is not None
    assert placement.hours_per_week is not None and placement.hourly_wage is not None
    return Grant(
        id=uuid.uuid4(), placement_id=placement.placement_id,
        candidate_id=placement.candidate_id, gemeente=placement.gemeente,
        provider=placement.provider, employer_kvk=placement.employer_kvk,
        hours_per_week=placement.hours_per_week, hourly_wage=placement.hourly_wage,
        valid_from=valid_from, end_date=placement.end_date, status=status,
        wage_value_pct=pct, wage_value_from=valid_from, monthly_amount=amount,
        granted_at=datetime.now(UTC), form=placement.form)


def refuse_on_arrival(uow: FinanceUnitOfWork, placement: Placement, reason: LksRefusalReason,
                      pct: int | None) -> Grant:
    """A grant the law rules out, refused as it arrives (amount 0; loonwaarde 0 when none was
    measured yet) → finance.lks-refused. Never paid: payment runs take decided grants only."""
    assert placement.start_date is not None
    grant = _new_grant(placement, placement.start_date, pct or 0, Decimal(0), REFUSED)
    now = datetime.now(UTC)
    grant.refusal_reason, grant.decided_at, grant.decided_by = reason.value, now, FINANCE_ITSELF
    uow.grants.add(grant)
    placement.unpayable_reason, placement.unpayable_since = None, None
    publish(uow, grant, LksRefused(
        grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, reason=reason, refused_at=now))
    log.info("finance.grant_refused", grant_id=str(grant.id), reason=reason.value)
    return grant


def _not_payable(placement: Placement, reason: str) -> None:
    if placement.unpayable_reason != reason:
        placement.unpayable_reason, placement.unpayable_since = reason, datetime.now(UTC)
    log.info("finance.placement_not_payable", placement_id=str(placement.placement_id),
             reason=reason)


def publish(uow: FinanceUnitOfWork, grant: Grant,
            data: LksGranted | LksAdjusted | LksEnded | LksRefused) -> None:
    """One of finance's grant events in the outbox, under the grant's gemeente and with the
    candidate as its subject."""
    uow.outbox.add(data, gemeente=grant.gemeente, subject_id=str(grant.candidate_id))


def end_grant(uow: FinanceUnitOfWork, grant: Grant, end_date: date) -> None:
    """The placement ended: so does its grant."""
    grant.status, grant.end_date = ENDED, end_date
    publish(uow, grant, LksEnded(
        grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, end_date=end_date, ended_at=datetime.now(UTC)))


async def placement_ended(uow: FinanceUnitOfWork, event: PlacementEnded) -> None:
    """End the placement and its grant (kept for the start if that has not arrived yet)."""
    await lock_candidate(uow, event.candidate_id)
    placement = await uow.placements.get_unscoped(event.placement_id)
    if placement is None:
        uow.placements.add(Placement(
            placement_id=event.placement_id, candidate_id=event.candidate_id,
            gemeente=event.gemeente, provider=event.provider, form=event.form.value,
            end_date=event.end_date))
        await uow.flush()
        return
    if placement.end_date is not None:
        return
    placement.end_date = event.end_date
    grant = await uow.grants.of_placement_unscoped(event.placement_id)
    if grant is not None and grant.status == ACTIVE:
        end_grant(uow, grant, event.end_date)
    elif grant is not None and grant.status in (PENDING, REFUSED):
        # Not granted (yet): no lks-ended; a later decision grants the days it ran.
        grant.end_date = event.end_date
    await uow.flush()


async def wage_value_measured(uow: FinanceUnitOfWork, event: WageValueMeasured) -> None:
    """Store the loonwaarde; adjust running grants from its date; grant waiting placements."""
    await lock_candidate(uow, event.candidate_id)
    if await uow.candidates.wage_value_unscoped(event.measurement_id) is not None:
        return
    uow.candidates.add_measurement(WageValue(
        measurement_id=event.measurement_id, candidate_id=event.candidate_id,
        gemeente=event.gemeente, provider=event.provider, wage_value_pct=event.wage_value_pct,
        measured_at=event.measured_at, valid_until=event.valid_until))
    await uow.flush()
    table = await uow.parameters.table()
    birth_date = await uow.candidates.birth_date_unscoped(event.candidate_id)
    for grant in await uow.grants.of_candidate_unscoped(event.candidate_id, ACTIVE):
        if event.measured_at > grant.wage_value_from:
            _adjust(uow, grant, event, table, birth_date)
    for grant in await uow.grants.of_candidate_unscoped(event.candidate_id, PENDING):
        if event.measured_at > grant.wage_value_from:
            _repropose(grant, event.measured_at, event.wage_value_pct, table, birth_date)
    for placement in await uow.placements.waiting_unscoped(event.candidate_id):
        if placement.start_date is not None:
            await try_grant(uow, placement)
    await uow.flush()


def _repropose(grant: Grant, day: date, pct: int, table: ParameterTable,
               birth_date: date | None) -> None:
    """A pending proposal follows the latest loonwaarde (no event: nothing was granted yet)."""
    try:
        amount = full_month_amount(table, day, grant.hours_per_week, grant.hourly_wage, pct,
                                   birth_date)
    except MissingParameter:
        return
    grant.wage_value_pct, grant.wage_value_from, grant.monthly_amount = pct, day, amount


def _adjust(uow: FinanceUnitOfWork, grant: Grant, event: WageValueMeasured,
            table: ParameterTable, birth_date: date | None) -> None:
    try:
        amount = full_month_amount(table, event.measured_at, grant.hours_per_week,
                                   grant.hourly_wage, event.wage_value_pct, birth_date)
    except MissingParameter:
        return  # cannot happen after a grant was possible; never blocks the measurement
    grant.wage_value_pct, grant.wage_value_from = event.wage_value_pct, event.measured_at
    grant.monthly_amount = amount
    publish(uow, grant, LksAdjusted(
        grant_id=grant.id, placement_id=grant.placement_id, candidate_id=grant.candidate_id,
        gemeente=grant.gemeente, wage_value_pct=event.wage_value_pct, monthly_amount=amount,
        effective_from=event.measured_at, adjusted_at=datetime.now(UTC)))


async def due_reassessments(uow: FinanceUnitOfWork, *, today: date, lead_days: int,
                            lock: bool) -> int:
    """Ask diagnose for a new loonwaarde `lead_days` before the current one expires.

    Only a candidate's latest measurement counts, only with a running grant, and only once per
    measurement (`reassessment_due_at`); rows are locked so two replicas never both ask.
    """
    now = datetime.now(UTC)
    measurements = await uow.candidates.due_for_reassessment_unscoped(today, lead_days,
                                                                      lock=lock)
    for measurement in measurements:
        measurement.reassessment_due_at = now
        uow.outbox.add(ReassessmentDue(
            candidate_id=measurement.candidate_id, gemeente=measurement.gemeente,
            provider=measurement.provider, measurement_id=measurement.measurement_id,
            valid_until=measurement.valid_until, due_date=measurement.valid_until),
            gemeente=measurement.gemeente, subject_id=str(measurement.candidate_id))
    await uow.flush()
    return len(measurements)
