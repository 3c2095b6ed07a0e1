"""NATS goes away: writes keep landing in the outbox; the relay drains it when NATS returns."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from sqlalchemy import func, select

from shared.bus.connection import Bus
from shared.bus.outbox import OutboxRelay
from shared.bus.streams import ensure_stream
from shared.db import is_sqlite
from shared.events.subjects import stream_name
from shared.store import OutboxMessage
from tests.conftest import eventually
from tests.shared.conftest import SpineDb
from tests.shared.test_outbox_inbox import write_events
from tests.support.nats import NatsServer


async def pending(db: SpineDb) -> int:
    async with db.sessions() as session:
        query = select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.published_at.is_(None))
        return int(await session.scalar(query) or 0)


async def test_relay_catches_up_after_nats_was_down(spine_db: SpineDb, tmp_path: Path) -> None:
    server = NatsServer(tmp_path / "nats").start()  # a server of our own, to stop and restart
    bus = Bus(server.url, name="outage-test")
    bus.start()
    await bus.wait_connected()
    await ensure_stream(bus.js, "intake", namespace="outage")
    relay = OutboxRelay(spine_db.sessions, bus.nc, namespace="outage", max_backoff_s=1.0,
                        hold_locks=not is_sqlite(spine_db.url))
    task = asyncio.create_task(relay.run())
    try:
        await write_events(spine_db, 5)
        relay.wake()
        await eventually(lambda: relay.published == 5)

        server.stop()
        await eventually(lambda: not bus.is_connected)
        await write_events(spine_db, 20)  # the API side keeps accepting writes
        relay.wake()
        await asyncio.sleep(1.5)
        assert await pending(spine_db) == 20

        server.start()  # same port, same store: the stream survives
        await eventually(lambda: relay.published == 25, timeout_s=20)
        assert await pending(spine_db) == 0
        info = await bus.js.stream_info(stream_name("intake", "outage"))
        assert info.state.messages == 25
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await bus.close()
        server.stop()
