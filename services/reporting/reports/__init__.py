"""The report tables: columns, how each is computed, and how it is shown to whom.

A report is a flat table (one list of rows with the same columns), so its JSON and CSV forms
are the same data. Columns say what they hold: a `people` column is suppressed ("<5" for 1–4)
when the figures go beyond the gemeente itself; a `derived` column (a median, an amount of a
few people, a difference with a people count) is blanked with its `basis` people column.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from services.reporting.domain.figures import is_small, suppress
from services.reporting.store.queries import Figures
from shared.organisations import display_name

Kind = Literal["text", "int", "people", "derived", "money", "derived-money", "number"]
# Columns blanked (null) beyond the gemeente when their `basis` people column is 1–4.
DERIVED_KINDS = ("derived", "derived-money")
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a report table."""

    name: str
    kind: Kind
    description: str
    basis: str | None = None  # for `derived`: the people column it is computed from


@dataclass(frozen=True)
class Context:
    """What a report needs besides its figures: settings that shape the figures, and today."""

    provider_kvks: Mapping[str, Sequence[str]]
    today: date  # the Dutch calendar day of the request (budgets are judged no later)


Builder = Callable[[Figures, Context], Awaitable[list[Row]]]


@dataclass(frozen=True)
class Report:
    """A report: its path segment, its columns and its builder."""

    slug: str
    title: str
    summary: str
    columns: tuple[Column, ...]
    build: Builder


def gemeente_columns() -> tuple[Column, Column]:
    """Every table's first columns: the code (what travels) and the name (what people read)."""
    return (Column("gemeente", "text", "CBS code of the gemeente"),
            Column("gemeenteName", "text", "name of the gemeente"))


# Name columns filled from the code beside them (shared/organisations.py), never stored.
NAMED = {"gemeenteName": "gemeente", "providerName": "provider"}


def with_names(report: Report, rows: Sequence[Row]) -> list[Row]:
    """The rows with the name of every coded organisation beside its code."""
    names = [(column.name, NAMED[column.name]) for column in report.columns
             if column.name in NAMED]
    named: list[Row] = []
    for row in rows:
        out = dict(row)
        for name, code in names:
            out[name] = display_name(str(row[code]))
        named.append(out)
    return named


CENT = Decimal("0.01")


def money(value: Decimal | None) -> str:
    """An amount in euros as a decimal string with exactly two decimals ("735467.40"): the
    product's one money format (README), in JSON and in CSV alike, never a float."""
    return str((value or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP))


def present(report: Report, rows: Sequence[Row], *, exact: bool) -> list[Row]:
    """Rows as the caller may see them: named, and exact or with small cells suppressed."""
    if exact:
        return with_names(report, rows)
    shown: list[Row] = []
    for row in with_names(report, rows):
        out = dict(row)
        for column in report.columns:
            if column.kind == "people":
                out[column.name] = suppress(int(row[column.name]), exact=False)
            elif column.kind in DERIVED_KINDS and column.basis is not None:
                if is_small(int(row[column.basis])):
                    out[column.name] = None
        shown.append(out)
    return shown


def all_reports() -> tuple[Report, ...]:
    """Every report, in the order the API lists them."""
    from services.reporting.reports.flows import FLOW_REPORTS
    from services.reporting.reports.journeys import JOURNEY_REPORTS
    from services.reporting.reports.stocks import STOCK_REPORTS

    return (*JOURNEY_REPORTS, *FLOW_REPORTS, *STOCK_REPORTS)
