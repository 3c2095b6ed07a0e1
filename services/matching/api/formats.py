"""The number format of matching's API (issue 15) and its coded field types.

- Money is a decimal string with exactly two decimals ("14.71"), in and out.
- Hours, task demands and percentages are JSON numbers, echoed as sent: 10 stays 10 and 10.5
  stays 10.5 (never "10.0", never a string). A string where a number belongs is a 400, so a
  client learns the format on its first request instead of on its first read.
- Counts are integers.
- A coded field is an enum of its reference list; an unknown code is a 400 naming the list.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from services.matching.api.reference_lists import (
    PLACEMENT_END_REASONS,
    PLACEMENT_FORMS,
    WEBHOOK_EVENT_TYPES,
    WERKSOORTEN,
)
from services.matching.domain.numbers import json_number
from shared.events.matching import PlacementEndReason, PlacementForm
from shared.events.vocabulary import Werksoort
from shared.http.reference import code_type, enum_type


def _a_json_number(value: Any) -> Any:
    # JSON booleans are numbers to Python; strings are not numbers in this API.
    if isinstance(value, str | bool):
        raise ValueError("must be a JSON number (e.g. 10 or 10.5), not a string or boolean")
    return value


# In: a JSON number, kept exactly as a Decimal. Out: a JSON number as sent.
NumberIn = Annotated[Decimal, BeforeValidator(_a_json_number)]
Number = Annotated[Decimal, PlainSerializer(json_number),
                   WithJsonSchema({"type": "number", "examples": [16, 10.5]})]
Hours = Annotated[NumberIn, Field(gt=0, le=40, max_digits=3, decimal_places=1),
                  WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 40,
                                  "examples": [16, 10.5],
                                  "description": "hours a week, at most one decimal"})]
DemandValue = Annotated[NumberIn, Field(max_digits=4, decimal_places=1),
                        WithJsonSchema({"type": "number", "examples": [25, 4.5],
                                        "description": "the LIMIT the task needs, in the "
                                                       "code's unit"})]
Wage = Annotated[str, Field(pattern=r"^\d{1,4}\.\d{2}$", examples=["14.71"],
                            description="euros an hour, a decimal string with two decimals")]

WerksoortCode = enum_type(WERKSOORTEN, Werksoort)
PlacementFormCode = enum_type(PLACEMENT_FORMS, PlacementForm)
EndReasonCode = enum_type(PLACEMENT_END_REASONS, PlacementEndReason)
WebhookEventType = code_type(WEBHOOK_EVENT_TYPES)
