"""The official values the `parameters` table starts with (applied by migration 0001).

Values are those of the publications named in `source`; nothing here is a guess. A value not yet
published (e.g. the WML of 2026-07-01) is absent on purpose: until an admin adds it, the latest
earlier value applies. New values are added as new rows through `POST /v1/parameters`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.finance.domain.parameters import Code, Parameter, youth_share_code

EUR_PER_HOUR = "EUR/hour"
EUR_PER_MONTH = "EUR/month"
PERCENT = "percent"
MONTHS = "months"

_WML_SOURCE = ("Wet minimumloon en minimumvakantiebijslag art. 8 and 14 (indexation "
               "published in the Staatscourant); Rijksoverheid, 'Bedragen minimumloon {year}', "
               "https://www.rijksoverheid.nl/onderwerpen/minimumloon/bedragen-minimumloon")
_YOUTH_SOURCE = ("Wet minimumloon en minimumvakantiebijslag art. 8 (jeugdloonpercentages as of "
                 "2019-07-01); Rijksoverheid, 'Bedragen minimumloon'")
_HOLIDAY_SOURCE = "Wet minimumloon en minimumvakantiebijslag art. 15 (minimumvakantiebijslag 8%)"
_CAP_SOURCE = "Participatiewet art. 10d lid 3 (LKS at most 70% of the WML)"
_ALLOWANCE_SOURCE = ("Participatiewet art. 10d; Regeling loonkostensubsidie Participatiewet "
                     "(forfaitaire opslag werkgeverslasten)")
_REASSESSMENT_SOURCE = ("Participatiewet art. 6 and 10d; Regeling loonkostensubsidie "
                        "Participatiewet (periodic re-assessment of the loonwaarde)")
_BIJSTAND_SOURCE = ("Participatiewet art. 21 (norm alleenstaande 21 tot AOW-leeftijd, incl. "
                    "vakantietoeslag); Rijksoverheid, 'Normbedragen Participatiewet 1 januari "
                    "2025'")
PARTICIPATIEWET_IN_FORCE = date(2015, 1, 1)

_WML: tuple[tuple[date, str], ...] = (
    (date(2024, 1, 1), "13.27"),  # first hourly WML (Wet invoering minimumuurloon)
    (date(2024, 7, 1), "13.68"),
    (date(2025, 1, 1), "14.06"),
    (date(2025, 7, 1), "14.40"),
    (date(2026, 1, 1), "14.71"),
)
_YOUTH_SHARES: tuple[tuple[int, str], ...] = (
    (15, "30"), (16, "34.5"), (17, "39.5"), (18, "50"), (19, "60"), (20, "80"))


def official_parameters() -> list[Parameter]:
    """Every seeded row."""
    rows = [Parameter(Code.WML_HOURLY, day, Decimal(value), EUR_PER_HOUR,
                      _WML_SOURCE.format(year=day.year)) for day, value in _WML]
    rows += [Parameter(youth_share_code(age), date(2019, 7, 1), Decimal(share), PERCENT,
                       _YOUTH_SOURCE) for age, share in _YOUTH_SHARES]
    rows += [
        Parameter(Code.HOLIDAY_PAY, PARTICIPATIEWET_IN_FORCE, Decimal("8"), PERCENT,
                  _HOLIDAY_SOURCE),
        Parameter(Code.LKS_CAP, PARTICIPATIEWET_IN_FORCE, Decimal("70"), PERCENT, _CAP_SOURCE),
        Parameter(Code.EMPLOYER_COST_ALLOWANCE, PARTICIPATIEWET_IN_FORCE, Decimal("23"),
                  PERCENT, _ALLOWANCE_SOURCE),
        Parameter(Code.EMPLOYER_COST_ALLOWANCE, date(2018, 1, 1), Decimal("23.5"), PERCENT,
                  _ALLOWANCE_SOURCE),
        Parameter(Code.REASSESSMENT_MONTHS, PARTICIPATIEWET_IN_FORCE, Decimal("12"), MONTHS,
                  _REASSESSMENT_SOURCE),
        Parameter(Code.BIJSTAND_NORM_SINGLE, date(2025, 1, 1), Decimal("1345.45"),
                  EUR_PER_MONTH, _BIJSTAND_SOURCE),
    ]
    return rows
