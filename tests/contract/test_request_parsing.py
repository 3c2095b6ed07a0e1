"""Input that overflows while the spine parses a request is a 400 problem, never a 5xx.

Numbers past every bound (a 5,000-digit JSON integer, beyond Python's int-from-string limit;
1e999, which JSON parsing turns into infinity; a 400-digit negative) and headers past their
limits, against a route built with the spine's own app factory (tests/shared/test_auth.py).
A 400-digit `webhook-timestamp` overflowed in matching's own signature check (int → float),
after parsing, so it is fixed there and found by the fuzz suite (KNOWN_5XX); a handler that
turned every OverflowError into a 400 would also hide the server's own bugs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from shared.auth import Role
from shared.runtime import Runtime
from shared.store import MessagingBase
from tests.shared.test_auth import tiny_app, user

CASEWORKER = {**user("c", Role.CASEWORKER), "content-type": "application/json"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = tiny_app(f"sqlite+aiosqlite:///{tmp_path / 'tiny.db'}")
    runtime: Runtime = app.state.runtime
    async with runtime.engine.begin() as connection:
        await connection.run_sync(MessagingBase.metadata.create_all)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://tiny") as http:
        yield http
    await runtime.engine.dispose()


@pytest.mark.parametrize("body", [
    '{"count": ' + "9" * 5000 + "}",  # past Python's 4,300-digit int parsing limit
    '{"count": 1e999}',                  # JSON → float infinity
    '{"count": -' + "9" * 400 + "}",
    '{"count": 1' + "0" * 400 + ".5}",
    '{"count": NaN}',
    '{"count": 3',
])
async def test_overflowing_numbers_in_a_body_are_400_invalid_input(
        client: httpx.AsyncClient, body: str) -> None:
    response = await client.post("/v1/things", content=body, headers=CASEWORKER)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-input")


@pytest.mark.parametrize("key", ["k" * 256, ""])
async def test_an_idempotency_key_out_of_bounds_is_400(client: httpx.AsyncClient,
                                                       key: str) -> None:
    response = await client.post("/v1/things", json={"count": 1},
                                 headers={**CASEWORKER, "Idempotency-Key": key})
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"][0]["name"] == "Idempotency-Key"
