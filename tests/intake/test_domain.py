"""Intake's pure rules: the elfproef and the candidate's state machine."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain.bsn import is_valid_bsn
from services.intake.domain.candidate import (
    AccessGround,
    Status,
    TransitionError,
    age_on,
    check_closable,
    check_programme_allowed,
    provider_ground,
    status_after_route,
)
from shared.events.intake import Route

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def with_check_digit(first_eight: str) -> str | None:
    """Complete eight digits to a valid BSN, if a check digit exists."""
    partial = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS[:8], strict=True))
    for last in range(10):
        if (partial - last) % 11 == 0 and (partial - last) != 0:
            return first_eight + str(last)
    return None


@pytest.mark.parametrize("bsn", ["999996708", "999996630", "111222333", "123456782"])
def test_known_valid_numbers(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", ["999998620", "123456789", "000000000", "12345678",
                                 "1234567890", "abcdefghi", "99999670８", "", " 99999670"])
def test_known_invalid_numbers(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_completed_numbers_pass(first_eight: str) -> None:
    bsn = with_check_digit(first_eight)
    if bsn is not None:
        assert is_valid_bsn(bsn)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 8),
       st.integers(1, 9))
def test_any_single_digit_change_is_caught(first_eight: str, position: int, delta: int) -> None:
    bsn = with_check_digit(first_eight)
    if bsn is None:
        return
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_bsn("".join(digits))


@given(st.text(min_size=0, max_size=12))
def test_never_raises_on_any_text(value: str) -> None:
    assert isinstance(is_valid_bsn(value), bool)


@pytest.mark.parametrize(("route", "status"), [
    (Route.EXEMPT, Status.EXEMPT), (Route.CARE, Status.CARE),
    (Route.REGULAR_WORK, Status.REGULAR_WORK), (Route.REFER, Status.REFERRED)])
def test_route_moves_a_registered_candidate(route: Route, status: Status) -> None:
    assert status_after_route(Status.REGISTERED, route) is status


@pytest.mark.parametrize("current", [Status.IN_PROGRAMME, Status.CLOSED])
def test_no_route_once_in_programme_or_closed(current: Status) -> None:
    with pytest.raises(TransitionError):
        status_after_route(current, Route.REFER)


def test_programme_needs_a_referral() -> None:
    check_programme_allowed(Status.REFERRED)
    check_programme_allowed(Status.IN_PROGRAMME)
    for status in (Status.REGISTERED, Status.EXEMPT, Status.CLOSED):
        with pytest.raises(TransitionError):
            check_programme_allowed(status)


def test_closing_twice_is_refused() -> None:
    check_closable(Status.IN_PROGRAMME)
    with pytest.raises(TransitionError):
        check_closable(Status.CLOSED)


def test_provider_ground() -> None:
    referred = frozenset({"WSD"})
    assert provider_ground(status=Status.REFERRED, provider="WSD", referred_to=referred,
                           programme_provider=None) is AccessGround.REFERRAL
    assert provider_ground(status=Status.IN_PROGRAMME, provider="IBN", referred_to=referred,
                           programme_provider="IBN") is AccessGround.PROGRAMME
    assert provider_ground(status=Status.REFERRED, provider="IBN", referred_to=referred,
                           programme_provider=None) is None
    assert provider_ground(status=Status.CLOSED, provider="WSD", referred_to=referred,
                           programme_provider="WSD") is None


def test_age_on() -> None:
    assert age_on(date(2000, 6, 15), date(2026, 6, 14)) == 25
    assert age_on(date(2000, 6, 15), date(2026, 6, 15)) == 26
