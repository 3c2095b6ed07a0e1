"""`Idempotency-Key` on creating POSTs: the first answer is stored and replayed.

The record is written in the same transaction as the creation, so a key is either bound to a
committed result or to nothing. The same key with a different body is a 409 conflict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.problems import Conflict
from shared.runtime import Runtime
from shared.store import IdempotencyRecord

IDEMPOTENCY_HEADER_DOC = (
    "Client-chosen unique key (e.g. a UUID); a retry with the same key and body returns the "
    "first answer instead of creating again."
)


@dataclass(frozen=True)
class StoredResponse:
    """A response to replay."""

    status_code: int
    body: Any
    location: str | None


def request_fingerprint(path: str, payload: Any) -> str:
    """A hash of what the key promises to stand for."""
    canonical = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def find_stored(
    session: AsyncSession, *, organisation: str, key: str, fingerprint: str
) -> StoredResponse | None:
    """The stored answer for this key, None if new, 409 if the key was used for another body."""
    record = await session.get(IdempotencyRecord, (organisation, key))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise Conflict("this Idempotency-Key was already used for a different request")
    return StoredResponse(record.status_code, json.loads(record.response_body), record.location)


def _claim(session: AsyncSession, organisation: str, key: str,
           fingerprint: str) -> IdempotencyRecord:
    """Bind the key inside the creating transaction; the answer is filled in at its end."""
    record = IdempotencyRecord(organisation=organisation, key=key, request_hash=fingerprint,
                               status_code=0, response_body="", location=None,
                               created_at=datetime.now(UTC))
    session.add(record)
    return record


CreateFn = Callable[[AsyncSession], Awaitable[tuple[BaseModel, str]]]


async def create_once(
    runtime: Runtime, *, organisation: str, key: str | None, path: str, payload: Any,
    create: CreateFn, status_code: int = 201,
) -> JSONResponse:
    """Run a creating command in one unit of work, at most once per Idempotency-Key.

    `create` returns the response model and its Location. Without a key it simply runs.
    `status_code` is the answer's status, stored for the replay too (202 for work accepted to
    run in the background, 200 for a decision recorded on an existing resource).
    """
    fingerprint = request_fingerprint(path, payload)
    if key is not None:
        async with runtime.sessions() as session:
            stored = await find_stored(session, organisation=organisation, key=key,
                                       fingerprint=fingerprint)
        if stored is not None:
            return _replay(stored)
    try:
        async with runtime.unit_of_work() as session:
            record = _claim(session, organisation, key, fingerprint) if key else None
            if record is not None:
                # Flushed first: a concurrent twin with the same key collides here and, once
                # this transaction commits, replays its answer instead of running the command.
                await session.flush()
            model, location = await create(session)
            body = model.model_dump(mode="json", by_alias=True)
            if record is not None:
                record.status_code, record.location = status_code, location
                record.response_body = json.dumps(body, default=str)
    except IntegrityError:
        if key is not None:
            async with runtime.sessions() as session:
                stored = await find_stored(session, organisation=organisation, key=key,
                                           fingerprint=fingerprint)
            if stored is not None:
                return _replay(stored)  # a concurrent request with the same key won
        raise
    return JSONResponse(body, status_code=status_code, headers={"Location": location})


def _replay(stored: StoredResponse) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"}
    if stored.location:
        headers["Location"] = stored.location
    return JSONResponse(stored.body, status_code=stored.status_code, headers=headers)
