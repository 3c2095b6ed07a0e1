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

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.problems import Conflict
from shared.store import IdempotencyRecord
from shared.unit_of_work import UnitOfWork

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


CreateFn = Callable[[], Awaitable[tuple[BaseModel, str]]]


class RenderedJSON(JSONResponse):
    """A JSON response whose body is already JSON bytes (pydantic's model_dump_json)."""

    def render(self, content: Any) -> bytes:
        assert isinstance(content, bytes)
        return content


async def create_once(
    uow: UnitOfWork, *, key: str | None, request: Request, payload: Any, create: CreateFn,
    status_code: int = 201,
) -> JSONResponse:
    """Run a creating handler in the request's unit of work, at most once per Idempotency-Key.

    `create` returns the response model and its Location. Without a key it simply runs. With
    one, the key is bound (in a savepoint) before the handler runs: a concurrent twin with the
    same key waits on it and, once this transaction commits, replays this answer instead of
    creating again. `status_code` is the answer's status, stored for the replay too (202 for
    work accepted to run in the background, 200 for a decision on an existing resource).
    The key stands for the request's path and `payload`; the path is read only when a key
    is given (Starlette builds the whole URL to read it: 3% of a registration's CPU).
    """
    if key is None:  # the common case: straight to JSON bytes, no dict in between
        model, location = await create()
        return RenderedJSON(model.model_dump_json(by_alias=True).encode(),
                            status_code=status_code, headers={"Location": location})
    organisation = uow.principal.idempotency_scope
    fingerprint = request_fingerprint(request.url.path, payload)
    stored = await find_stored(uow.session, organisation=organisation, key=key,
                               fingerprint=fingerprint)
    if stored is not None:
        return _replay(stored)
    record = IdempotencyRecord(organisation=organisation, key=key, request_hash=fingerprint,
                               status_code=0, response_body="", location=None,
                               created_at=datetime.now(UTC))
    try:
        async with uow.session.begin_nested():
            uow.session.add(record)
            await uow.session.flush()
    except IntegrityError:
        stored = await find_stored(uow.session, organisation=organisation, key=key,
                                   fingerprint=fingerprint)
        if stored is not None:
            return _replay(stored)  # a concurrent request with the same key won
        raise
    model, location = await create()
    body = model.model_dump(mode="json", by_alias=True)
    record.status_code, record.location = status_code, location
    record.response_body = json.dumps(body, default=str)
    return _created(body, status_code, location)


def _created(body: Any, status_code: int, location: str) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers={"Location": location})


def _replay(stored: StoredResponse) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"}
    if stored.location:
        headers["Location"] = stored.location
    return JSONResponse(stored.body, status_code=stored.status_code, headers=headers)
