"""Employers and vacancies: register, read, publish and close; the checks and rows they share
with carving, keeping, placements and the WSP webhook. They flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from services.matching.commands import (
    CloseVacancy,
    PublishVacancy,
    RegisterEmployer,
    TaskSpec,
    VacancySpec,
)
from services.matching.domain import workflow
from services.matching.domain.demands import Demand, DemandError, TaskShape, check_job
from services.matching.handlers import require_keeper, require_keeper_reader
from services.matching.store.models import Employer, Vacancy
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.auth import OrgKind
from shared.events.matching import VacancyClosed, VacancyPublished
from shared.events.vocabulary import Werksoort
from shared.http.pagination import PageParams
from shared.problems import BadRequest, Conflict, Forbidden, NotFound, Problem, domain_rules

TENTH = Decimal("0.1")  # hours are kept to one decimal
# A vacancy's demands or hours that break the domain's rules: a 400 naming the field.
VACANCY_RULES = (DemandError, workflow.RuleViolation)


async def register_employer(uow: MatchingUnitOfWork, command: RegisterEmployer) -> Employer:
    """Register an employer for the caller's organisation (one per KvK number)."""
    principal = require_keeper(uow)
    registered = Conflict(f"your organisation already registered KvK {command.kvk_number}")
    if await uow.employers.kept_by_kvk(command.kvk_number) is not None:
        raise registered

    async def write() -> Employer:
        return uow.employers.add(Employer(
            id=uuid.uuid4(), owner_org=principal.org, kvk_number=command.kvk_number,
            name=command.name, sector=command.sector.value, gemeente=command.gemeente,
            contacts=[dict(c) for c in command.contacts], created_at=datetime.now(UTC)))

    async def clash() -> Problem:
        return registered  # a concurrent registration of the same KvK number won

    return await uow.unique(write, clash)


async def employer_page(uow: MatchingUnitOfWork,
                        params: PageParams) -> tuple[Sequence[Employer], int]:
    """Employers the caller may see, by name."""
    require_keeper_reader(uow)
    return await uow.employers.visible_page(params)


async def visible_employer(uow: MatchingUnitOfWork, employer_id: uuid.UUID) -> Employer:
    """An employer the caller may see, or 404."""
    employer = await uow.employers.visible(employer_id)
    if employer is None:
        raise NotFound(f"no employer {employer_id} for this organisation")
    return employer


async def get_employer(uow: MatchingUnitOfWork, employer_id: uuid.UUID) -> Employer:
    """One employer, for a reader of employers."""
    require_keeper_reader(uow)
    return await visible_employer(uow, employer_id)


async def visible_vacancy(uow: MatchingUnitOfWork, vacancy_id: uuid.UUID, *,
                          for_update: bool = False) -> Vacancy:
    """A vacancy the caller may see, or 404."""
    vacancy = await uow.vacancies.visible(vacancy_id, for_update=for_update)
    if vacancy is None:
        raise NotFound(f"no vacancy {vacancy_id} for this organisation")
    return vacancy


async def vacancy_page(uow: MatchingUnitOfWork, params: PageParams, *,
                       status: str | None = None, werksoort: Werksoort | None = None,
                       external_ref: str | None = None) -> tuple[Sequence[Vacancy], int]:
    """Vacancies the caller may see, newest first, narrowed by the filters given."""
    require_keeper_reader(uow)
    return await uow.vacancies.visible_page(
        params, status=status, werksoort=None if werksoort is None else werksoort.value,
        external_ref=external_ref)


async def get_vacancy(uow: MatchingUnitOfWork, vacancy_id: uuid.UUID) -> Vacancy:
    """One vacancy, for a reader of vacancies."""
    require_keeper_reader(uow)
    return await visible_vacancy(uow, vacancy_id)


def stored_task(task: TaskSpec) -> dict[str, Any]:
    """A task as stored (and shown): camelCase JSON, hours to a tenth and demand values as
    decimal strings."""
    return {"name": task.name, "hoursPerWeek": str(task.hours_per_week.quantize(TENTH)),
            "demands": [{"code": d.code, "value": None if d.value is None else str(d.value)}
                        for d in task.demands],
            "skills": list(task.skills)}


def check_vacancy(spec: VacancySpec) -> None:
    """The domain's checks of a job: demands in the vocabulary, hours adding up (400)."""
    shapes = [TaskShape(t.name, t.hours_per_week,
                        tuple(Demand(d.code, None if d.value is None else float(d.value))
                              for d in t.demands)) for t in spec.tasks]
    with domain_rules(*VACANCY_RULES, problem=BadRequest):
        check_job(spec.hours_per_week, shapes)


def vacancy_columns(spec: VacancySpec, *, owner_org: str, employer_id: uuid.UUID,
                    external_ref: str | None = None,
                    carved_from: uuid.UUID | None = None) -> dict[str, Any]:
    """The columns of a new, open vacancy from checked fields (for the ORM or a Core insert)."""
    now = datetime.now(UTC)
    return {
        "id": uuid.uuid4(), "owner_org": owner_org, "employer_id": employer_id,
        "gemeente": spec.gemeente, "title": spec.title, "werksoort": spec.werksoort.value,
        "hours_per_week": spec.hours_per_week.quantize(TENTH),
        "hourly_wage": spec.hourly_wage, "contract_forms": [f.value for f in spec.contract_forms],
        "tasks": [stored_task(t) for t in spec.tasks], "status": OPEN, "close_reason": None,
        "carved_from": carved_from, "external_ref": external_ref, "positions": spec.positions,
        "created_at": now, "updated_at": now, "closed_at": None}


def published(vacancy: Vacancy) -> VacancyPublished:
    """matching.vacancy-published for a new or changed vacancy (its subject: the vacancy)."""
    return VacancyPublished(
        vacancy_id=vacancy.id, employer_id=vacancy.employer_id, gemeente=vacancy.gemeente,
        werksoort=Werksoort(vacancy.werksoort), hours_per_week=vacancy.hours_per_week,
        carved_from=vacancy.carved_from, positions=vacancy.positions,
        published_at=vacancy.updated_at)


def close(uow: MatchingUnitOfWork, vacancy: Vacancy, reason: str) -> None:
    """Close an open vacancy → matching.vacancy-closed."""
    now = datetime.now(UTC)
    vacancy.status, vacancy.close_reason = "closed", reason
    vacancy.closed_at = vacancy.updated_at = now
    uow.outbox.add(VacancyClosed(vacancy_id=vacancy.id, gemeente=vacancy.gemeente,
                                 reason=reason, closed_at=now))


async def close_when_filled(uow: MatchingUnitOfWork, vacancy: Vacancy) -> None:
    """The placement that fills the last position closes the vacancy (reason "filled")."""
    placed = await uow.placements.count_for_vacancy_unscoped(vacancy.id)
    if placed >= vacancy.positions:
        close(uow, vacancy, "filled")
        await uow.flush()


async def publish_vacancy(uow: MatchingUnitOfWork, command: PublishVacancy) -> Vacancy:
    """Publish a vacancy of a visible employer, in a gemeente the caller acts for."""
    principal = require_keeper(uow)
    employer = await visible_employer(uow, command.employer_id)
    if not principal.acts_for(command.vacancy.gemeente):
        raise Forbidden(f"your organisation does not act for {command.vacancy.gemeente}")
    check_vacancy(command.vacancy)
    vacancy = uow.vacancies.add(Vacancy(**vacancy_columns(
        command.vacancy, owner_org=principal.org, employer_id=employer.id)))
    await uow.flush()
    uow.outbox.add(published(vacancy))
    return vacancy


async def close_vacancy(uow: MatchingUnitOfWork, command: CloseVacancy) -> Vacancy:
    """Withdraw a vacancy or record it as filled."""
    principal = require_keeper(uow)
    vacancy = await visible_vacancy(uow, command.vacancy_id, for_update=True)
    keeps = vacancy.owner_org == principal.org
    if not keeps and not (principal.kind is OrgKind.GEMEENTE and principal.org == vacancy.gemeente):
        raise Forbidden("only the organisation that keeps the vacancy, or the gemeente where "
                        "the work is, closes it")
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is already closed")
    close(uow, vacancy, command.reason)
    await uow.flush()
    return vacancy
