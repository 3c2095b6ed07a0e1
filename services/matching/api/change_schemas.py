"""Bodies of the keeper's changes (PATCH): only the fields given change; null or absent leaves
a field as it is, except `hourlyWage: null`, which removes the wage."""

from __future__ import annotations

from pydantic import Field, model_validator

from services.matching.api.formats import Hours, PlacementFormCode, Wage, WerksoortCode
from services.matching.api.schemas import ContactIn, GemeenteCode, ShortText, TaskIn
from shared.http.schemas import ApiModel


class _Changes(ApiModel):
    @model_validator(mode="after")
    def _something(self) -> _Changes:
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        return self


class EmployerChanges(_Changes):
    """What changes about an employer you keep (its KvK number never does)."""

    name: ShortText | None = None
    sector: WerksoortCode | None = None
    gemeente: GemeenteCode | None = Field(default=None, description="where it is located")
    contacts: list[ContactIn] | None = Field(default=None, max_length=10)


class VacancyChanges(_Changes):
    """What changes about an open vacancy you keep; the result is checked as a whole (the
    tasks' hours add up to hoursPerWeek)."""

    title: ShortText | None = None
    werksoort: WerksoortCode | None = None
    gemeente: GemeenteCode | None = Field(default=None, description="where the work is")
    hours_per_week: Hours | None = None
    hourly_wage: Wage | None = Field(default=None, description=(
        "euros an hour, two decimals; null removes the wage"))
    contract_forms: list[PlacementFormCode] | None = Field(default=None, min_length=1,
                                                           max_length=6)
    tasks: list[TaskIn] | None = Field(default=None, min_length=1, max_length=30)
    positions: int | None = Field(default=None, ge=1, le=100, strict=True, description=(
        "fewer than the people already placed from it closes the vacancy as filled"))
