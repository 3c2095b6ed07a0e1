"""What a task demands, compared with what a candidate's coded constraints allow.

A task's demands use the codes of `shared.events.vocabulary.CONSTRAINTS`, read from the job's
side:
- a LIMIT code with a value is what the task needs: `{"code": "lifting-max-kg", "value": 25}`
  means the task needs lifting up to 25 kg. A candidate whose limit for that code is lower
  (`lifting-max-kg` 10) cannot do the task: a hard conflict. A limit equal to the demand fits.
- a FLAG code means the task has that property: `{"code": "no-night-shifts"}` means the task
  has night shifts, `no-customer-contact` that it has customer contact, `low-pace` that it is
  paced (not self-paced), `supervision-needed` that it is done without close supervision. A
  candidate carrying the same flag cannot do it: a hard conflict.
A candidate without a constraint for a code is not limited by it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from shared.events.vocabulary import CONSTRAINTS, ConstraintKind


class DemandError(ValueError):
    """A demand that does not fit the vocabulary; `field` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Demand:
    """One coded demand of a task; `value` for LIMIT codes only."""

    code: str
    value: float | None = None


@dataclass(frozen=True)
class Conflict:
    """A task demand the candidate's constraint forbids."""

    task: str
    code: str
    demanded: float | None  # None for a FLAG
    allowed: float | None  # the candidate's limit; None for a FLAG


def check_demand(code: str, value: float | None, field: str) -> None:
    """A known code; a value within the code's range for LIMITs, none for FLAGs."""
    spec = CONSTRAINTS.get(code)
    if spec is None:
        # The codes are diagnose's list (a task demands what a candidate may be limited in).
        raise DemandError(field, f"unknown code {code!r} in list 'constraint-codes' (one of: "
                                 f"{', '.join(CONSTRAINTS)}; see diagnose's "
                                 "/v1/reference/constraint-codes)")
    if spec.kind is ConstraintKind.FLAG:
        if value is not None:
            raise DemandError(field, f"{code} is a flag and takes no value")
        return
    if value is None:
        raise DemandError(field, f"{code} needs a value in {spec.unit}")
    low = float(spec.minimum) if spec.minimum is not None else 0.0
    high = float(spec.maximum) if spec.maximum is not None else float("inf")
    if not low <= value <= high:
        raise DemandError(field, f"{code} runs from {low:g} to {high:g} {spec.unit}")


def is_limit(code: str) -> bool:
    """True for LIMIT codes (compared by value), False for FLAGs."""
    return CONSTRAINTS[code].kind is ConstraintKind.LIMIT


def task_conflicts(task: str, demands: Iterable[Demand], limits: Mapping[str, float],
                   flags: frozenset[str]) -> list[Conflict]:
    """Every demand of one task that the candidate's limits and flags forbid."""
    found: list[Conflict] = []
    for demand in demands:
        if demand.value is not None:
            allowed = limits.get(demand.code)
            if allowed is not None and allowed < demand.value:
                found.append(Conflict(task, demand.code, demand.value, allowed))
        elif demand.code in flags:
            found.append(Conflict(task, demand.code, None, None))
    return found


@dataclass(frozen=True)
class TaskShape:
    """What the job check needs of a task."""

    name: str
    hours: Decimal
    demands: tuple[Demand, ...]


def check_job(total_hours: Decimal, tasks: Sequence[TaskShape]) -> None:
    """Unique task names, valid demands, and task hours that add up to the job's hours."""
    seen: set[str] = set()
    for i, task in enumerate(tasks):
        if task.name.casefold() in seen:
            raise DemandError(f"tasks.{i}.name", "task names must be unique in a vacancy")
        seen.add(task.name.casefold())
        codes = [d.code for d in task.demands]
        for j, demand in enumerate(task.demands):
            check_demand(demand.code, demand.value, f"tasks.{i}.demands.{j}")
            if codes.count(demand.code) > 1:
                raise DemandError(f"tasks.{i}.demands.{j}", "each code at most once per task")
    hours = sum((task.hours for task in tasks), Decimal(0))
    if hours != total_hours:
        raise DemandError("tasks", f"the tasks' hours add up to {hours}, not to the "
                                   f"vacancy's {total_hours} hours per week")
