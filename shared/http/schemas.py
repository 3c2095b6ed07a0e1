"""The base of every request and response body: camelCase, strict about input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

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

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if any(_CONTROL.search(text) for text in _strings(value)):
            raise ValueError("control characters are not allowed")
        return value
