"""The keeper of an employer or a vacancy changes it over REST (issue 15).

The keeper is the organisation that registered it (`owner_org`): an uitvoerder or gemeente
through POST, a werkgeversservicepunt through POST or its webhook. Others who may see it (staff
in the same gemeente) get 403; a WSP sees only what it keeps, so another WSP gets 404. A changed
vacancy publishes `matching.vacancy-published` again, as the WSP's webhook update does, and
fewer positions than people already placed from it close it as filled (`vacancy-closed`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.api.formats import json_number
from services.matching.api.schemas import TaskOut, VacancyFields
from services.matching.commands import ChangeEmployer, ChangeVacancy, TaskSpec
from services.matching.handlers import (
    TENTH,
    announce_vacancy,
    check_vacancy,
    require_keeper,
    stored_tasks,
    visible_employer,
    visible_vacancy,
)
from services.matching.handlers.placements import close_when_filled
from services.matching.store.models import Employer, Vacancy
from services.matching.store.repository import OPEN
from shared.auth import Principal
from shared.http.errors import invalid_params_from
from shared.problems import BadRequest, Conflict, Forbidden


def _keeps(principal: Principal, owner_org: str, what: str) -> None:
    if owner_org != principal.org:
        raise Forbidden(f"only the organisation that keeps the {what} ({owner_org}) changes it")


async def change_employer(session: AsyncSession, *, principal: Principal,
                          command: ChangeEmployer) -> Employer:
    """Name, sector, location or contacts of an employer the caller keeps (not its KvK)."""
    require_keeper(principal)
    employer = await visible_employer(session, principal, command.employer_id)
    _keeps(principal, employer.owner_org, "employer")
    if command.name is not None:
        employer.name = command.name
    if command.sector is not None:
        employer.sector = command.sector.value
    if command.gemeente is not None:
        employer.gemeente = command.gemeente
    if command.contacts is not None:
        employer.contacts = [dict(c) for c in command.contacts]
    await session.flush()
    return employer


def _task_wire(task: TaskSpec) -> dict[str, Any]:
    return {"name": task.name, "hoursPerWeek": json_number(task.hours_per_week),
            "demands": [{"code": d.code,
                         "value": None if d.value is None else json_number(d.value)}
                        for d in task.demands],
            "skills": list(task.skills)}


def merged_fields(vacancy: Vacancy, command: ChangeVacancy) -> VacancyFields:
    """The vacancy as it will be: its stored fields with the command's changes over them,
    validated as one whole (a 400 names the field when the result does not hold)."""
    wage = vacancy.hourly_wage
    if command.hourly_wage is not None:
        wage = command.hourly_wage
    elif command.clears_hourly_wage:
        wage = None
    # Stored tasks keep decimal strings: read them as shown (JSON numbers) to validate again.
    tasks = ([_task_wire(t) for t in command.tasks] if command.tasks is not None else
             [TaskOut.model_validate(t).model_dump(mode="json", by_alias=True)
              for t in vacancy.tasks])
    hours = command.hours_per_week if command.hours_per_week is not None else (
        vacancy.hours_per_week)
    wire = {
        "title": command.title or vacancy.title,
        "werksoort": (command.werksoort or vacancy.werksoort),
        "gemeente": command.gemeente or vacancy.gemeente,
        "hoursPerWeek": json_number(hours),
        "hourlyWage": None if wage is None else f"{wage:.2f}",
        "contractForms": [str(f) for f in (command.contract_forms or vacancy.contract_forms)],
        "tasks": tasks,
        "positions": command.positions if command.positions is not None else vacancy.positions,
    }
    try:
        return VacancyFields.model_validate(wire)
    except ValidationError as exc:
        raise BadRequest("the changed vacancy does not hold; see invalidParams",
                         invalid_params=invalid_params_from(list(exc.errors()))) from exc


async def change_vacancy(session: AsyncSession, *, principal: Principal,
                         command: ChangeVacancy, oin: str) -> Vacancy:
    """Change an open vacancy the caller keeps → vacancy-published (and vacancy-closed when
    fewer positions remain than people placed from it)."""
    require_keeper(principal)
    vacancy = await visible_vacancy(session, principal, command.vacancy_id, for_update=True)
    _keeps(principal, vacancy.owner_org, "vacancy")
    if vacancy.status != OPEN:
        raise Conflict("the vacancy is closed")
    if command.gemeente is not None and command.gemeente != vacancy.gemeente \
            and not principal.acts_for(command.gemeente):
        raise Forbidden(f"your organisation does not act for {command.gemeente}")
    fields = merged_fields(vacancy, command)
    check_vacancy(fields)
    vacancy.title, vacancy.werksoort = fields.title, fields.werksoort.value
    vacancy.gemeente = fields.gemeente
    vacancy.hours_per_week = fields.hours_per_week.quantize(TENTH)
    vacancy.hourly_wage = None if fields.hourly_wage is None else Decimal(fields.hourly_wage)
    vacancy.contract_forms = [f.value for f in fields.contract_forms]
    vacancy.tasks = stored_tasks(fields.tasks)
    vacancy.positions = fields.positions
    vacancy.updated_at = datetime.now(UTC)
    announce_vacancy(session, vacancy, oin)
    await session.flush()
    await close_when_filled(session, vacancy, oin)
    return vacancy
