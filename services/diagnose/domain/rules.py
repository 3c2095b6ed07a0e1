"""Diagnose's rules: validation against the reference data, dates, ZRM development."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.diagnose.domain.reference import (
    INSTRUMENTS,
    ZRM_DOMAINS,
    ZRM_MAX_SCORE,
    ZRM_MIN_SCORE,
)
from shared.events.vocabulary import CONSTRAINTS, ConstraintKind, Instrument

# A case is open from the referral until the consultant closes it or the gemeente withdraws it.
OPEN, CLOSED = "open", "closed"


class RuleViolation(ValueError):
    """Input that breaks a diagnose rule; `field` names the offending input.

    `code_list` names the reference list when the input is a code that is not on it, so the API
    can say which list (and where to read it) instead of only "unknown".
    """

    def __init__(self, field: str, reason: str, *, code_list: str | None = None,
                 value: object = None) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.code_list = code_list
        self.value = value


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_end(instrument: Instrument, started_on: date, requested: date | None) -> date:
    """The requested end, or the instrument's default; never beyond its maximum."""
    spec = INSTRUMENTS[instrument]
    end = requested or add_months(started_on, spec.default_months)
    if end <= started_on:
        raise RuleViolation("plannedEnd", "must be after the start date")
    if spec.max_months is not None and end > add_months(started_on, spec.max_months):
        raise RuleViolation("plannedEnd",
                            f"{instrument.value} runs at most {spec.max_months} months")
    return end


def check_zrm_scores(scores: Mapping[str, int]) -> None:
    """Known ZRM domains, each scored 1–5; at least one."""
    if not scores:
        raise RuleViolation("scores", "score at least one ZRM domain")
    for domain, score in scores.items():
        if domain not in ZRM_DOMAINS:
            raise RuleViolation(f"scores.{domain}", "not a ZRM domain", code_list="zrm-domains",
                                value=domain)
        if not ZRM_MIN_SCORE <= score <= ZRM_MAX_SCORE:
            raise RuleViolation(f"scores.{domain}",
                                f"ZRM scores run from {ZRM_MIN_SCORE} to {ZRM_MAX_SCORE}")


def check_zrm_complete(scores: Mapping[str, int], *, partial: bool,
                       partial_reason: str | None) -> None:
    """A ZRM scores all 13 domains, or says it is partial and why (the reason is recorded)."""
    missing = [domain for domain in ZRM_DOMAINS if domain not in scores]
    if partial:
        if not missing:
            raise RuleViolation("partial", f"all {len(ZRM_DOMAINS)} ZRM domains are scored: "
                                           "the assessment is not partial")
        if not partial_reason:
            raise RuleViolation("partialReason", "a partial ZRM says why not all "
                                                 f"{len(ZRM_DOMAINS)} domains are scored")
    elif partial_reason is not None:
        raise RuleViolation("partialReason", "only with partial: true")
    elif missing:
        raise RuleViolation("scores", f"a ZRM scores all {len(ZRM_DOMAINS)} domains of the list "
                                      f"'zrm-domains'; missing: {', '.join(missing)} (or send "
                                      "partial: true with a partialReason)")


def check_not_before(*, field: str, day: date, step: str, step_day: date,
                     migrated: bool) -> None:
    """A step is not dated before the step it follows, unless the caller marks it as migrated
    history (recorded afterwards from an older file, and stored as such)."""
    if day < step_day and not migrated:
        raise RuleViolation(field, f"{day.isoformat()} lies before the {step} on "
                                   f"{step_day.isoformat()}: a step cannot precede the step it "
                                   "follows (send migrated: true for history recorded "
                                   "afterwards)")


@dataclass(frozen=True)
class ZrmDevelopment:
    """The change per domain between two assessments (positive: more self-sufficient)."""

    from_date: date
    to_date: date
    changes: dict[str, int]


def zrm_development(assessments: Sequence[tuple[date, Mapping[str, int]]]) -> ZrmDevelopment | None:
    """Development between the last two assessments, over the domains both scored."""
    if len(assessments) < 2:
        return None
    ordered = sorted(assessments, key=lambda a: a[0])
    (before_on, before), (after_on, after) = ordered[-2], ordered[-1]
    changes = {d: after[d] - before[d] for d in ZRM_DOMAINS if d in before and d in after}
    return ZrmDevelopment(from_date=before_on, to_date=after_on, changes=changes)


def check_constraints(items: Iterable[tuple[str, Decimal | None]]) -> None:
    """Every code in the vocabulary; limits carry a value in range, flags carry none."""
    seen: set[str] = set()
    for index, (code, value) in enumerate(items):
        spec = CONSTRAINTS.get(code)
        where = f"constraints.{index}"
        if spec is None:
            raise RuleViolation(f"{where}.code", f"unknown constraint code {code!r}",
                                code_list="constraint-codes", value=code)
        if code in seen:
            raise RuleViolation(f"{where}.code", f"{code} given twice")
        seen.add(code)
        if spec.kind is ConstraintKind.FLAG and value is not None:
            raise RuleViolation(f"{where}.value", f"{code} is a flag and takes no value")
        if spec.kind is ConstraintKind.LIMIT:
            if value is None:
                raise RuleViolation(f"{where}.value", f"{code} needs a value in {spec.unit}")
            low, high = spec.minimum, spec.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                raise RuleViolation(f"{where}.value",
                                    f"{code} must be between {low} and {high} {spec.unit}")


def check_wage_value(*, percentage: int, method: str, methods: Sequence[str],
                     measured_at: date, valid_until: date | None, today: date) -> None:
    """A whole percentage 0–100 by an accepted method, not measured in the future."""
    if not 0 <= percentage <= 100:
        raise RuleViolation("wageValuePct", "a wage value is a percentage from 0 to 100")
    if method not in methods:
        raise RuleViolation("method", f"not an accepted method; use one of {', '.join(methods)}",
                            code_list="wage-value-methods", value=method)
    if measured_at > today:
        raise RuleViolation("measuredAt", "cannot be in the future")
    if valid_until is not None and valid_until <= measured_at:
        raise RuleViolation("validUntil", "must be after the measurement date")


def is_overdue(planned: date | None, today: date, *, open_case: bool) -> bool:
    """An open case past its planned end."""
    return open_case and planned is not None and planned < today
