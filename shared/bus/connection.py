"""One NATS connection per process, opened in the background so the API works while NATS is down."""

from __future__ import annotations

import asyncio
import contextlib

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext

from shared.logging import get_logger

log = get_logger(__name__)


class Bus:
    """Holds the NATS connection and JetStream context of one service process."""

    def __init__(self, url: str, *, name: str, connect_timeout: float = 2.0) -> None:
        self.url = url
        self.name = name
        self._connect_timeout = connect_timeout
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def is_connected(self) -> bool:
        """True while the client has a live connection."""
        return self._nc is not None and self._nc.is_connected

    @property
    def js(self) -> JetStreamContext:
        """The JetStream context; only valid after `wait_connected`."""
        if self._js is None:
            raise RuntimeError("bus not connected yet")
        return self._js

    @property
    def nc(self) -> Client:
        """The core NATS client; only valid after `wait_connected`."""
        if self._nc is None:
            raise RuntimeError("bus not connected yet")
        return self._nc

    def start(self) -> None:
        """Connect in the background, retrying until it works or the bus is closed."""
        self._task = asyncio.create_task(self._connect_forever(), name=f"bus-connect-{self.name}")

    async def wait_connected(self) -> None:
        """Wait for the first successful connection."""
        await self._connected.wait()

    async def _connect_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                self._nc = await nats.connect(
                    # A cluster: "nats://a:4222,nats://b:4222"; the client fails over between them.
                    [server.strip() for server in self.url.split(",") if server.strip()],
                    name=self.name,
                    connect_timeout=self._connect_timeout,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=1,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                    error_cb=self._on_error,
                )
            except Exception as exc:  # noqa: BLE001 — any failure means: try again later
                log.warning("bus.connect_failed", url=self.url, error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            self._js = self._nc.jetstream()
            self._connected.set()
            log.info("bus.connected", url=self.url)
            return

    async def _on_disconnected(self) -> None:
        log.warning("bus.disconnected", url=self.url)

    async def _on_reconnected(self) -> None:
        log.info("bus.reconnected", url=self.url)

    async def _on_error(self, exc: Exception) -> None:
        log.warning("bus.error", error=str(exc))

    async def close(self) -> None:
        """Stop connecting and drain the connection."""
        if self._task and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._nc is not None and not self._nc.is_closed:
            # Flush and close rather than drain: consumers and relay have stopped by now, and a
            # drain waits for pull-request status messages nobody will read (a 5 s stall).
            with contextlib.suppress(Exception):
                await self._nc.flush(timeout=1)
            with contextlib.suppress(Exception):
                await self._nc.close()
