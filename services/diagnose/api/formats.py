"""The number format of diagnose's API (issue 15), in one place.

Hours, kilograms and percentages are JSON numbers, echoed as sent: hoursPerWeek 10 stays 10 and
10.5 stays 10.5 (never "10.0" nor a string). Diagnose handles no money. Inside, the values are
Decimals (stored as NUMERIC with one decimal), so no float rounding reaches a rule or the bus.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema


def _json_number(value: Any) -> Any:
    # "10" or true are typing errors in a number field, not numbers: refuse them here rather
    # than let the lax Decimal parser read them.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a JSON number")
    return value


def as_number(value: Decimal) -> int | float:
    """A whole value as an integer (10.0 → 10), any other as its decimal number (10.5)."""
    return int(value) if value == value.to_integral_value() else float(value)


def number_in(*, minimum: int, maximum: int, max_digits: int, exclusive_minimum: bool = False,
              description: str) -> Any:
    """A request number with one decimal at most, shown in the OpenAPI document as a number."""
    low = {"exclusiveMinimum": minimum} if exclusive_minimum else {"minimum": minimum}
    bounds = Field(gt=minimum) if exclusive_minimum else Field(ge=minimum)
    return Annotated[Decimal, BeforeValidator(_json_number), bounds,
                     Field(le=maximum, max_digits=max_digits, decimal_places=1),
                     WithJsonSchema({"type": "number", **low, "maximum": maximum,
                                     "description": description})]


NumberOut = Annotated[Decimal, PlainSerializer(as_number, return_type=Any, when_used="json"),
                      WithJsonSchema({"type": "number"})]
