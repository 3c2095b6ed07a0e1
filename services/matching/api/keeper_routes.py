"""The keeper's changes to employers and vacancies (issue 15): an uitvoerder, a gemeente or a
werkgeversservicepunt changes what it keeps over REST, beside the WSP's webhook. The routes map
HTTP onto commands; the handlers in handlers/keeping.py do the work."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter

from services.matching.api.change_schemas import EmployerChanges, VacancyChanges
from services.matching.api.common import STATE
from services.matching.api.deps import KeeperUow
from services.matching.api.mapping import task_spec
from services.matching.api.routes import EmployerId, VacancyId
from services.matching.api.schemas import EmployerOut, VacancyOut
from services.matching.api.views import employer_view, vacancy_view
from services.matching.commands import ChangeEmployer, ChangeVacancy
from services.matching.handlers import keeping
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(route_class=UnitOfWorkRoute)


@router.patch("/employers/{employerId}", response_model=EmployerOut, tags=["employers"])
async def change_employer(employer_id: EmployerId, body: EmployerChanges,
                          uow: KeeperUow) -> EmployerOut:
    """Change an employer your organisation keeps (a WSP: one it pushed or registered)."""
    command = ChangeEmployer(
        employer_id=employer_id, name=body.name, sector=body.sector, gemeente=body.gemeente,
        contacts=None if body.contacts is None else tuple(
            c.model_dump(mode="json", by_alias=True) for c in body.contacts))
    return employer_view(await keeping.change_employer(uow, command))


@router.patch("/vacancies/{vacancyId}", response_model=VacancyOut, responses=STATE,
              tags=["vacancies"])
async def change_vacancy(vacancy_id: VacancyId, body: VacancyChanges,
                         uow: KeeperUow) -> VacancyOut:
    """Change an open vacancy your organisation keeps: publishes it again; fewer positions than
    people placed from it closes it as filled. Withdraw it with POST …/closures."""
    command = ChangeVacancy(
        vacancy_id=vacancy_id, title=body.title, werksoort=body.werksoort,
        gemeente=body.gemeente, hours_per_week=body.hours_per_week,
        hourly_wage=None if body.hourly_wage is None else Decimal(body.hourly_wage),
        clears_hourly_wage="hourly_wage" in body.model_fields_set and body.hourly_wage is None,
        contract_forms=None if body.contract_forms is None else tuple(body.contract_forms),
        tasks=None if body.tasks is None else tuple(task_spec(t) for t in body.tasks),
        positions=body.positions)
    return vacancy_view(await keeping.change_vacancy(uow, command))
