"""The calendar day in the Netherlands: one definition for every service and every test.

Dates in this domain (a registration, a referral, a measurement, a payment month, a budget's
reference day) are Dutch calendar days. Servers keep time in UTC, which is a day behind for one
or two hours each night: a klantmanager's entry at 00:30 would be "in the future", and a step
recorded right after a referral would seem to precede it. So no code asks the machine for
today's date; it asks this module.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def dutch_day(moment: datetime) -> date:
    """The calendar day of a moment in the Netherlands (a referral at 00:30 is that day's)."""
    return moment.astimezone(DUTCH_TIME).date()


def dutch_today() -> date:
    """Today in the Netherlands."""
    return dutch_day(datetime.now(UTC))
