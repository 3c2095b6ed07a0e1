"""The HTTP load generator: a lean HTTP/1.1 keep-alive client in a process of its own.

A separate process so the client never competes with the server inside one interpreter.
`python -m bench.lib.loadgen` (cwd: the repo root) reads its configuration as JSON on stdin and
writes its results as JSON to the file `result_path` of its configuration; `bench.lib.infra.drive`
starts it and reads the answer.
Only the standard library and bench.lib.stats are imported, to keep the client lean.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from bench.lib.stats import CpuMeter


def bsns(start: int) -> Iterator[str]:
    """Distinct nine-digit numbers passing the elfproef (weights 9..2 and -1), from a prefix."""
    for prefix in itertools.count(start):
        digits = f"{prefix % 100_000_000:08d}"
        weighted = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = weighted % 11
        if check < 10 and weighted != check:  # a sum of 0 is not a BSN
            yield digits + str(check)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in head[1:]
                   if line.lower().startswith("content-length:")), None)
    if length is None:
        raise ValueError("response without Content-Length")
    return int(head[0].split(" ", 2)[1]), await reader.readexactly(length)


async def loadgen(cfg: dict[str, Any]) -> dict[str, Any]:
    """Warm up, then POST until `requests` are done or `seconds` passed; results as JSON data.

    Each request is `cfg["body"]` with a fresh valid BSN in its "bsn" field.
    """
    host, port, numbers = cfg["host"], cfg["port"], bsns(cfg["bsn_start"])
    head = (f"POST {cfg['path']} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: "
            f"application/json\r\nAuthorization: Bearer {cfg['token']}\r\n")
    conns = [await asyncio.open_connection(host, port) for _ in range(cfg["concurrency"])]
    errors, sample = 0, ""

    async def phase(count: int, seconds: float, latencies: list[float]) -> float:
        left, started = count, time.perf_counter()
        deadline = started + seconds

        async def worker(i: int) -> None:
            nonlocal left, errors, sample
            while left > 0 and time.perf_counter() < deadline:
                left -= 1
                body = json.dumps({**cfg["body"], "bsn": next(numbers)}).encode()
                request = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
                sent = time.perf_counter()
                try:
                    conns[i][1].write(request)
                    status, answer = await asyncio.wait_for(_read_response(conns[i][0]), 30)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                    status, answer = 0, repr(exc).encode()
                    conns[i][1].close()
                    conns[i] = await asyncio.open_connection(host, port)
                latencies.append((time.perf_counter() - sent) * 1000)
                if status != 201:
                    errors += 1
                    sample = sample or f"{status} {answer[:300].decode(errors='replace')}"

        await asyncio.gather(*(worker(i) for i in range(len(conns))))
        return time.perf_counter() - started

    await phase(cfg["warmup"], cfg["seconds"], [])
    latencies: list[float] = []
    server, client = CpuMeter(cfg["server_pid"]), CpuMeter(os.getpid())
    wall = await phase(cfg["requests"], cfg["seconds"], latencies)
    server_cpu, host_cpu = server.read()
    client_cpu, _ = client.read()
    for _, writer in conns:
        writer.close()
    return {"wall": wall, "latencies": latencies, "errors": errors, "sample": sample,
            "server_cpu": server_cpu, "client_cpu": client_cpu, "host_cpu": host_cpu}


def main() -> int:
    """Configuration on stdin, results to `result_path`; on uvloop, as the servers are."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    cfg = json.loads(sys.stdin.read())
    run: Callable[[Coroutine[Any, Any, dict[str, Any]]], dict[str, Any]] = asyncio.run
    try:
        import uvloop  # the servers run on uvloop (uvicorn[standard]); so does the client

        run = uvloop.run
    except ImportError:
        pass
    result = json.dumps(run(loadgen(cfg)))
    # To a file, not stdout: a result larger than the pipe's buffer (10,000 latencies) came
    # back corrupted now and then through the pipe the event loop had made non-blocking.
    with open(cfg["result_path"], "w", encoding="utf-8") as out:
        out.write(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
