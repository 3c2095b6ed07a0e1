"""The least app that does intake's registration work, for bench/intake.py's third limit.

`python -m bench.lib.least_app --port N --database-url URL` (cwd: the repo root) serves
`POST /v1/candidates` with FastAPI and intake's own pydantic body (`RegisterCandidate`: the
BSN's elfproef, the postcode, the reference lists), then the two inserts (candidate row, outbox
row with the CloudEvents envelope) straight through the driver in one transaction, and answers
201 with the candidate. Nothing else: no auth, no middleware, no ORM, no duplicate handling.
Like the services, it sets the objects it starts with aside from the garbage collector.
The uvicorn settings are bare_app's (and `serve`'s), so the gap to intake is intake's own
machinery: auth, middleware, the unit of work, SQLAlchemy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.engine import make_url

from bench.lib.limits import CANDIDATE_COLUMNS, ORG, OUTBOX_COLUMNS, _sqlite_value
from services.intake.api.schemas import RegisterCandidate
from shared.collector import long_lived_objects_set_aside
from shared.events.envelope import Envelope, source_urn
from shared.events.intake import CandidateRegistered
from shared.events.subjects import subject_for
from shared.settings import DEV_OIN

Transact = Callable[[tuple[Any, ...], tuple[Any, ...]], Awaitable[None]]


def rows_of(body: RegisterCandidate, now: datetime) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The candidate row and its outbox row, as intake writes them."""
    cid = uuid.uuid4()
    data = CandidateRegistered(candidate_id=cid, gemeente=ORG, target_group=body.target_group,
                               birth_year=body.birth_date.year, birth_date=body.birth_date,
                               registered_at=now)
    trace = secrets.token_hex(16)
    envelope = Envelope(type=data.ce_type(), source=source_urn(DEV_OIN, "intake"),
                        subject=str(cid), gemeente=ORG, data=data.to_data(),
                        traceparent=f"00-{trace}-{secrets.token_hex(8)}-01", correlationid=trace)
    candidate = (cid, ORG, body.bsn, body.given_name, body.family_name, body.birth_date,
                 body.postcode, body.target_group.value, body.benefit.value, "registered", now,
                 now)
    outbox = (envelope.id, subject_for(data.name, ORG), envelope.to_json(), envelope.time, 0)
    return candidate, outbox


@contextlib.asynccontextmanager
async def storage(database_url: str, pool_size: int) -> AsyncIterator[Transact]:
    """The two inserts in one transaction: an asyncpg pool, or one serial SQLite connection."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        marks = ", ".join("?" * 12), ", ".join("?" * 5)
        import aiosqlite

        async with aiosqlite.connect(url.database or "", isolation_level=None) as db:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                           "busy_timeout=30000"):
                await db.execute(f"PRAGMA {pragma}")
            lock = asyncio.Lock()  # one connection, one writer

            async def transact_sqlite(candidate: tuple[Any, ...],
                                      outbox: tuple[Any, ...]) -> None:
                async with lock:
                    await db.execute("BEGIN IMMEDIATE")
                    await db.execute(f"INSERT INTO candidates ({CANDIDATE_COLUMNS}) VALUES "
                                     f"({marks[0]})", [_sqlite_value(v) for v in candidate])
                    await db.execute(f"INSERT INTO outbox ({OUTBOX_COLUMNS}) VALUES "
                                     f"({marks[1]})", [_sqlite_value(v) for v in outbox])
                    await db.execute("COMMIT")

            yield transact_sqlite
        return
    insert_candidate = (f"INSERT INTO candidates ({CANDIDATE_COLUMNS}) VALUES "
                        f"({', '.join(f'${i}' for i in range(1, 13))})")
    insert_outbox = f"INSERT INTO outbox ({OUTBOX_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size) as pool:

        async def transact_pg(candidate: tuple[Any, ...], outbox: tuple[Any, ...]) -> None:
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute(insert_candidate, *candidate)
                await conn.execute(insert_outbox, *outbox)

        yield transact_pg


def create_app(database_url: str, pool_size: int) -> FastAPI:
    """The app; storage opens with its lifespan."""
    held: dict[str, Transact] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with storage(database_url, pool_size) as transact:
            held["transact"] = transact
            with long_lived_objects_set_aside():  # as every service's app does
                yield

    app = FastAPI(title="bench least app", openapi_url=None, docs_url=None, redoc_url=None,
                  lifespan=lifespan)

    @app.post("/v1/candidates", status_code=201)
    async def register(body: RegisterCandidate) -> JSONResponse:
        now = datetime.now(UTC)
        candidate, outbox = rows_of(body, now)
        await held["transact"](candidate, outbox)
        return JSONResponse({
            "id": str(candidate[0]), "gemeente": ORG, "bsn": body.bsn,
            "givenName": body.given_name, "familyName": body.family_name,
            "birthDate": body.birth_date.isoformat(), "postcode": body.postcode,
            "targetGroup": body.target_group.value, "benefit": body.benefit.value,
            "status": "registered", "referrals": [], "registeredAt": now.isoformat(),
            "updatedAt": now.isoformat()}, status_code=201,
            headers={"Location": f"/v1/candidates/{candidate[0]}"})

    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Serve on --host:--port until terminated."""
    parser = argparse.ArgumentParser(prog="python -m bench.lib.least_app",
                                     description="the least-app limit of bench/intake.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pool-size", type=int, default=40, help="as intake's engine")
    args = parser.parse_args(argv)
    uvicorn.run(create_app(args.database_url, args.pool_size), host=args.host, port=args.port,
                workers=1, log_config=None, access_log=False, proxy_headers=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
