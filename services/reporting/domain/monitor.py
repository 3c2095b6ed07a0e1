"""How the monitor sets a figure beside its target and beside the previous period, and how the
regional view suppresses small cells so that none can be worked back from the region's total.

Pure rules: no I/O. Percentages are plain numbers (one decimal), never strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from services.reporting.domain.figures import SMALL_CELL_MAX, Cell, is_small, suppress

Amount = int | float | Decimal
# How a total rounded to tens is shown on a page: "≈550".
ROUNDED = "≈"


def _number(value: object) -> Decimal | None:
    """A figure as a Decimal, or None for a missing or suppressed one ("<5", null)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)  # money travels as a decimal string ("1530.38")
        except ArithmeticError:
            return None
    return None


def pct_of(value: object, target: object) -> float | None:
    """`value` as a percentage of `target`, one decimal; None when either is unknown or the
    target is 0 (no percentage of nothing)."""
    amount, goal = _number(value), _number(target)
    if amount is None or goal is None or goal == 0:
        return None
    return float((100 * amount / goal).quantize(Decimal("0.1")))


def change(current: object, previous: object) -> Decimal | None:
    """Current minus previous; None when either is unknown (suppressed or missing)."""
    now, before = _number(current), _number(previous)
    if now is None or before is None:
        return None
    return now - before


def suppress_region(values: Mapping[str, int]) -> dict[str, Cell]:
    """One column of the regional view (a count per gemeente) as an uitvoerder's board sees
    it: 1–4 people as "<5"."""
    return {g: suppress(n, exact=False) for g, n in values.items()}


def region_total(values: Mapping[str, int]) -> tuple[Cell, bool]:
    """The region's sum of one column as the board sees it, and whether it is rounded.

    Exact when no gemeente's count is 1–4. Otherwise rounded to tens (half-up): the board sees
    every other gemeente's exact count (in its own views too), so an exact total would give
    the "<5" away by subtraction. A total of 1–4 is itself "<5".
    """
    total = sum(values.values())
    if total <= SMALL_CELL_MAX or not any(is_small(n) for n in values.values()):
        return suppress(total, exact=False), False
    return int(Decimal(total).quantize(Decimal("1E1"), rounding=ROUND_HALF_UP)), True
