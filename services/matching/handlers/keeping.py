"""The keeper of an employer or a vacancy changes it over REST (issue 15).

The keeper is the organisation that registered it (`owner_org`): an uitvoerder or gemeente
through POST, a werkgeversservicepunt through POST or its webhook. Others who may see it (staff
in the same gemeente) get 403; a WSP sees only what it keeps, so another WSP gets 404. A changed
vacancy publishes `matching.vacancy-published` again, as the WSP's webhook update does, and
fewer positions than people already placed from it close it as filled (`vacancy-closed`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from services.matching.commands import ChangeEmployer, ChangeVacancy, TaskSpec, VacancySpec
from services.matching.handlers import require_keeper
from services.matching.handlers.carving import as_shown, task_of_stored
from services.matching.handlers.vacancies import (
    TENTH,
    check_vacancy,
    close_when_filled,
    published,
    stored_task,
    visible_employer,
    visible_vacancy,
)
from services.matching.store.models import Employer, Vacancy
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.auth import Principal
from shared.events.matching import PlacementForm
from shared.events.vocabulary import Werksoort
from shared.problems import Conflict, Forbidden


def _keeps(principal: Principal, owner_org: str, what: str) -> None:
    if owner_org != principal.org:
        raise Forbidden(f"only the organisation that keeps the {what} ({owner_org}) changes it")


async def change_employer(uow: MatchingUnitOfWork, command: ChangeEmployer) -> Employer:
    """Name, sector, location or contacts of an employer the caller keeps (not its KvK)."""
    principal = require_keeper(uow)
    employer = await visible_employer(uow, command.employer_id)
    _keeps(principal, employer.owner_org, "employer")
    if command.name is not None:
        employer.name = command.name
    if command.sector is not None:
        employer.sector = command.sector.value
    if command.gemeente is not None:
        employer.gemeente = command.gemeente
    if command.contacts is not None:
        employer.contacts = [dict(c) for c in command.contacts]
    await uow.flush()
    return employer


def _as_shown(task: TaskSpec) -> TaskSpec:
    # Given and stored tasks alike are kept with the numbers a client sees (16, not 16.0).
    return replace(task, hours_per_week=as_shown(task.hours_per_week), demands=tuple(
        replace(d, value=None if d.value is None else as_shown(d.value)) for d in task.demands))


def merged_spec(vacancy: Vacancy, command: ChangeVacancy) -> VacancySpec:
    """The vacancy as it will be: its stored fields with the command's changes over them (each
    change was checked on the way in, the whole is checked by the domain next)."""
    wage = vacancy.hourly_wage
    if command.hourly_wage is not None:
        wage = command.hourly_wage
    elif command.clears_hourly_wage:
        wage = None
    tasks = (tuple(_as_shown(t) for t in command.tasks) if command.tasks is not None
             else tuple(task_of_stored(t) for t in vacancy.tasks))
    hours = (command.hours_per_week if command.hours_per_week is not None
             else vacancy.hours_per_week)
    return VacancySpec(
        title=command.title or vacancy.title,
        werksoort=command.werksoort or Werksoort(vacancy.werksoort),
        gemeente=command.gemeente or vacancy.gemeente, hours_per_week=as_shown(hours),
        hourly_wage=None if wage is None else wage.quantize(Decimal("0.01")),
        contract_forms=tuple(PlacementForm(f) for f in (command.contract_forms
                                                        or vacancy.contract_forms)),
        tasks=tasks,
        positions=command.positions if command.positions is not None else vacancy.positions)


async def change_vacancy(uow: MatchingUnitOfWork, command: ChangeVacancy) -> Vacancy:
    """Change an open vacancy the caller keeps → vacancy-published (and vacancy-closed when
    fewer positions remain than people placed from it)."""
    principal = require_keeper(uow)
    vacancy = await visible_vacancy(uow, command.vacancy_id, for_update=True)
    _keeps(principal, vacancy.owner_org, "vacancy")
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is closed")
    if command.gemeente is not None and command.gemeente != vacancy.gemeente \
            and not principal.acts_for(command.gemeente):
        raise Forbidden(f"your organisation does not act for {command.gemeente}")
    spec = merged_spec(vacancy, command)
    check_vacancy(spec)
    vacancy.title, vacancy.werksoort = spec.title, spec.werksoort.value
    vacancy.gemeente = spec.gemeente
    vacancy.hours_per_week = spec.hours_per_week.quantize(TENTH)
    vacancy.hourly_wage = spec.hourly_wage
    vacancy.contract_forms = [f.value for f in spec.contract_forms]
    vacancy.tasks = [stored_task(t) for t in spec.tasks]
    vacancy.positions = spec.positions
    vacancy.updated_at = datetime.now(UTC)
    uow.outbox.add(published(vacancy))
    await uow.flush()
    await close_when_filled(uow, vacancy)
    return vacancy
