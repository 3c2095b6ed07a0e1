"""RFC 9457 problem details: one exception family, one renderer, for every service."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://participatiewet.example.nl/problems/"


@dataclass(frozen=True)
class InvalidParam:
    """One rejected input field: where it was and why."""

    name: str
    reason: str


@dataclass
class Problem(Exception):
    """A domain or API error that renders as application/problem+json."""

    detail: str
    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"
    invalid_params: list[InvalidParam] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    def body(self, instance: str | None = None) -> dict[str, Any]:
        """The problem+json body for this error."""
        return problem_body(
            status=self.status,
            title=self.title,
            detail=self.detail,
            slug=self.slug,
            instance=instance,
            invalid_params=self.invalid_params,
            extra=self.extra,
        )


def problem_body(
    *,
    status: int,
    title: str,
    detail: str,
    slug: str,
    instance: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build an RFC 9457 body; `invalidParams` only when there are any."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalidParams"] = [{"name": p.name, "reason": p.reason} for p in invalid_params]
    if extra:
        body.update(extra)
    return body


@dataclass
class BadRequest(Problem):
    """Input that fails validation (never FastAPI's 422)."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "invalid-input"
    title: ClassVar[str] = "Invalid input"


@dataclass
class Unauthorized(Problem):
    """No or an unusable bearer token."""

    status: ClassVar[int] = 401
    slug: ClassVar[str] = "unauthorized"
    title: ClassVar[str] = "Authentication required"


@dataclass
class Forbidden(Problem):
    """Authenticated, but this role or organisation may not do this."""

    status: ClassVar[int] = 403
    slug: ClassVar[str] = "forbidden"
    title: ClassVar[str] = "Forbidden"


@dataclass
class NotFound(Problem):
    """Absent, or present but outside the caller's tenancy (we do not tell which)."""

    status: ClassVar[int] = 404
    slug: ClassVar[str] = "not-found"
    title: ClassVar[str] = "Not found"


@dataclass
class Conflict(Problem):
    """The request clashes with the current state (duplicate, wrong status)."""

    status: ClassVar[int] = 409
    slug: ClassVar[str] = "conflict"
    title: ClassVar[str] = "Conflict"


@dataclass
class PayloadTooLarge(Problem):
    """The body exceeds the service's limit."""

    status: ClassVar[int] = 413
    slug: ClassVar[str] = "payload-too-large"
    title: ClassVar[str] = "Payload too large"


@dataclass
class UnsupportedMediaType(Problem):
    """The body is not JSON."""

    status: ClassVar[int] = 415
    slug: ClassVar[str] = "unsupported-media-type"
    title: ClassVar[str] = "Unsupported media type"


@dataclass
class UnprocessableState(Problem):
    """A well-formed command that the entity's state does not allow."""

    status: ClassVar[int] = 409
    slug: ClassVar[str] = "invalid-state"
    title: ClassVar[str] = "Not allowed in the current state"


@dataclass
class ServiceUnavailable(Problem):
    """A service this one depends on did not answer."""

    status: ClassVar[int] = 503
    slug: ClassVar[str] = "service-unavailable"
    title: ClassVar[str] = "Service unavailable"


@contextmanager
def domain_rules(*errors: type[Exception],
                 problem: type[Problem] = UnprocessableState) -> Iterator[None]:
    """Turn a domain rule's violation into a problem answer: the one translation of its kind.

    `with domain_rules(TransitionError): rules.next_status(...)`; the problem's detail is the
    rule's message, and an error that names its `field` (and `reason`) becomes an invalidParam.
    """
    try:
        yield
    except errors as exc:
        field_name = getattr(exc, "field", None)
        params = ([InvalidParam(str(field_name), str(getattr(exc, "reason", exc)))]
                  if field_name else [])
        raise problem(str(exc), invalid_params=params) from exc
