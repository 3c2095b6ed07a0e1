"""Hostile values the schema allows or barely forbids, put into otherwise valid requests.

Random generation rarely hits the inputs that broke these services before: years 0000 and
9999 in dates, months and report periods (date arithmetic overflows), a 400-digit
webhook-timestamp (int → float overflow). So a share of the fuzz suite's requests is a valid
generated request with one such value put in a date-like query, path or body field, or in the
webhook-timestamp header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import schemathesis

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MONTH = re.compile(r"^\d{4}-\d{2}$")
YEAR_NAMES = {"year", "startYear"}
# Query parameters that name a day, a month or a period (reporting's 2026-Q2, 2026-H1, 2026).
DATED_QUERY = re.compile(r"(period|month|year|date|day|from|until|on)$", re.IGNORECASE)

EXTREME_DATES = ("0001-01-01", "9999-12-31")
EXTREME_MONTHS = ("0000-01", "0000-12", "9999-12")
EXTREME_PERIODS = ("0000", "9999", "9999-Q4", "0000-H1", "9999-12")
EXTREME_YEARS = (0, 9999)
EXTREME_TIMESTAMPS = ("9" * 400, "-" + "9" * 400, "1e309")

Mutation = Callable[[schemathesis.Case], None]


def _put(container: dict[str, Any], key: str, value: Any) -> Mutation:
    def mutate(case: schemathesis.Case) -> None:
        container[key] = value

    return mutate


def _signed_at(timestamp: str) -> Mutation:
    """Standard Webhooks headers, all present, with this timestamp: the parse comes first."""

    def mutate(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), "webhook-id": "msg_fuzz",
                        "webhook-timestamp": timestamp, "webhook-signature": "v1,AAAA"}

    return mutate


def _body_mutations(body: Any) -> list[Mutation]:
    """Dates, months and years anywhere in a JSON body (nested objects and lists too)."""
    found: list[Mutation] = []
    if isinstance(body, list):
        for item in body:
            found += _body_mutations(item)
    if not isinstance(body, dict):
        return found
    for key, value in body.items():
        if isinstance(value, str) and DATE.match(value):
            found += [_put(body, key, v) for v in EXTREME_DATES]
        elif isinstance(value, str) and MONTH.match(value):
            found += [_put(body, key, v) for v in EXTREME_MONTHS]
        elif key in YEAR_NAMES and isinstance(value, int):
            found += [_put(body, key, v) for v in EXTREME_YEARS]
        else:
            found += _body_mutations(value)
    return found


def mutations(operation: schemathesis.APIOperation, case: schemathesis.Case) -> list[Mutation]:
    """Every single-field hostile change of this (valid) case."""
    found: list[Mutation] = []
    query = case.query if case.query is not None else {}
    for name in (p.name for p in operation.query):
        if DATED_QUERY.search(name):
            case.query = query
            values = EXTREME_PERIODS if name == "period" else (*EXTREME_DATES, *EXTREME_MONTHS)
            found += [_put(query, name, v) for v in values]
    for name, value in (case.path_parameters or {}).items():
        if name == "year":
            found += [_put(case.path_parameters, name, v) for v in EXTREME_YEARS]
        elif name == "month" or (isinstance(value, str) and MONTH.match(value)):
            found += [_put(case.path_parameters, name, v) for v in EXTREME_MONTHS]
    if "webhook-timestamp" in {p.name for p in operation.headers}:
        found += [_signed_at(v) for v in EXTREME_TIMESTAMPS]
    found += _body_mutations(case.body)
    return found
