"""How matching writes a number that is a JSON number on the wire (issue 15): as sent."""

from __future__ import annotations

from decimal import Decimal


def json_number(value: Decimal | float) -> int | float:
    """A whole value as an integer (16, never 16.0), else the float that reads as the decimal."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)
