"""Fixtures shared by every test: the bus (real nats-server) and a unique bus namespace."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import nats
import pytest

from tests.support.nats import NatsServer


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """NATS_URL if set (CI: the machine's server), else the wheel's nats-server on a free port."""
    configured = os.environ.get("NATS_URL")
    if configured:
        yield configured
        return
    server = NatsServer(tmp_path_factory.mktemp("nats")).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
async def package_namespaces(nats_url: str) -> AsyncIterator[dict[str, str]]:
    """The bus namespace of each test package, made on first use, removed at the end."""
    made: dict[str, str] = {}
    yield made
    for namespace in made.values():
        await delete_streams(nats_url, namespace)


@pytest.fixture
def bus_namespace(request: pytest.FixtureRequest, package_namespaces: dict[str, str]) -> str:
    """A prefix for subjects and streams, unique to this run and this test package.

    Per package, not per run: a package's services keep durable consumers in it, and one
    package's events must not be waiting for another package's services when they start
    (pytest-xdist runs the packages in any order; within a package it keeps their order).
    """
    package = request.path.parent.name
    return package_namespaces.setdefault(package, f"t{uuid.uuid4().hex[:10]}")


@pytest.fixture(scope="session")
async def own_namespaces(nats_url: str) -> AsyncIterator[Callable[[], str]]:
    """Hands out bus namespaces of their own, for fixtures that run whole services.

    Services started by a fixture (the authority world, the fuzz stack, the chain) must not
    share durable consumers with other tests' services: two instances on one durable consumer
    split its messages, and a fresh one would first work through every earlier test's events.
    Their streams are removed at the end of the session.
    """
    made: list[str] = []

    def make() -> str:
        made.append(f"t{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield make
    for namespace in made:
        await delete_streams(nats_url, namespace)


async def delete_streams(url: str, namespace: str) -> None:
    """Drop every stream whose name carries the namespace."""
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for info in await js.streams_info():
            if info.config.name and info.config.name.startswith(namespace.upper() + "_"):
                await js.delete_stream(info.config.name)
    finally:
        await nc.close()


async def eventually(check: object, *, timeout_s: float = 10.0, interval_s: float = 0.05) -> None:
    """Await `check()` (sync or async) until it is truthy; fail with its last value."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    last: object = None
    while asyncio.get_running_loop().time() < deadline:
        last = check()  # type: ignore[operator]
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return
        await asyncio.sleep(interval_s)
    raise AssertionError(f"condition not met within {timeout_s}s (last: {last!r})")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave artefacts (screenshots, documents) for a person to look at."""
    path = Path(__file__).resolve().parent.parent / "test-output"
    path.mkdir(exist_ok=True)
    return path
