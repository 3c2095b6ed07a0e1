"""The shared figure definitions and the minimum-wage age rule, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shared.figures import (
    PlaceKind,
    budget_reference_day,
    counts_against_guidance_budget,
    counts_as_place_realised,
    guidance_figures,
    place_kind,
    running_on,
)
from shared.minimum_wage import (
    age_on,
    applicable_hourly_wml,
    birthdays_between,
    needs_youth_share,
    youth_share_code,
)

WSD_KVK = "90000001"
KVKS = {"WSD": (WSD_KVK,)}


@pytest.mark.parametrize(("form", "employer", "expected"), [
    ("wsw", WSD_KVK, PlaceKind.SW),
    ("wsw", "12345678", PlaceKind.SW),  # a Wsw place is one wherever the person works
    ("lks", WSD_KVK, PlaceKind.PW_AT_PROVIDER),
    ("trial", WSD_KVK, PlaceKind.PW_AT_PROVIDER),
    ("sheltered", WSD_KVK, PlaceKind.PW_AT_PROVIDER),
    ("lks", "12345678", PlaceKind.PW_DIRECT),
    ("regular", WSD_KVK, PlaceKind.NOT_A_PLACE),
    ("secondment", "12345678", PlaceKind.NOT_A_PLACE),
])
def test_place_kind(form: str, employer: str, expected: PlaceKind) -> None:
    assert place_kind(form, employer_kvk=employer, provider="WSD", provider_kvks=KVKS) is expected


def test_an_unknown_provider_has_no_own_places() -> None:
    kind = place_kind("lks", employer_kvk=WSD_KVK, provider="IBN", provider_kvks=KVKS)
    assert kind is PlaceKind.PW_DIRECT


def test_only_pw_at_the_provider_uses_the_guidance_budget() -> None:
    assert [k for k in PlaceKind if counts_against_guidance_budget(k)] == [
        PlaceKind.PW_AT_PROVIDER]
    assert {k for k in PlaceKind if counts_as_place_realised(k)} == {
        PlaceKind.SW, PlaceKind.PW_AT_PROVIDER}


def test_boxtel_march_2021() -> None:
    """The lokaal plan: 120 at WSD, 20 direct, 350 Wsw, 108 funded → 12 above budget."""
    kinds = ([PlaceKind.PW_AT_PROVIDER] * 120 + [PlaceKind.PW_DIRECT] * 20
             + [PlaceKind.SW] * 350 + [PlaceKind.NOT_A_PLACE] * 7)
    figures = guidance_figures(108, kinds)
    assert (figures.funded, figures.at_provider, figures.direct, figures.above_budget) == (
        108, 120, 20, 12)
    assert guidance_figures(130, kinds).above_budget == 0


def test_running_on_is_inclusive() -> None:
    assert running_on(date(2026, 3, 31), start=date(2026, 3, 31), end=None)
    assert running_on(date(2026, 3, 31), start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert not running_on(date(2026, 4, 1), start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert not running_on(date(2025, 12, 31), start=date(2026, 1, 1), end=None)


def test_budget_reference_day() -> None:
    assert budget_reference_day(2025, date(2026, 11, 29)) == date(2025, 12, 31)
    assert budget_reference_day(2026, date(2026, 11, 29)) == date(2026, 11, 29)
    assert budget_reference_day(2027, date(2026, 11, 29)) == date(2027, 1, 1)


def test_age_changes_on_the_birthday() -> None:
    born = date(2005, 6, 15)
    assert age_on(born, date(2026, 6, 14)) == 20
    assert age_on(born, date(2026, 6, 15)) == 21
    assert needs_youth_share(born, date(2026, 6, 14)) == 20
    assert needs_youth_share(born, date(2026, 6, 15)) is None
    assert needs_youth_share(None, date(2026, 6, 15)) is None


def test_birthdays_split_a_month_only_while_below_21() -> None:
    born = date(2005, 6, 15)
    assert birthdays_between(born, date(2026, 5, 31), date(2026, 6, 30)) == [date(2026, 6, 15)]
    assert birthdays_between(born, date(2027, 5, 31), date(2027, 6, 30)) == []  # turns 22
    leap = date(2008, 2, 29)
    assert birthdays_between(leap, date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 3, 1)]


def test_youth_wml_is_a_share_of_the_adult_wml() -> None:
    # DOMAIN.md: WML 2026-01-01 €14.71; 18: 50 %, 20: 80 %.
    assert applicable_hourly_wml(Decimal("14.71"), Decimal("50")) == Decimal("7.355")
    assert applicable_hourly_wml(Decimal("14.71"), Decimal("80")) == Decimal("11.768")
    assert applicable_hourly_wml(Decimal("14.71"), None) == Decimal("14.71")
    assert youth_share_code(18) == "youth-share-pct-18"
    assert youth_share_code(14) == "youth-share-pct-15"
