"""The reporting benchmark's measurements: publish, raw consumption, rebuild, report latency."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

import httpx
import nats
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from bench.lib.reporting_events import check_sample, events
from bench.lib.stats import CpuMeter, Row, progress
from shared.bus.streams import ensure_stream
from shared.events.subjects import stream_name, stream_subjects

PRODUCERS = ("intake", "diagnose", "matching", "finance")


async def publish(nats_url: str, namespace: str, total: int) -> Row:
    """`total` events onto the four streams: core publishes, flushed per 10k, then counted."""
    nc = await nats.connect(nats_url, pending_size=64 * 1024 * 1024)
    js = nc.jetstream()
    try:
        for producer in PRODUCERS:
            await ensure_stream(js, producer, namespace=namespace)
        prefix = f"{namespace}.participatiewet"
        sample: list[tuple[str, str, bytes]] = []
        started, sent = time.perf_counter(), 0
        for producer, gemeente, payload in events(total):
            event = json.loads(payload)["type"].rsplit(".", 1)[1]
            await nc.publish(f"{prefix}.{gemeente}.{producer}.{event}", payload)
            sent += 1
            if sent % 97 == 0 and len(sample) < 2000:
                sample.append((producer, gemeente, payload))
            if sent % 10_000 == 0:
                await nc.flush(timeout=30)
                if sent % 100_000 == 0:
                    progress(f"published {sent:,}")
        await nc.flush(timeout=60)
        stored = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stored = sum([(await js.stream_info(stream_name(p, namespace))).state.messages
                          for p in PRODUCERS])
            if stored >= total:
                break
            await asyncio.sleep(0.5)
        wall = time.perf_counter() - started
        check_sample(sample)
        if stored != total:
            raise RuntimeError(f"streams hold {stored} of {total} published events")
        return Row("publish (core NATS, into 4 streams)", total, wall)
    finally:
        await nc.close()


async def raw_lean(nats_url: str, namespace: str, fetch: int) -> Row:
    """The limit: the rebuild's own reader (stream_reader.read_range) + JSON decode only."""
    from services.reporting.stream_reader import read_range

    nc = await nats.connect(nats_url, pending_size=64 * 1024 * 1024)
    js = nc.jetstream()
    meter, started, count = CpuMeter(_pid()), time.perf_counter(), 0
    try:
        for producer in PRODUCERS:
            stream = stream_name(producer, namespace)
            end = (await js.stream_info(stream)).state.last_seq
            async for chunk in read_range(nc, stream=stream,
                                          subject=stream_subjects(producer, namespace)[0],
                                          start=1, end=end, batch=fetch):
                for _, payload in chunk:
                    json.loads(payload)
                count += len(chunk)
        cpu, host = meter.read()
        return Row("raw lean pull + json decode", count, time.perf_counter() - started,
                   py_cpu=cpu, host_cpu=host)
    finally:
        await nc.close()


async def raw_consume(nats_url: str, namespace: str, fetch: int) -> Row:
    """nats-py's own API: ephemeral ack-less pull consumers, fetch() + JSON decode."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    meter, started, count = CpuMeter(_pid()), time.perf_counter(), 0
    try:
        for producer in PRODUCERS:
            stream = stream_name(producer, namespace)
            end = (await js.stream_info(stream)).state.last_seq
            config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL,
                                    inactive_threshold=30.0, mem_storage=True)
            sub = await js.pull_subscribe(stream_subjects(producer, namespace)[0],
                                          stream=stream, config=config,
                                          pending_msgs_limit=fetch * 4)
            seen = 0
            while seen < end:
                try:
                    messages = await sub.fetch(min(fetch, end - seen), timeout=2.0)
                except (NatsTimeoutError, TimeoutError):
                    break
                for message in messages:
                    json.loads(message.data)
                    seen = message.metadata.sequence.stream
                    count += 1
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
        cpu, host = meter.read()
        return Row("raw nats-py fetch() + json decode", count, time.perf_counter() - started,
                   py_cpu=cpu, host_cpu=host)
    finally:
        await nc.close()


def _pid() -> int:
    import os

    return os.getpid()


async def rebuild_once(db_url: str, nats_url: str, namespace: str, label: str) -> Row:
    """The `rebuild` command's work, in this process, against a fresh database."""
    from services.reporting.rebuild import rebuild
    from services.reporting.settings import ReportingSettings

    settings = ReportingSettings(database_url=db_url, nats_url=nats_url,
                                 bus_namespace=namespace, environment="test")
    meter = CpuMeter(_pid())
    result = await rebuild(settings, out=sys.stderr)
    cpu, host = meter.read()
    return Row(f"rebuild ({label})", result.events, result.seconds, py_cpu=cpu, host_cpu=host)


async def report_latency(port: int, token: str, gemeenten: tuple[str, ...], seconds: float,
                         concurrency: int, warmup: int) -> Row:
    """GET /v1/reports/overview (one gemeente, one half-year) over `concurrency` connections."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 headers={"Authorization": f"Bearer {token}"},
                                 timeout=30) as client:
        async def one(i: int, record: bool) -> None:
            nonlocal errors
            gemeente = gemeenten[i % len(gemeenten)]
            period = ("2025-H1", "2025-H2", "2026-H1")[i % 3]
            began = time.perf_counter()
            response = await client.get("/v1/reports/overview",
                                        params={"gemeente": gemeente, "period": period})
            if response.status_code != 200:
                errors += 1
            elif record:
                latencies.append((time.perf_counter() - began) * 1000)

        await asyncio.gather(*(one(i, False) for i in range(warmup)))
        deadline, counter = time.perf_counter() + seconds, iter(range(10**9))

        async def worker() -> None:
            while time.perf_counter() < deadline:
                await one(next(counter), True)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return Row(f"GET /v1/reports/overview x{concurrency}", len(latencies), wall,
               lat_ms=latencies, errors=errors)


def server_log_tail(log: Path) -> str:
    """The end of a server's log, for an error message."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-20:])
