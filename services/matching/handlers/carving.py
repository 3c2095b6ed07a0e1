"""Jobcarving: a new vacancy of some of an open vacancy's tasks, linked to it (carvedFrom)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.matching.commands import CarveVacancy, DemandSpec, TaskSpec, VacancySpec
from services.matching.domain.numbers import json_number
from services.matching.handlers import require_writer
from services.matching.handlers.vacancies import published, vacancy_columns, visible_vacancy
from services.matching.store.models import Vacancy
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.matching import PlacementForm
from shared.events.vocabulary import Werksoort
from shared.problems import BadRequest, Conflict, InvalidParam


def as_shown(value: Any) -> Decimal:
    """A stored decimal string as the API shows it (a JSON number: 16.0 reads 16): taken in
    again, a stored task keeps the numbers a client sees."""
    return Decimal(str(json_number(Decimal(str(value)))))


def task_of_stored(task: dict[str, Any]) -> TaskSpec:
    """A stored task (camelCase JSON, decimal strings) as a command's task."""
    return TaskSpec(
        name=task["name"], hours_per_week=as_shown(task["hoursPerWeek"]),
        demands=tuple(DemandSpec(code=d["code"],
                                 value=None if d.get("value") is None else as_shown(d["value"]))
                      for d in task.get("demands", [])),
        skills=tuple(task.get("skills", [])))


async def carve(uow: MatchingUnitOfWork, command: CarveVacancy, *,
                min_hours: float) -> Vacancy:
    """A carved job: some of the original's tasks, linked to it, published for matching."""
    principal = require_writer(uow)
    original = await visible_vacancy(uow, command.vacancy_id)
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
    tasks = tuple(task_of_stored(t) for t in original.tasks if t["name"].casefold() in wanted)
    hours = sum((t.hours_per_week for t in tasks), Decimal(0))
    if hours < Decimal(str(min_hours)):
        raise BadRequest(f"a carved job needs at least {min_hours:g} hours a week",
                         invalid_params=[InvalidParam("tasks", f"only {hours} hours")])
    spec = VacancySpec(
        title=f"{original.title} (carved)"[:200], werksoort=Werksoort(original.werksoort),
        gemeente=original.gemeente, hours_per_week=hours,
        hourly_wage=(None if original.hourly_wage is None
                     else original.hourly_wage.quantize(Decimal("0.01"))),
        contract_forms=tuple(PlacementForm(f) for f in original.contract_forms), tasks=tasks,
        positions=1)
    carved = uow.vacancies.add(Vacancy(**vacancy_columns(
        spec, owner_org=principal.org, employer_id=original.employer_id,
        carved_from=original.id)))
    await uow.flush()
    uow.outbox.add(published(carved))
    return carved
