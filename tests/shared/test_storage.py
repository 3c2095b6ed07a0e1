"""The unit of work's database side on a real database: one transaction whichever way in.

`Storage` opens the transaction on first use: through the ORM session, or through the
connection and the driver (hot paths). What comes second joins it. `run_alone` is the one way
out of a transaction: a statement committed by itself, on Postgres only.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from shared.db import Storage, open_storage
from shared.problems import BadRequest
from tests.shared.conftest import SpineDb, applied_events

INSERT_SQL = ("INSERT INTO applied_events (event_id, candidate_id) VALUES ($1, 'c') "
              "RETURNING event_id")


def _row(event_id: str) -> dict[str, str]:
    return {"event_id": event_id, "candidate_id": "c"}


async def _write_first_through_the_connection(storage: Storage, event_id: str) -> None:
    """The hot path's way in: the driver on Postgres, a Core statement elsewhere."""
    driver = await storage.driver()
    if driver is not None:
        await driver.execute(INSERT_SQL, event_id)
    else:
        await (await storage.connection()).execute(insert(applied_events).values(_row(event_id)))


async def test_the_session_joins_a_transaction_the_connection_opened(spine_db: SpineDb) -> None:
    async with open_storage(spine_db.engine, spine_db.sessions) as storage:
        await _write_first_through_the_connection(storage, "core")
        await storage.session.execute(insert(applied_events).values(_row("orm")))
    assert await spine_db.count(applied_events) == 2


async def test_an_exception_rolls_back_both_ways_in(spine_db: SpineDb) -> None:
    with pytest.raises(BadRequest):
        async with open_storage(spine_db.engine, spine_db.sessions) as storage:
            await _write_first_through_the_connection(storage, "core")
            await storage.session.execute(insert(applied_events).values(_row("orm")))
            raise BadRequest("refused after writing")
    assert await spine_db.count(applied_events) == 0


async def test_a_session_first_storage_hands_the_connection_of_its_transaction(
        spine_db: SpineDb) -> None:
    with pytest.raises(BadRequest):
        async with open_storage(spine_db.engine, spine_db.sessions) as storage:
            await storage.session.execute(insert(applied_events).values(_row("orm")))
            await _write_first_through_the_connection(storage, "core")
            raise BadRequest("refused after writing")
    assert await spine_db.count(applied_events) == 0


async def test_run_alone_commits_one_statement_by_itself_on_postgres(spine_db: SpineDb) -> None:
    async with open_storage(spine_db.engine, spine_db.sessions) as storage:
        rows = await storage.run_alone(INSERT_SQL, "alone")
        if rows is None:  # SQLite: not offered; the caller writes in the transaction
            assert spine_db.engine.dialect.name == "sqlite"
            return
        assert [r["event_id"] for r in rows] == ["alone"]
        # Anything after is refused: it could not be atomic with what was written.
        with pytest.raises(RuntimeError, match="alone"):
            storage.session  # noqa: B018 — the property is the thing under test
        with pytest.raises(RuntimeError, match="alone"):
            await storage.connection()
        assert await storage.run_alone(INSERT_SQL, "alone too") is not None
    assert await spine_db.count(applied_events) == 2


async def test_run_alone_is_not_offered_once_a_transaction_has_begun(spine_db: SpineDb) -> None:
    async with open_storage(spine_db.engine, spine_db.sessions) as storage:
        await storage.session.execute(insert(applied_events).values(_row("orm")))
        assert await storage.run_alone(INSERT_SQL, "alone") is None
    assert await spine_db.count(applied_events) == 1
