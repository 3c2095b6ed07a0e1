"""Intake's queries, each scoped to what the caller may see.

The unit of work builds these with the caller's Principal: a gemeente reads its own residents,
an uitvoerder a candidate only while referred to it or in a programme it runs. A read without a
caller (an event's) is `..._unscoped` and takes the event's own ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy import Insert, Select, Table, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from services.intake.commands import CandidateFilter
from services.intake.domain import candidate as rules
from services.intake.domain.candidate import AccessGround, Status
from services.intake.store.models import (
    AccessLogEntry,
    Candidate,
    NewCandidate,
    Referral,
    ShelteredWorkIndication,
)
from shared.auth import OrgKind, Principal, Role
from shared.bus.outbox import StagedEvent
from shared.http.pagination import PageParams
from shared.repository import Repository

GEMEENTE_READERS = (Role.CASEWORKER, Role.ADMIN, Role.CONTROLLER)
PROVIDER_READERS = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.ADMIN)
CANDIDATES = cast(Table, Candidate.__table__)


class Registered(NamedTuple):
    """The outcome of a registration: the candidate's id, and whether this request made it."""

    id: uuid.UUID
    created: bool


class Visible(NamedTuple):
    """A candidate the caller may read, and the ground it reads on (for the access log)."""

    candidate: Candidate
    ground: AccessGround


def read_ground(principal: Principal, candidate: Candidate) -> AccessGround | None:
    """Why `principal` may read `candidate`'s personal data, or None: the tenant rule of reads."""
    if not principal.acts_for(candidate.gemeente):
        return None
    if principal.kind is OrgKind.GEMEENTE:
        return AccessGround.OWN_GEMEENTE if principal.roles.intersection(GEMEENTE_READERS) \
            else None
    if principal.kind is OrgKind.PROVIDER and principal.roles.intersection(PROVIDER_READERS):
        return rules.provider_ground(
            status=Status(candidate.status), provider=principal.org,
            referred_to=frozenset(r.provider for r in candidate.referrals if r.ended_at is None),
            programme_provider=candidate.programme_provider,
        )
    return None


class CandidateRepository(Repository[Candidate]):
    """Candidates, with their referrals and latest advice."""

    model = Candidate

    async def insert_unless_registered(self, new: NewCandidate) -> bool:
        """Write a registration with one Core insert; False if the BSN is taken in its gemeente.

        `ON CONFLICT (gemeente, bsn) DO NOTHING` instead of a savepoint around an
        IntegrityError: no extra round trips, and on Postgres a concurrent twin waits for the
        first to commit and then finds the row taken.
        """
        driver = await self.storage.driver()
        if driver is not None:  # Postgres: through asyncpg itself, in the same transaction
            return await driver.fetchval(_REGISTER_SQL, *new) is not None
        connection = await self.storage.connection()
        result = await connection.execute(_REGISTER[connection.dialect.name], new._asdict())
        return result.first() is not None

    async def register_alone(self, new: NewCandidate, event: StagedEvent) -> Registered | None:
        """Write a registration and its event's outbox row in one statement, as the whole unit
        of work (`Storage.run_alone`: atomic by itself, no BEGIN/COMMIT); None where that is
        not offered (not Postgres: use `insert_unless_registered` in the transaction).

        A taken BSN writes nothing and names the candidate that holds it. If that candidate
        was committed by a concurrent twin after this statement's snapshot, it is not yet
        visible to it; the statement then runs once more, which sees it (and writes nothing).
        """
        row = event.row
        args = (*new, row["event_id"], row["subject"], row["payload"], row["created_at"])
        for _ in range(2):
            found = await self.storage.run_alone(_REGISTER_WITH_EVENT_SQL, *args)
            if found is None:
                return None
            if found:
                return Registered(found[0]["id"], created=found[0]["created"])
        raise RuntimeError("the BSN is taken in this gemeente, yet no candidate holds it")

    async def find_own_by_bsn(self, bsn: str) -> Candidate | None:
        """The caller's gemeente's candidate with this BSN (unique per gemeente)."""
        return await self.session.scalar(
            select(Candidate).where(Candidate.gemeente == self.principal.org,
                                    Candidate.bsn == bsn))

    async def own_for_update(self, candidate_id: uuid.UUID) -> Candidate | None:
        """The caller's gemeente's own candidate, locked until the transaction ends.

        Locked so two decisions at once apply one after the other, each checking the status
        the other left (Postgres; SQLite serialises writers anyway). Another gemeente's
        candidate is None, as if absent.
        """
        principal = self.principal
        if principal.kind is not OrgKind.GEMEENTE:
            return None
        return await self.session.scalar(
            select(Candidate)
            .where(Candidate.id == candidate_id, Candidate.gemeente == principal.org)
            .with_for_update()
            .execution_options(populate_existing=True))

    async def visible(self, candidate_id: uuid.UUID) -> Visible | None:
        """The candidate if the caller may read it (and on what ground), else None."""
        candidate = await self.session.get(Candidate, candidate_id)
        if candidate is None:
            return None
        ground = read_ground(self.principal, candidate)
        return Visible(candidate, ground) if ground is not None else None

    async def page_visible(self, filters: CandidateFilter, params: PageParams) -> tuple[
        Sequence[Candidate], int
    ]:
        """The candidates the caller may read: a gemeente its own, an uitvoerder those
        referred to it or in a programme it runs; other callers none."""
        principal = self.principal
        if principal.kind is OrgKind.GEMEENTE:
            query = select(Candidate).where(Candidate.gemeente == principal.org)
        elif principal.kind is OrgKind.PROVIDER:
            active_referral = exists().where(
                Referral.candidate_id == Candidate.id, Referral.provider == principal.org,
                Referral.ended_at.is_(None),
            )
            query = select(Candidate).where(
                Candidate.gemeente.in_(sorted(principal.gemeenten)),
                Candidate.status != Status.CLOSED.value,
                or_(active_referral, Candidate.programme_provider == principal.org),
            )
        else:
            return [], 0
        return await self.page(_filtered(query, filters), params)


def _register(insert: Callable[[Table], Any]) -> Insert:
    # Built once: values come as parameters, so a request neither builds nor compiles a
    # statement (the compiled form is cached per dialect). Both dialects' inserts know
    # ON CONFLICT; the generic `insert` does not.
    statement: Insert = insert(CANDIDATES).on_conflict_do_nothing(
        index_elements=["gemeente", "bsn"]).returning(CANDIDATES.c.id)
    return statement


_REGISTER = {"postgresql": _register(postgresql.insert), "sqlite": _register(sqlite.insert)}
# The same statement for asyncpg: the columns in NewCandidate's order, $1 … $n.
_REGISTER_SQL = (
    f"INSERT INTO {CANDIDATES.name} ({', '.join(NewCandidate._fields)}) "
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(NewCandidate._fields) + 1))}) "
    "ON CONFLICT (gemeente, bsn) DO NOTHING RETURNING id")


# The registration, its event and the answer in one statement. The look-up of the candidate
# that holds the BSN runs only when the insert wrote nothing (a one-time filter): a plan the
# connection cached while the table was small once walked the whole gemeente through another
# index on every registration, and Postgres' CPU per request grew with the table (bench/intake.py:
# 1.8 ms against 0.55 ms). The data-modifying CTEs are not visible to that look-up (one
# snapshot), so it finds only a committed candidate.
_REGISTER_WITH_EVENT_SQL = f"""
WITH new AS ({_REGISTER_SQL}),
event AS (
    INSERT INTO outbox (event_id, subject, payload, created_at, attempts)
    SELECT $13::varchar, $14::varchar, $15::bytea, $16::timestamptz, 0 FROM new
)
SELECT id, true AS created FROM new
UNION ALL
SELECT id, false FROM {CANDIDATES.name} WHERE gemeente = $2 AND bsn = $3
    AND NOT EXISTS (SELECT FROM new)"""


def _filtered(query: Select[Candidate], filters: CandidateFilter) -> Select[Candidate]:
    if filters.status:
        query = query.where(Candidate.status == filters.status.value)
    if filters.target_group:
        query = query.where(Candidate.target_group == filters.target_group.value)
    if filters.route:
        query = query.where(Candidate.route == filters.route.value)
    # Newest first, id as tie-breaker: a deterministic order for stable pages.
    return query.order_by(Candidate.registered_at.desc(), Candidate.id)


class AccessLogRepository(Repository[AccessLogEntry]):
    """The processing log of reads of personal data."""

    model = AccessLogEntry

    async def page_own(self, *, candidate_id: uuid.UUID | None, params: PageParams) -> tuple[
        Sequence[AccessLogEntry], int
    ]:
        """The caller's gemeente's log, newest first, optionally for one candidate."""
        query = select(AccessLogEntry).where(AccessLogEntry.gemeente == self.principal.org)
        if candidate_id is not None:
            query = query.where(AccessLogEntry.candidate_id == candidate_id)
        return await self.page(query.order_by(AccessLogEntry.id.desc()), params)


class IndicationRepository(Repository[ShelteredWorkIndication]):
    """Beschut-werk indications."""

    model = ShelteredWorkIndication

    async def of_visible(self, visible: Visible) -> Sequence[ShelteredWorkIndication]:
        """The indications of a candidate the caller may read (a `Visible` proves it), oldest
        decision first (id breaks ties: a stable order)."""
        result = await self.session.scalars(
            select(ShelteredWorkIndication)
            .where(ShelteredWorkIndication.candidate_id == visible.candidate.id)
            .order_by(ShelteredWorkIndication.decided_on, ShelteredWorkIndication.decided_at,
                      ShelteredWorkIndication.id))
        return result.all()
