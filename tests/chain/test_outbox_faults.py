"""Nothing is lost between a producer's commit and NATS: a killed producer, NATS away for 30 s,
a NATS node lost from an R3 cluster. Real processes, real NATS, bounded in time."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest
from nats.errors import Error as NatsError

from shared.events.subjects import stream_name
from tests.chain.klantreis import elfproef_bsns, register_all, stream_events
from tests.conftest import eventually
from tests.support.databases import DatabaseFactory
from tests.support.nats import NatsCluster, NatsServer
from tests.support.processes import ServiceProcess

NATS_OUTAGE_S = 30.0
REGISTERED = "intake.candidate-registered"


async def registered_ids(nats_url: str, namespace: str) -> list[str] | None:
    """candidateId of every registration event in intake's stream (duplicates kept); None
    while the stream cannot be read (a cluster electing a new leader, NATS starting)."""
    try:
        events = await stream_events(nats_url, "intake", namespace, REGISTERED)
    except (NatsError, TimeoutError):
        return None
    return [str(e.data["candidateId"]) for e in events]


def same_ids(found: list[str] | None, expected: list[str]) -> bool:
    """Every expected id exactly once."""
    return found is not None and sorted(found) == sorted(expected)


async def test_a_producer_killed_after_commit_publishes_everything_after_restart(
    chain_intake_databases: DatabaseFactory, workdir: Path
) -> None:
    # NATS is not there yet: every committed registration waits in the outbox.
    server = NatsServer(workdir / "nats")
    intake = ServiceProcess("intake", await chain_intake_databases.fresh(), server.url,
                            "KILLPROD", workdir)
    intake.start(wait_ready=False)
    try:
        ids = register_all(intake.url, list(itertools.islice(elfproef_bsns(), 200)))
        intake.kill()  # between commit and publish, for all 200
        server.start()
        intake.start()

        async def all_published() -> bool:
            return same_ids(await registered_ids(server.url, "KILLPROD"), ids)

        await eventually(all_published, timeout_s=30)
    finally:
        intake.stop()
        server.stop()


async def test_nats_away_for_30_seconds_loses_no_write(
    chain_intake_databases: DatabaseFactory, workdir: Path
) -> None:
    server = NatsServer(workdir / "nats").start()
    intake = ServiceProcess("intake", await chain_intake_databases.fresh(), server.url,
                            "OUTAGE", workdir).start()
    bsns = elfproef_bsns(200_000_000)
    try:
        ids = register_all(intake.url, list(itertools.islice(bsns, 20)))
        server.stop()
        outage_ends = time.monotonic() + NATS_OUTAGE_S
        while time.monotonic() < outage_ends:  # the API keeps taking writes all the while
            ids += register_all(intake.url, list(itertools.islice(bsns, 10)))
            await asyncio.sleep(0.5)
        ready = httpx.get(intake.url + "/ready", timeout=5.0)
        assert ready.status_code == 503, "readiness should report the bus as down"
        server.start()

        async def drained() -> bool:
            return same_ids(await registered_ids(server.url, "OUTAGE"), ids)

        await eventually(drained, timeout_s=30)
        assert len(ids) > 100
    finally:
        intake.stop()
        server.stop()


@pytest.fixture
def cluster(workdir: Path) -> Iterator[NatsCluster]:
    """Three routed JetStream nodes, stopped afterwards."""
    nodes = NatsCluster(workdir).start()
    yield nodes
    nodes.stop()


async def jetstream_ready(url: str) -> None:
    """Wait for the cluster's JetStream meta leader (streams can't be created before)."""
    async def up() -> bool:
        client = await nats.connect([u for u in url.split(",")])
        try:
            await client.jetstream().account_info()
            return True
        except Exception:  # noqa: BLE001 — "JetStream not ready" in several guises
            return False
        finally:
            await client.close()

    await eventually(up, timeout_s=30, interval_s=0.5)


async def test_losing_one_node_of_an_r3_cluster_loses_nothing(
    chain_intake_databases: DatabaseFactory, workdir: Path, cluster: NatsCluster
) -> None:
    await jetstream_ready(cluster.url)
    intake = ServiceProcess("intake", await chain_intake_databases.fresh(), cluster.url,
                            "CLUSTER", workdir, {"BUS_STREAM_REPLICAS": "3"}).start()
    bsns = list(itertools.islice(elfproef_bsns(300_000_000), 300))
    ids: list[str] = []
    burst = threading.Thread(target=register_all, args=(intake.url, bsns, ids))
    try:
        burst.start()
        # Mid-burst by progress, not by the clock: on a fast machine the 300 were all in
        # within the second the test used to wait.
        await eventually(lambda: len(ids) >= len(bsns) // 10, timeout_s=60, interval_s=0.005)
        victim = cluster.nodes[1]
        victim.kill()
        assert len(ids) < len(bsns), "the node must die in the middle of the burst"
        burst.join(timeout=120)
        assert len(ids) == len(bsns)
        survivors = ",".join(n.url for n in cluster.nodes if n is not victim)

        async def all_there() -> bool:
            return same_ids(await registered_ids(survivors, "CLUSTER"), ids)

        await eventually(all_there, timeout_s=30)

        victim.start()  # it comes back and catches up from its peers

        async def caught_up() -> bool:
            client = await nats.connect([u for u in survivors.split(",")])
            try:
                info = await client.jetstream().stream_info(stream_name("intake", "CLUSTER"))
            except (NatsError, TimeoutError):
                return False
            finally:
                await client.close()
            cluster_info = info.cluster
            replicas = cluster_info.replicas or [] if cluster_info else []
            return len(replicas) == 2 and all(r.current and not r.offline for r in replicas)

        await eventually(caught_up, timeout_s=30, interval_s=0.5)
    finally:
        intake.stop()
