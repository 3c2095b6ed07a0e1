"""Today in the Netherlands: the day payment months, budget reference days and re-assessments
are judged on (a server in UTC would be a day behind for an hour each night)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    """Today in the Netherlands."""
    return datetime.now(DUTCH_TIME).date()
