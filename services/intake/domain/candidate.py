"""Candidate states and the rules that move them; pure, so handlers and tests share them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from shared.events.intake import Route


class Status(StrEnum):
    """Where a candidate is in the klantreis, as intake sees it."""

    REGISTERED = "registered"
    EXEMPT = "exempt"
    CARE = "care"
    REGULAR_WORK = "regular-work"
    REFERRED = "referred"
    IN_PROGRAMME = "in-programme"
    CLOSED = "closed"


class TargetGroup(StrEnum):
    """Doelgroep at registration."""

    BIJSTAND = "bijstand"
    NIEUW_BESCHUT = "nieuw-beschut"
    WSW_INDICATIE = "wsw-indicatie"
    VERGUNNINGHOUDER = "vergunninghouder"
    JONGERE = "jongere"
    NIET_UITKERINGSGERECHTIGDE = "niet-uitkeringsgerechtigde"


class Benefit(StrEnum):
    """The benefit the candidate receives at registration."""

    BIJSTAND = "bijstand"
    IOAW = "ioaw"
    IOAZ = "ioaz"
    ANW = "anw"
    WW = "ww"
    WAJONG = "wajong"
    NONE = "geen"


class AccessGround(StrEnum):
    """On what ground a caller may read a candidate's personal data."""

    OWN_GEMEENTE = "own-gemeente"
    REFERRAL = "referral"
    PROGRAMME = "programme"


class TransitionError(ValueError):
    """A command the candidate's current status does not allow."""


class DateOrderError(ValueError):
    """A step dated before the step it follows; `field` names the offending input."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def check_not_before(*, field: str, day: date, step: str, step_day: date,
                     migrated: bool) -> None:
    """A step is not dated before the step it follows, unless the caller marks it as migrated
    history (recorded afterwards from an older file, and stored as such)."""
    if day < step_day and not migrated:
        raise DateOrderError(field, f"{day.isoformat()} lies before the {step} on "
                                    f"{step_day.isoformat()}: a step cannot precede the step it "
                                    "follows (send migrated: true for history recorded "
                                    "afterwards)")


ROUTE_STATUS = {
    Route.EXEMPT: Status.EXEMPT,
    Route.CARE: Status.CARE,
    Route.REGULAR_WORK: Status.REGULAR_WORK,
    Route.REFER: Status.REFERRED,
}
_OPEN_FOR_ROUTE = frozenset({Status.REGISTERED, Status.EXEMPT, Status.CARE,
                             Status.REGULAR_WORK, Status.REFERRED})
_OPEN_FOR_PROGRAMME = frozenset({Status.REFERRED, Status.IN_PROGRAMME})
MIN_AGE = 15


def status_after_route(current: Status, route: Route) -> Status:
    """The status a route decision leads to; a programme or closure can't be re-routed."""
    if current not in _OPEN_FOR_ROUTE:
        raise TransitionError(f"a route cannot be decided for a candidate who is {current.value}")
    return ROUTE_STATUS[route]


def ends_referrals(route: Route) -> bool:
    """A route other than referral takes the candidate away from the uitvoerders."""
    return route is not Route.REFER


def check_programme_allowed(current: Status) -> None:
    """A programme follows a referral (and may be changed while in a programme)."""
    if current not in _OPEN_FOR_PROGRAMME:
        raise TransitionError(
            f"a programme needs a referred candidate; this one is {current.value}")


def check_closable(current: Status) -> None:
    """Anyone not yet closed can be closed."""
    if current is Status.CLOSED:
        raise TransitionError("the candidate is already closed")


def provider_ground(
    *, status: Status, provider: str, referred_to: frozenset[str], programme_provider: str | None
) -> AccessGround | None:
    """Why `provider` may read this candidate, or None: only while referred or in its programme."""
    if status is Status.CLOSED:
        return None
    if provider in referred_to:
        return AccessGround.REFERRAL
    if programme_provider == provider:
        return AccessGround.PROGRAMME
    return None


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)
