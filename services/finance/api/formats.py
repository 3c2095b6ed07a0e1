"""The shapes of finance's values (issue 15), written once: money a decimal string with exactly
two decimals ("1530.38"); hours and percentages JSON numbers, echoed as sent (10 stays 10, 10.5
stays 10.5); counts integers; coded fields enums of finance's reference lists, whose 400 names
the list.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, WithJsonSchema

from services.finance.api.reference_lists import (
    GRANT_STATUSES,
    LKS_REFUSAL_REASONS,
    PARAMETER_CODES,
    PARAMETER_UNITS,
    PAYMENT_RUN_STATUSES,
)
from shared.http.reference import code_type

DecimalString = Annotated[str, Field(pattern=r"^\d{1,7}(\.\d{1,4})?$", examples=["14.71"],
                                     description="a non-negative decimal number as a string")]
MONEY_PATTERN = r"^-?\d{1,12}\.\d{2}$"
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["1530.38"],
                             description="an amount in euros, two decimals")]
# An optional date: `format: date` on the property itself too (the ADR linter looks there).
OptionalDate = Annotated[date | None, Field(json_schema_extra={"format": "date"})]
ParameterCode = code_type(PARAMETER_CODES)
ParameterUnit = code_type(PARAMETER_UNITS)
RefusalReason = code_type(LKS_REFUSAL_REASONS)
GrantStatus = code_type(GRANT_STATUSES)
PaymentRunStatus = code_type(PAYMENT_RUN_STATUSES)


def json_number(value: Decimal) -> int | float:
    """Hours and percentages as JSON numbers: a whole value as an integer (10, never 10.0),
    else the shortest float that reads back as the same decimal (10.5, 43.3333)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# A Decimal inside, a JSON number outside (hours, percentages, projected places).
Number = Annotated[Decimal, PlainSerializer(json_number),
                   WithJsonSchema({"type": "number", "examples": [36, 10.5]})]
# An intermediate rate of the formula, unrounded (the law rounds once, at the monthly amount).
ExactDecimal = Annotated[str, Field(
    pattern=r"^\d{1,9}(\.\d{1,6})?$", examples=["7.355"],
    description="euros per hour as the formula uses them, not rounded to cents (up to six "
                "decimals: 34.5 % of 14.71 is 5.07495)")]


def _parameter_value(value: str | Decimal) -> str | int | float:
    return value if isinstance(value, str) else json_number(value)


# Money (a two-decimal string, made by the view) or a number: one serializer for the union, so
# pydantic never guesses which member a value belongs to.
ParameterValue = Annotated[str | Decimal, PlainSerializer(_parameter_value), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": MONEY_PATTERN, "examples": ["14.71"]},
              {"type": "number", "examples": [23.5, 12]}],
    "description": "an amount in euros (units EUR/hour, EUR/month) as a decimal string with "
                   "two decimals; a percentage or a number of months as a JSON number"})]
