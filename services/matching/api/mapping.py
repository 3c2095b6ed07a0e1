"""Request bodies as matching's commands (the handlers never see an HTTP schema)."""

from __future__ import annotations

from decimal import Decimal

from services.matching.api.schemas import TaskIn, VacancyFields
from services.matching.api.webhook_schemas import WspVacancyMessage
from services.matching.commands import (
    DemandSpec,
    TaskSpec,
    VacancySpec,
    WspEmployerSpec,
    WspVacancyChange,
)


def task_spec(task: TaskIn) -> TaskSpec:
    """A task as sent."""
    return TaskSpec(name=task.name, hours_per_week=task.hours_per_week,
                    demands=tuple(DemandSpec(code=d.code, value=d.value) for d in task.demands),
                    skills=tuple(task.skills))


def vacancy_spec(fields: VacancyFields) -> VacancySpec:
    """A vacancy's fields as sent (money as a Decimal, codes as enums)."""
    return VacancySpec(
        title=fields.title, werksoort=fields.werksoort, gemeente=fields.gemeente,
        hours_per_week=fields.hours_per_week,
        hourly_wage=None if fields.hourly_wage is None else Decimal(fields.hourly_wage),
        contract_forms=tuple(fields.contract_forms),
        tasks=tuple(task_spec(t) for t in fields.tasks), positions=fields.positions)


def wsp_change(message: WspVacancyMessage) -> WspVacancyChange:
    """The WSP's webhook message."""
    if message.vacancy is None:
        return WspVacancyChange(action=message.action, external_ref=message.external_ref)
    given = message.vacancy.employer
    return WspVacancyChange(
        action=message.action, external_ref=message.external_ref,
        vacancy=vacancy_spec(message.vacancy),
        employer=WspEmployerSpec(kvk_number=given.kvk_number, name=given.name,
                                 sector=given.sector, gemeente=given.gemeente))
