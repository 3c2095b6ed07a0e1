"""Tenancy and auth: a bearer JWT becomes a `Principal` (organisation, kind, gemeenten, roles).

HS256 with a shared secret for development; RS256 with a JWKS URL or a public key in
production. Every endpoint declares the roles it admits and checks the tenant itself.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.problems import Forbidden, Unauthorized
from shared.settings import ServiceSettings


class OrgKind(StrEnum):
    """What kind of organisation the caller acts for."""

    GEMEENTE = "gemeente"
    PROVIDER = "provider"
    WSP = "wsp"
    # The platform operator: the one party that writes national legal parameters (WML, youth
    # shares, allowances, norms). It acts for no gemeente and sees no resident.
    PLATFORM = "platform"


# What an `org` claim must look like for its kind: a CBS code for a gemeente, an upper-case
# identifier (WSD, WESTROM, WSP-NOB) for the others. Anything else is refused at the boundary,
# so no handler ever sees an organisation it cannot scope by.
ORG_PATTERNS: dict[OrgKind, re.Pattern[str]] = {
    OrgKind.GEMEENTE: re.compile(r"^GM\d{4}$"),
    OrgKind.PROVIDER: re.compile(r"^[A-Z][A-Z0-9-]{1,39}$"),
    OrgKind.WSP: re.compile(r"^[A-Z][A-Z0-9-]{1,39}$"),
    OrgKind.PLATFORM: re.compile(r"^[A-Z][A-Z0-9-]{1,39}$"),
}
GEMEENTE_CODE = ORG_PATTERNS[OrgKind.GEMEENTE]


class Role(StrEnum):
    """Roles a token can carry."""

    CASEWORKER = "caseworker"
    CONSULTANT = "consultant"
    ACCOUNT_MANAGER = "account-manager"
    CONTROLLER = "controller"
    ADMIN = "admin"
    BOARD = "board"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    subject: str
    org: str
    kind: OrgKind
    gemeenten: frozenset[str]
    roles: frozenset[Role]

    def acts_for(self, gemeente: str) -> bool:
        """May this caller act for residents of `gemeente`?"""
        return gemeente in self.gemeenten

    def is_gemeente(self, gemeente: str) -> bool:
        """Is this caller that gemeente itself (not an uitvoerder or WSP acting for it)?"""
        return self.kind is OrgKind.GEMEENTE and self.org == gemeente

    @property
    def idempotency_scope(self) -> str:
        """Whose Idempotency-Keys these are: one user of one organisation (max 64 chars).

        Per user, not per organisation: a colleague with other roles must not replay (and so
        read) what this user created without passing their own role check.
        """
        digest = hashlib.sha256(self.subject.encode()).hexdigest()[:20]
        return f"{self.org}:{digest}"

    def require(self, *roles: Role, kinds: tuple[OrgKind, ...] | None = None) -> None:
        """Raise 403 unless the caller has one of `roles` (and is of one of `kinds`)."""
        if kinds is not None and self.kind not in kinds:
            raise Forbidden(f"not available to a {self.kind.value} organisation")
        if not self.roles.intersection(roles):
            wanted = ", ".join(r.value for r in roles)
            raise Forbidden(f"needs one of the roles: {wanted}")


VERIFIED_CACHE_SIZE = 10_000


class TokenVerifier:
    """Checks signature, expiry, issuer and audience, then reads our claims."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._issuer = settings.auth_issuer
        self._audience = settings.auth_audience
        self._jwks = jwt.PyJWKClient(settings.auth_jwks_url) if settings.auth_jwks_url else None
        self._public_key = settings.auth_public_key
        self._secret = settings.auth_dev_secret
        self._verified: dict[str, tuple[Principal, float]] = {}

    def _key_and_algorithms(self, token: str) -> tuple[Any, list[str]]:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key, ["RS256"]
        if self._public_key:
            return self._public_key, ["RS256"]
        return self._secret, ["HS256"]

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; 401 for anything else.

        A token is immutable, so one already verified is only re-checked for expiry: the
        signature check is a tenth of a request's CPU, and clients send the same token often.
        """
        cached = self._verified.get(token)
        if cached is not None and time.time() < cached[1]:
            return cached[0]
        principal, expires = self._verify_uncached(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()  # crude but bounded; the common case is a few hot tokens
        self._verified[token] = (principal, expires)
        return principal

    def _verify_uncached(self, token: str) -> tuple[Principal, float]:
        try:
            key, algorithms = self._key_and_algorithms(token)
            claims = jwt.decode(
                token, key, algorithms=algorithms, audience=self._audience, issuer=self._issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
            return principal_from_claims(claims), float(claims["exp"])
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """Map our token claims onto a Principal; unknown roles are ignored, not trusted.

    Malformed claims (an `org` that is no code of its kind, a gemeente list with other things in
    it) raise ValueError, which the verifier turns into 401: a signed token is still input.
    """
    kind = OrgKind(claims["org_kind"])
    org = claims["org"]
    if not isinstance(org, str) or not ORG_PATTERNS[kind].fullmatch(org):
        raise ValueError(f"claim 'org' is not a valid {kind.value} identifier")
    listed = claims.get("gemeenten") or []
    if not isinstance(listed, list) or not all(
            isinstance(g, str) and GEMEENTE_CODE.fullmatch(g) for g in listed):
        raise ValueError("claim 'gemeenten' must be a list of CBS codes (GM0000)")
    gemeenten = frozenset(listed)
    if kind is OrgKind.GEMEENTE:
        gemeenten = frozenset({org})  # a gemeente acts for itself, whatever else the token says
    elif kind is OrgKind.PLATFORM:
        gemeenten = frozenset()  # the operator keeps national data, never residents' data
    known = {r.value for r in Role}
    roles = frozenset(Role(r) for r in claims.get("roles") or [] if r in known)
    return Principal(subject=str(claims["sub"]), org=org, kind=kind, gemeenten=gemeenten,
                     roles=roles)


BEARER = HTTPBearer(auto_error=False, description="OAuth2 bearer JWT (dev: shared.devtoken)")
# The Authorization header as OpenAPI's bearer scheme: a dependency that declares it documents it.
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]


async def current_principal(request: Request, credentials: BearerCredentials) -> Principal:
    """FastAPI dependency: the caller, or 401 problem+json."""
    return principal_of(request, credentials)


def principal_of(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller the bearer credentials name, or 401 problem+json."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("send an Authorization: Bearer <token> header")
    verifier: TokenVerifier = request.app.state.verifier
    return verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def requires(*roles: Role, kinds: tuple[OrgKind, ...] | None = None
             ) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the caller, once it holds one of `roles` (and is of one of `kinds`).

    Declared as a dependency, the role check runs before FastAPI validates the body, so a
    caller without the role gets 403 whatever it sends (never a 400 that probes the schema).
    """

    async def _authorised(principal: CurrentPrincipal) -> Principal:
        principal.require(*roles, kinds=kinds)
        return principal

    # Read back by `check_route_requirement` when FastAPI refuses a body before any dependency.
    _authorised.requirement = (roles, kinds)  # type: ignore[attr-defined]
    return _authorised


def _requirements(dependant: Any) -> Iterator[tuple[tuple[Role, ...], tuple[OrgKind, ...] | None]]:
    for dependency in getattr(dependant, "dependencies", ()):
        found = getattr(dependency.call, "requirement", None)
        if found is not None:
            yield found
        yield from _requirements(dependency)


async def check_route_requirement(request: Request) -> None:
    """Run the matched route's `requires` check now (401/403 as a Problem), if it has one.

    FastAPI decodes a JSON body before it solves dependencies, so a caller without the role who
    sends broken JSON would learn "400" before "403". The error handler calls this first.
    """
    route = request.scope.get("route")
    requirements = list(_requirements(getattr(route, "dependant", None)))
    if not requirements:
        return
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send an Authorization: Bearer <token> header")
    verifier: TokenVerifier = request.app.state.verifier
    principal = verifier.verify(token.strip())
    for roles, kinds in requirements:
        principal.require(*roles, kinds=kinds)
