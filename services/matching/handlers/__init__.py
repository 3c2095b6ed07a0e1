"""Matching's commands on employers and vacancies (incl. carvings). They flush, never commit.

New use cases live in modules of this package per aggregate (placements, law); the shared
helpers below are what they and the older commands have in common.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.api.schemas import (
    CloseVacancy,
    CreateCarving,
    CreateEmployer,
    CreateVacancy,
    TaskIn,
    TaskOut,
    VacancyFields,
)
from services.matching.domain import workflow
from services.matching.domain.demands import Demand, DemandError, TaskShape, check_job
from services.matching.store.models import Employer, Vacancy
from services.matching.store.repository import OPEN, EmployerRepository, VacancyRepository
from shared.auth import OrgKind, Principal, Role
from shared.bus.outbox import add_event
from shared.events.catalogue import EventData
from shared.events.matching import VacancyClosed, VacancyPublished
from shared.events.vocabulary import Werksoort
from shared.problems import BadRequest, Conflict, Forbidden, InvalidParam, NotFound

WRITERS = (Role.ACCOUNT_MANAGER, Role.ADMIN)
READERS = (Role.ACCOUNT_MANAGER, Role.ADMIN, Role.CONSULTANT, Role.CASEWORKER)
STAFF = (OrgKind.PROVIDER, OrgKind.GEMEENTE)
# Employers and vacancies are also kept by a werkgeversservicepunt (issue 15): it pushes them by
# webhook and reads and changes its own over REST. Candidates, matches, proposals and
# placements stay with the uitvoerder and the gemeente.
KEEPER_KINDS = (*STAFF, OrgKind.WSP)
T = TypeVar("T")
TENTH = Decimal("0.1")  # hours are kept to one decimal


def require_writer(principal: Principal) -> None:
    """Accountmanagers (uitvoerder) and accounthouders werk (gemeente), or their admins."""
    principal.require(*WRITERS, kinds=STAFF)


def require_reader(principal: Principal) -> None:
    """Staff of an uitvoerder or gemeente (a WSP sees no candidate)."""
    principal.require(*READERS, kinds=STAFF)


def require_keeper(principal: Principal) -> None:
    """Who registers and changes employers and vacancies: staff writers, or a WSP's
    accountmanagers (its own only: the repositories scope a WSP to what it keeps)."""
    principal.require(*WRITERS, kinds=KEEPER_KINDS)


def require_keeper_reader(principal: Principal) -> None:
    """Who reads employers and vacancies: staff readers, or a WSP's accountmanagers."""
    if principal.kind is OrgKind.WSP:
        require_keeper(principal)
    else:
        require_reader(principal)


def checked(step: Callable[[], T]) -> T:
    """Run a domain check; its violation becomes a 400 naming the field."""
    try:
        return step()
    except (DemandError, workflow.RuleViolation) as exc:
        raise BadRequest(str(exc), invalid_params=[InvalidParam(exc.field, exc.reason)]) from exc


def publish(session: AsyncSession, data: EventData, *, gemeente: str, subject: uuid.UUID,
            oin: str) -> None:
    """Put one of matching's events in the outbox, in the caller's transaction."""
    add_event(session, data, gemeente=gemeente, subject_id=str(subject), oin=oin)


async def create_employer(session: AsyncSession, *, principal: Principal,
                          command: CreateEmployer) -> Employer:
    """Register an employer for the caller's organisation (one per KvK number)."""
    require_keeper(principal)
    repo = EmployerRepository(session)
    if await repo.by_kvk(principal.org, command.kvk_number) is not None:
        raise Conflict(f"your organisation already registered KvK {command.kvk_number}")
    employer = repo.add(Employer(
        id=uuid.uuid4(), owner_org=principal.org, kvk_number=command.kvk_number,
        name=command.name, sector=command.sector.value, gemeente=command.gemeente,
        contacts=[c.model_dump(mode="json", by_alias=True) for c in command.contacts],
        created_at=datetime.now(UTC)))
    await session.flush()
    return employer


async def visible_employer(session: AsyncSession, principal: Principal,
                           employer_id: uuid.UUID) -> Employer:
    """An employer the caller may see, or 404."""
    employer = await EmployerRepository(session).visible(principal, employer_id)
    if employer is None:
        raise NotFound(f"no employer {employer_id} for this organisation")
    return employer


async def visible_vacancy(session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID,
                          *, for_update: bool = False) -> Vacancy:
    """A vacancy the caller may see, or 404."""
    vacancy = await VacancyRepository(session).visible(principal, vacancy_id,
                                                       for_update=for_update)
    if vacancy is None:
        raise NotFound(f"no vacancy {vacancy_id} for this organisation")
    return vacancy


def stored_tasks(tasks: list[TaskIn]) -> list[dict[str, Any]]:
    """Tasks as stored (and shown): camelCase JSON with decimal strings."""
    stored = [t.model_dump(mode="json", by_alias=True) for t in tasks]
    for task, given in zip(stored, tasks, strict=True):
        task["hoursPerWeek"] = str(given.hours_per_week.quantize(TENTH))
    return stored


def check_vacancy(fields: VacancyFields) -> None:
    """The domain's checks of a job: demands in the vocabulary, hours adding up."""
    shapes = [TaskShape(t.name, t.hours_per_week,
                        tuple(Demand(d.code, None if d.value is None else float(d.value))
                              for d in t.demands)) for t in fields.tasks]
    checked(lambda: check_job(fields.hours_per_week, shapes))


def new_vacancy(fields: VacancyFields, *, owner_org: str, employer_id: uuid.UUID,
                external_ref: str | None = None, carved_from: uuid.UUID | None = None) -> Vacancy:
    """An open vacancy row from checked fields."""
    now = datetime.now(UTC)
    return Vacancy(
        id=uuid.uuid4(), owner_org=owner_org, employer_id=employer_id,
        gemeente=fields.gemeente, title=fields.title, werksoort=fields.werksoort.value,
        hours_per_week=fields.hours_per_week.quantize(TENTH),
        hourly_wage=None if fields.hourly_wage is None else Decimal(fields.hourly_wage),
        contract_forms=[f.value for f in fields.contract_forms],
        tasks=stored_tasks(fields.tasks), status=OPEN, close_reason=None,
        carved_from=carved_from, external_ref=external_ref, positions=fields.positions,
        created_at=now, updated_at=now, closed_at=None)


def announce_vacancy(session: AsyncSession, vacancy: Vacancy, oin: str) -> None:
    """matching.vacancy-published for a new or changed vacancy."""
    publish(session, VacancyPublished(
        vacancy_id=vacancy.id, employer_id=vacancy.employer_id, gemeente=vacancy.gemeente,
        werksoort=Werksoort(vacancy.werksoort), hours_per_week=vacancy.hours_per_week,
        carved_from=vacancy.carved_from, positions=vacancy.positions,
        published_at=vacancy.updated_at),
        gemeente=vacancy.gemeente, subject=vacancy.id, oin=oin)


def close(session: AsyncSession, vacancy: Vacancy, reason: str, oin: str) -> None:
    """Close an open vacancy → matching.vacancy-closed."""
    now = datetime.now(UTC)
    vacancy.status, vacancy.close_reason = "closed", reason
    vacancy.closed_at = vacancy.updated_at = now
    publish(session, VacancyClosed(vacancy_id=vacancy.id, gemeente=vacancy.gemeente,
                                   reason=reason, closed_at=now),
            gemeente=vacancy.gemeente, subject=vacancy.id, oin=oin)


async def create_vacancy(session: AsyncSession, *, principal: Principal,
                         command: CreateVacancy, oin: str) -> Vacancy:
    """Publish a vacancy of a visible employer, in a gemeente the caller acts for."""
    require_keeper(principal)
    employer = await visible_employer(session, principal, command.employer_id)
    if not principal.acts_for(command.gemeente):
        raise Forbidden(f"your organisation does not act for {command.gemeente}")
    check_vacancy(command)
    vacancy = VacancyRepository(session).add(
        new_vacancy(command, owner_org=principal.org, employer_id=employer.id))
    await session.flush()
    announce_vacancy(session, vacancy, oin)
    return vacancy


async def close_vacancy(session: AsyncSession, *, principal: Principal,
                        vacancy_id: uuid.UUID, command: CloseVacancy, oin: str) -> Vacancy:
    """Withdraw a vacancy or record it as filled."""
    require_keeper(principal)
    vacancy = await visible_vacancy(session, principal, vacancy_id, for_update=True)
    keeps = vacancy.owner_org == principal.org
    if not keeps and not (principal.kind is OrgKind.GEMEENTE and principal.org == vacancy.gemeente):
        raise Forbidden("only the organisation that keeps the vacancy, or the gemeente where "
                        "the work is, closes it")
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is already closed")
    close(session, vacancy, command.reason, oin)
    await session.flush()
    return vacancy


async def carve(session: AsyncSession, *, principal: Principal, vacancy_id: uuid.UUID,
                command: CreateCarving, min_hours: float, oin: str) -> Vacancy:
    """A carved job: some of the original's tasks, linked to it, published for matching."""
    require_writer(principal)
    original = await visible_vacancy(session, principal, vacancy_id)
    if original.status != OPEN:
        raise Conflict("the vacancy is closed")
    by_name = {t["name"].casefold(): t for t in original.tasks}
    wanted = [n.casefold() for n in command.tasks]
    unknown = [n for n in command.tasks if n.casefold() not in by_name]
    if unknown:
        raise BadRequest("not tasks of this vacancy", invalid_params=[
            InvalidParam("tasks", f"unknown task {n!r}") for n in unknown])
    if len(set(wanted)) != len(wanted) or len(set(wanted)) == len(by_name):
        raise BadRequest("a carving takes some (not all) of the tasks, each once",
                         invalid_params=[InvalidParam("tasks", "a proper subset, no repeats")])
    # Stored tasks keep decimal strings; read them as shown (JSON numbers) to take them in again.
    tasks = [TaskIn.model_validate(TaskOut.model_validate(t).model_dump(mode="json"))
             for t in original.tasks if t["name"].casefold() in wanted]
    hours = sum((t.hours_per_week for t in tasks), Decimal(0))
    if hours < Decimal(str(min_hours)):
        raise BadRequest(f"a carved job needs at least {min_hours:g} hours a week",
                         invalid_params=[InvalidParam("tasks", f"only {hours} hours")])
    fields = VacancyFields(
        title=f"{original.title} (carved)"[:200], werksoort=Werksoort(original.werksoort),
        gemeente=original.gemeente, hours_per_week=hours,
        hourly_wage=None if original.hourly_wage is None else f"{original.hourly_wage:.2f}",
        contract_forms=original.contract_forms, tasks=tasks)
    carved = VacancyRepository(session).add(new_vacancy(
        fields, owner_org=principal.org, employer_id=original.employer_id,
        carved_from=original.id))
    await session.flush()
    announce_vacancy(session, carved, oin)
    return carved
