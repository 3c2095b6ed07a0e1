"""Who a person is, asked of intake: diagnose stores no name nor burgerservicenummer.

Intake is asked with the caller's own token, so intake decides (and logs) whether this caller
may see the person; diagnose only passes its answer on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import httpx

from shared.problems import Forbidden, NotFound, ServiceUnavailable


@dataclass(frozen=True)
class Person:
    """Who the person is, as intake shows it to this caller."""

    candidate_id: uuid.UUID
    given_name: str
    family_name: str
    birth_date: date


class People(Protocol):
    """Where a handler asks who a candidate is."""

    async def person(self, candidate_id: uuid.UUID) -> Person:
        """The person, or the problem intake's answer amounts to."""
        ...


class IntakePeople:
    """Intake's API, asked with the caller's Authorization header."""

    def __init__(self, client: httpx.AsyncClient, authorization: str) -> None:
        self._client = client
        self._authorization = authorization

    async def person(self, candidate_id: uuid.UUID) -> Person:
        """The person intake shows to this caller; 404/403/503 as intake's answer says."""
        try:
            answer = await self._client.get(f"/v1/candidates/{candidate_id}",
                                            headers={"Authorization": self._authorization})
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"intake did not answer: {type(exc).__name__}") from exc
        if answer.status_code == 404:
            raise NotFound("intake does not show this person to you (no active referral)")
        if answer.status_code in (401, 403):
            raise Forbidden("intake refused to show this person to you")
        if answer.status_code != 200:
            raise ServiceUnavailable(f"intake answered {answer.status_code}")
        body = answer.json()
        return Person(candidate_id=candidate_id, given_name=body["givenName"],
                      family_name=body["familyName"],
                      birth_date=date.fromisoformat(body["birthDate"]))
