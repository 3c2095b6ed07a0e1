"""Finance's repositories, built by the unit of work with the caller's Principal.

Reads a caller makes are scoped by that Principal (a gemeente its own grants, placements and
runs; an uitvoerder those of placements it runs). Reads the event handlers, the payment run and
the re-assessment scan make have no caller and say so in their name (`..._unscoped`): they go
by the event's or the run's own ids. They flush, never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, exists, func, or_, select, text
from sqlalchemy.orm import aliased

from services.finance.domain.lks import WageValuePeriod
from services.finance.domain.parameters import Parameter, ParameterTable
from services.finance.domain.statuses import ACTIVE, FINANCE_ITSELF, PENDING, REFUSED
from services.finance.store.models import (
    Budget,
    Candidate,
    Grant,
    ParameterRow,
    PaymentLine,
    PaymentRun,
    Placement,
    Reserve,
    ShelteredIndication,
    Tariff,
    WageValue,
)
from services.finance.store.queries import (
    GUIDED_FORMS_EXCLUDE,
    active_between,
    grant_scope,
    placement_scope,
)
from shared.events.finance import LksRefusalReason
from shared.figures import PW_PLACE_FORMS, SW_PLACE_FORMS
from shared.repository import Repository


class ParameterRepository(Repository[ParameterRow]):
    """National legal parameters: the same for every caller (no tenant to scope by)."""

    model = ParameterRow

    async def table(self) -> ParameterTable:
        """The whole parameter table (a few dozen rows)."""
        rows = await self.session.scalars(select(ParameterRow))
        return ParameterTable(
            Parameter(code=r.code, effective_from=r.effective_from, value=r.value, unit=r.unit,
                      source=r.source) for r in rows)

    async def unpublished_unscoped(self, *, lock: bool) -> Sequence[ParameterRow]:
        """Rows whose announcement is not in the outbox yet; locked rows are skipped, so a
        second replica never announces them too."""
        query = select(ParameterRow).where(ParameterRow.published_at.is_(None)).order_by(
            ParameterRow.code, ParameterRow.effective_from)
        if lock:
            query = query.with_for_update(skip_locked=True)
        return (await self.session.scalars(query)).all()


class GrantRepository(Repository[Grant]):
    """Grants: the caller's (grant_scope) for requests, by candidate for the events."""

    model = Grant

    def visible(self, status: str | None = None,
                candidate_id: uuid.UUID | None = None) -> Select[Grant]:
        """The caller's grants, newest first (deterministic: id breaks ties)."""
        query = select(Grant).where(grant_scope(self.principal))
        if status is not None:
            query = query.where(Grant.status == status)
        if candidate_id is not None:
            query = query.where(Grant.candidate_id == candidate_id)
        return query.order_by(Grant.granted_at.desc(), Grant.id)

    def pending_worklist(self) -> Select[Grant]:
        """The caller's pending grants, oldest first."""
        return self.visible(PENDING).order_by(None).order_by(Grant.granted_at, Grant.id)

    async def get(self, grant_id: uuid.UUID) -> Grant | None:
        """The grant if the caller may see it, else None (404: not admitted to exist)."""
        grant: Grant | None = await self.session.scalar(self.visible().filter_by(id=grant_id))
        return grant

    async def with_expired_wage_value(self, on: date) -> list[tuple[Grant, date]]:
        """The caller's running grants whose candidate has no loonwaarde valid on `on`: not
        paid from the day after the last one expired, so they are on the worklist until
        diagnose measures again."""
        latest = (select(WageValue.candidate_id,
                         func.max(WageValue.valid_until).label("valid_until"))
                  .group_by(WageValue.candidate_id).subquery())
        query = (select(Grant, latest.c.valid_until)
                 .join(latest, latest.c.candidate_id == Grant.candidate_id)
                 .where(grant_scope(self.principal), Grant.status == ACTIVE,
                        or_(Grant.end_date.is_(None), Grant.end_date >= on),
                        latest.c.valid_until < on)
                 .order_by(latest.c.valid_until, Grant.placement_id))
        return [(grant, valid_until) for grant, valid_until in await self.session.execute(query)]

    async def of_placement_unscoped(self, placement_id: uuid.UUID) -> Grant | None:
        """The placement's grant (one per placement)."""
        return await self.session.scalar(select(Grant).where(Grant.placement_id == placement_id))

    async def of_candidate_unscoped(self, candidate_id: uuid.UUID,
                                    status: str) -> Sequence[Grant]:
        """A candidate's grants in one status (active: running; pending: waiting)."""
        return (await self.session.scalars(select(Grant).where(
            Grant.candidate_id == candidate_id, Grant.status == status))).all()

    async def refused_for_want_of_indication_unscoped(
            self, candidate_id: uuid.UUID) -> Sequence[Grant]:
        """The candidate's grants finance itself refused for want of a beschut-werk indication."""
        return (await self.session.scalars(select(Grant).where(
            Grant.candidate_id == candidate_id, Grant.status == REFUSED,
            Grant.refusal_reason == LksRefusalReason.NO_SHELTERED_INDICATION.value,
            Grant.decided_by == FINANCE_ITSELF))).all()

    async def refresh(self, grant: Grant) -> None:
        """Read the grant again (after the candidate's lock: another decision may have won)."""
        await self.session.refresh(grant)

    async def delete(self, grant: Grant) -> None:
        """Remove a grant (an automatic refusal an indication withdrew)."""
        await self.session.delete(grant)
        await self.session.flush()


class PlacementRepository(Repository[Placement]):
    """Placements as matching announced them."""

    model = Placement

    async def unpayable(self) -> Sequence[Placement]:
        """The caller's running LKS placements without a grant, oldest first."""
        return (await self.session.scalars(
            select(Placement).where(placement_scope(self.principal),
                                    Placement.unpayable_reason.is_not(None),
                                    Placement.end_date.is_(None))
            .order_by(Placement.unpayable_since, Placement.placement_id))).all()

    async def waiting_unscoped(self, candidate_id: uuid.UUID) -> Sequence[Placement]:
        """A candidate's LKS placements that wait for a (valid) loonwaarde."""
        return (await self.session.scalars(select(Placement).where(
            Placement.candidate_id == candidate_id,
            Placement.unpayable_reason.is_not(None)))).all()

    async def placed_count_unscoped(self, gemeente: str, first: date, last: date,
                                    provider: str | None = None,
                                    form: str | None = None) -> int:
        """Placements of a gemeente (needing guidance) that run on a day of [first, last];
        the handler checked first that the caller may see this gemeente's figures."""
        query = select(func.count()).select_from(Placement).where(
            Placement.gemeente == gemeente, Placement.start_date.is_not(None),
            active_between(Placement.start_date, Placement.end_date, first, last))
        query = query.where(Placement.form == form) if form else \
            query.where(Placement.form != GUIDED_FORMS_EXCLUDE)
        if provider is not None:
            query = query.where(Placement.provider == provider)
        return int(await self.session.scalar(query) or 0)

    async def places_on_unscoped(self, gemeente: str, day: date) -> list[tuple[str, str, str]]:
        """(form, employer KvK, uitvoerder) of the gemeente's placements in a place form (Wsw,
        trial, lks, sheltered) running on `day` — shared/figures.py says how each counts."""
        rows = await self.session.execute(
            select(Placement.form, Placement.employer_kvk, Placement.provider).where(
                Placement.gemeente == gemeente, Placement.start_date.is_not(None),
                Placement.form.in_(sorted(PW_PLACE_FORMS | SW_PLACE_FORMS)),
                active_between(Placement.start_date, Placement.end_date, day, day)))
        return [(form, kvk or "", provider) for form, kvk, provider in rows]


class CandidateRepository(Repository[Candidate]):
    """What finance keeps of candidates: birth dates, loonwaarden and beschut-werk indications.

    Requests only ask whether a birth date is known for grants they were already allowed to
    see; everything else is read by the events' candidate ids.
    """

    model = Candidate

    async def lock(self, candidate_id: uuid.UUID) -> None:
        """Serialise the transactions about one candidate until this one ends (Postgres: a
        transaction-scoped advisory lock; SQLite already runs one writer at a time)."""
        if self.session.get_bind().dialect.name == "postgresql":
            key = int.from_bytes(candidate_id.bytes[:8], "big", signed=True)
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def add_measurement(self, measurement: WageValue) -> WageValue:
        """Stage a loonwaarde diagnose measured."""
        self.session.add(measurement)
        return measurement

    def add_indication(self, indication: ShelteredIndication) -> ShelteredIndication:
        """Stage a beschut-werk decision."""
        self.session.add(indication)
        return indication

    async def birth_date_unscoped(self, candidate_id: uuid.UUID) -> date | None:
        """The candidate's birth date, if intake sent one."""
        return await self.session.scalar(select(Candidate.birth_date).where(
            Candidate.candidate_id == candidate_id))

    async def birth_dates_known(self, grants: Iterable[Grant]) -> set[uuid.UUID]:
        """Which of these (already visible) grants' candidates have a known birth date."""
        ids = list({grant.candidate_id for grant in grants})
        if not ids:
            return set()
        rows = await self.session.scalars(select(Candidate.candidate_id).where(
            Candidate.candidate_id.in_(ids), Candidate.birth_date.is_not(None)))
        return set(rows.all())

    async def wage_values_unscoped(self, candidate_id: uuid.UUID) -> list[WageValuePeriod]:
        """The candidate's loonwaarden, oldest first, as the month split reads them."""
        table = WageValue.__table__.c
        rows = await (await self.session.connection()).execute(
            select(table.measured_at, table.valid_until, table.wage_value_pct)
            .where(table.candidate_id == candidate_id)
            .order_by(table.measured_at, table.measurement_id))
        return [WageValuePeriod(measured, valid_until, pct)
                for measured, valid_until, pct in rows]

    async def wage_value_unscoped(self, measurement_id: uuid.UUID) -> WageValue | None:
        """One measurement by its id."""
        return await self.session.get(WageValue, measurement_id)

    async def indication_unscoped(self, indication_id: uuid.UUID) -> ShelteredIndication | None:
        """One beschut-werk decision by its id."""
        return await self.session.get(ShelteredIndication, indication_id)

    async def indication_in_force_unscoped(self, candidate_id: uuid.UUID, day: date) -> bool:
        """Has the candidate a granted beschut-werk indication in force on `day`?"""
        found = await self.session.scalar(select(ShelteredIndication.indication_id).where(
            ShelteredIndication.candidate_id == candidate_id,
            ShelteredIndication.decision == "granted", ShelteredIndication.decided_on <= day,
            or_(ShelteredIndication.valid_until.is_(None),
                ShelteredIndication.valid_until >= day),
        ).limit(1))
        return found is not None

    async def due_for_reassessment_unscoped(self, today: date, lead_days: int, *,
                                            lock: bool) -> Sequence[WageValue]:
        """Latest measurements of candidates with a running grant that expire within
        `lead_days` and were not asked about yet; locked rows are skipped (two replicas never
        both ask)."""
        later = aliased(WageValue)
        query = (
            select(WageValue)
            .where(WageValue.reassessment_due_at.is_(None),
                   WageValue.valid_until <= today + timedelta(days=lead_days),
                   exists().where(Grant.candidate_id == WageValue.candidate_id,
                                  Grant.status == ACTIVE),
                   ~exists().where(and_(later.candidate_id == WageValue.candidate_id,
                                        later.measured_at > WageValue.measured_at)))
            .order_by(WageValue.valid_until).limit(1000))
        if lock:
            query = query.with_for_update(skip_locked=True, of=WageValue)
        return (await self.session.scalars(query)).all()


class PaymentRunRepository(Repository[PaymentRun]):
    """Payment runs: a gemeente reads its own (another gemeente's run is not admitted to exist)."""

    model = PaymentRun

    async def get(self, run_id: uuid.UUID) -> PaymentRun | None:
        """The run when it is the caller's gemeente's, else None."""
        run = await self.session.get(PaymentRun, run_id)
        if run is None or run.gemeente != self.principal.org:
            return None
        return run

    async def of_month_unscoped(self, gemeente: str, month: str) -> PaymentRun | None:
        """The run of this gemeente and month, if there is one (the one-run-a-month rule)."""
        return await self.session.scalar(select(PaymentRun).where(
            PaymentRun.gemeente == gemeente, PaymentRun.month == month))

    async def unfinished_unscoped(self) -> list[uuid.UUID]:
        """Runs a stopped process left half-way (resumed at start-up)."""
        return list((await self.session.scalars(
            select(PaymentRun.id).where(PaymentRun.status == "running"))).all())

    async def lines_page(self, run: PaymentRun, offset: int,
                         limit: int) -> tuple[list[tuple[uuid.UUID, str, Decimal]], int]:
        """A page of a visible run's lines in the order they were paid, and how many it has."""
        of_run = PaymentLine.run_id == run.id
        total = int(await self.session.scalar(
            select(func.count()).select_from(PaymentLine).where(of_run)) or 0)
        rows = await self.session.execute(
            select(PaymentLine.grant_id, PaymentLine.employer_kvk, PaymentLine.amount)
            .where(of_run).order_by(PaymentLine.id).offset(offset).limit(limit))
        return [(grant, kvk, amount) for grant, kvk, amount in rows], total

    async def lines_after_unscoped(self, run_id: uuid.UUID, after: int,
                                   chunk: int) -> list[tuple[int, uuid.UUID, str, Decimal]]:
        """The next chunk of a run's lines after line id `after` (the CSV's stream)."""
        rows = await self.session.execute(
            select(PaymentLine.id, PaymentLine.grant_id, PaymentLine.employer_kvk,
                   PaymentLine.amount)
            .where(PaymentLine.run_id == run_id, PaymentLine.id > after)
            .order_by(PaymentLine.id).limit(chunk))
        return [(line, grant, kvk, amount) for line, grant, kvk, amount in rows]

    async def lks_paid_unscoped(self, gemeente: str, year: int) -> Decimal:
        """LKS paid to employers for the gemeente's residents in the year."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(PaymentLine.amount), 0)).where(
                PaymentLine.gemeente == gemeente, PaymentLine.month.like(f"{year:04d}-%")))
        return Decimal(total or 0).quantize(Decimal("0.01"))


class BudgetRepository(Repository[Budget]):
    """Budgets per gemeente and year, and the uitvoerders' reserves.

    The handlers check first which gemeente's or uitvoerder's figures the caller may see
    (handlers/access.py); the budget checks after a placement or a payment run have no caller.
    """

    model = Budget

    async def of_year_unscoped(self, year: int) -> Sequence[Budget]:
        """Every gemeente's budget of a year (a reserve's draws)."""
        return (await self.session.scalars(select(Budget).where(Budget.year == year))).all()

    async def reserve_unscoped(self, provider: str, *, lock: bool = False) -> Reserve | None:
        """The uitvoerder's stimulus reserve."""
        return await self.session.get(Reserve, provider, with_for_update=lock or None)

    def add_reserve(self, reserve: Reserve) -> Reserve:
        """Stage a new reserve."""
        self.session.add(reserve)
        return reserve


class TariffRepository(Repository[Tariff]):
    """The entity's tariffs: agreed openly, the same for every planner."""

    model = Tariff

    async def of_product_on(self, product: str, effective_from: date) -> Tariff | None:
        """The row of a product from a date, if set."""
        return await self.session.scalar(select(Tariff).where(
            Tariff.product == product, Tariff.effective_from == effective_from))

    async def all(self) -> Sequence[Tariff]:
        """Every row, by product and date."""
        return (await self.session.scalars(
            select(Tariff).order_by(Tariff.product, Tariff.effective_from))).all()

    async def current_on(self, day: date) -> dict[str, Tariff]:
        """Per product, the row in effect on `day` (the latest from a date up to it)."""
        rows = (await self.session.scalars(select(Tariff).where(Tariff.effective_from <= day)
                                           .order_by(Tariff.product,
                                                     Tariff.effective_from))).all()
        return {row.product: row for row in rows}
