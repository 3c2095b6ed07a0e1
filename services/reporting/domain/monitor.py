"""How the monitor sets a figure beside its target and beside the previous period, and how the
regional view hides small cells so that none can be worked back from the region's total.

Pure rules: no I/O. Percentages are plain numbers (one decimal), never strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from services.reporting.domain.figures import SUPPRESSED, Cell, suppress

Amount = int | float | Decimal
# A cell hidden only because exactly one other cell in its column is "<5": with the total
# shown, that one could otherwise be worked out by subtraction (secondary suppression).
HIDDEN = "×"


def _number(value: object) -> Decimal | None:
    """A figure as a Decimal, or None for a missing or suppressed one ("<5", "×", null)."""
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
    """One column of the regional view (a count per gemeente) as an uitvoerder's board sees it:
    1–4 people as "<5" and, when exactly one cell is "<5", the smallest other cell hidden too
    (shown as "×"), so the region's total does not give the small one away."""
    shown: dict[str, Cell] = {g: suppress(n, exact=False) for g, n in values.items()}
    small = [g for g, cell in shown.items() if cell == SUPPRESSED]
    if len(small) == 1:
        others = sorted((n, g) for g, n in values.items() if g != small[0])
        if others:
            shown[others[0][1]] = HIDDEN
    return shown
