"""The base of every request and response body: camelCase, strict about input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.alias_generators import to_camel

# The one range of dates any API of this product accepts for an event in the klantreis (a
# registration, a measurement, a placement, a payment month, a report period). Years like 0001
# or 9999 are typing errors or probes; outside the range Python's date arithmetic (and the
# database) can overflow, which used to surface as a 500.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_DAY.year, LATEST_DAY.year
# Birth dates reach further back: a resident born in 1958 is still of working age.
EARLIEST_BIRTH_DAY = date(1900, 1, 1)


def bounded_day(day: date) -> date:
    """The day itself when it lies within 2000-01-01 … 2100-12-31, else ValueError (→ 400)."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"must lie between {EARLIEST_DAY} and {LATEST_DAY}")
    return day


def _bounded_birth_day(day: date) -> date:
    if not EARLIEST_BIRTH_DAY <= day <= LATEST_DAY:
        raise ValueError(f"must lie between {EARLIEST_BIRTH_DAY} and {LATEST_DAY}")
    return day


_DAY_DOC = f"A calendar day from {EARLIEST_DAY} to {LATEST_DAY}."
# Use these for every date in a body or a query: bounds are checked once, at the edge.
Day = Annotated[date, AfterValidator(bounded_day), Field(description=_DAY_DOC)]
BirthDate = Annotated[date, AfterValidator(_bounded_birth_day),
                      Field(description=f"From {EARLIEST_BIRTH_DAY} to {LATEST_DAY}.")]
Year = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR, examples=[2026])]
MONTH_PATTERN = r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$"
Month = Annotated[str, Field(pattern=MONTH_PATTERN, examples=["2026-01"],
                             description="A calendar month YYYY-MM, 2000-01 … 2100-12.")]
GemeenteCode = Annotated[str, Field(pattern=r"^GM\d{4}$", examples=["GM0757"],
                                    description="CBS code of a gemeente.")]
# JSON true/false only: "yes", 1 or "true" are typing errors, not consent.
Flag = StrictBool

# NUL and other control characters (tab, CR and LF excepted): Postgres text refuses NUL, and
# none of them belongs in a name, a code or a summary.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


class ApiModel(BaseModel):
    """camelCase JSON; unknown fields are a 400 (a typo must not be a silent no-op)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_booleans(cls, value: Any, info: Any) -> Any:
        # Lax pydantic reads "yes", "on" and 1 as true; a boolean in our APIs is JSON true/false.
        field = cls.model_fields.get(info.field_name) if info.field_name else None
        if field is not None and field.annotation in _BOOL_ANNOTATIONS and value is not None \
                and not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if any(_CONTROL.search(text) for text in _strings(value)):
            raise ValueError("control characters are not allowed")
        return value


_BOOL_ANNOTATIONS: tuple[Any, ...] = (bool, bool | None)
