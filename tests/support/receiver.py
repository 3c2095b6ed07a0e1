"""A real HTTP receiver for outbound webhooks: uvicorn on a free port, scripted answers.

Every request is recorded with its arrival time; answers are taken from a script (status and
headers) and default to 200 once the script is used up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.ports import free_port


@dataclass
class Received:
    """One request as the receiver saw it."""

    at: float
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What was received, and what to answer next."""

    port: int
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    default_status: int = 200
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where subscribers point."""
        return f"http://127.0.0.1:{self.port}/hooks"

    async def handle(self, request: Request) -> Response:
        self.received.append(Received(time.monotonic(), dict(request.headers),
                                      await request.body()))
        status, headers = self.script.pop(0) if self.script else (self.default_status, {})
        return Response(status_code=status, headers=headers)


@asynccontextmanager
async def serving(receiver: Receiver) -> AsyncIterator[Receiver]:
    """Listen on the receiver's port until the block ends."""
    app = Starlette(routes=[Route("/hooks", receiver.handle, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=receiver.port,
                                           log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


def new_receiver(**kwargs: object) -> Receiver:
    """A receiver on a port nobody listens on yet."""
    return Receiver(port=free_port(), **kwargs)  # type: ignore[arg-type]
