"""`make run`'s runner, end to end: embedded NATS, migrations, services up, Ctrl-C cleans up."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from tests.support.ports import free_port_range

ROOT = Path(__file__).resolve().parent.parent
DEVSTACK = ROOT / "scripts" / "devstack.py"
MAX_SERVICES = 5  # reserve room for all five services, whatever SERVICES holds today
START_TIMEOUT_S = 120.0  # nats + migrations + /ready per service, on a shared, noisy machine


def accepts_tcp(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead, only not yet reaped by whoever adopted it
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read()


def wsp_vacancy_accepted(output: str) -> bool:
    """A vacancy signed with the printed development secret is taken by matching's webhook."""
    found = re.search(r"WSP webhook POST (\S+), signed with (whsec_\S+)", output)
    assert found, "devstack should print the WSP webhook and its development secret"
    url, secret = found.groups()
    body = json.dumps({"action": "create", "externalRef": "DEV-1", "vacancy": {
        "employer": {"kvkNumber": "87654321", "name": "Bakkerij", "sector": "productie",
                     "gemeente": "GM0757"},
        "title": "Inpakker", "werksoort": "productie", "gemeente": "GM0757",
        "hoursPerWeek": 16, "contractForms": ["lks"],
        "tasks": [{"name": "inpakken", "hoursPerWeek": 16, "demands": [], "skills": []}]}})
    msg_id, now = "msg_devstack_1", datetime.now(UTC)
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "content-type": "application/json", "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, now, body)})
    with urllib.request.urlopen(request, timeout=10) as resp:
        return bool(resp.status == 201)


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], Path]]:
    """Start devstack with its own NATS and SQLite; yield (process, its output so far, var dir)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"NATS_URL", "DATABASE_URL", "VAR_DIR"} and not k.endswith("_DATABASE_URL")}
    var_dir = tmp_path / "var"
    proc = subprocess.Popen(
        [sys.executable, str(DEVSTACK), "--var-dir", str(var_dir),
         "--base-port", str(free_port_range(MAX_SERVICES))],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:  # a thread, so reading the output can time out
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while not any("devstack: ready" in line for line in seen):
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail("devstack not ready in time:\n" + "".join(seen))
            if line is None:
                pytest.fail(f"devstack exited with {proc.wait()}:\n" + "".join(seen))
            seen.append(line)
        yield proc, seen, var_dir
    finally:
        if proc.poll() is None:  # the test failed half-way: don't leave a stack behind
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_devstack_serves_and_stops_cleanly_on_sigint(
    devstack: tuple[subprocess.Popen[str], list[str], Path],
) -> None:
    proc, seen, var_dir = devstack
    output = "".join(seen)
    openapi_urls = re.findall(r"OpenAPI (http://127\.0\.0\.1:\d+/v1/openapi\.json)", output)
    assert openapi_urls, output
    nats = re.search(r"nats://127\.0\.0\.1:(\d+) \(monitoring http://127\.0\.0\.1:(\d+)\)", output)
    assert nats, "devstack should start its own nats-server when NATS_URL is unset"
    assert int(nats.group(1)) != 4222
    pids = [int(line.split()[0]) for line in (var_dir / "devstack.pids").read_text().splitlines()]
    assert len(pids) == len(openapi_urls) + 1  # the services plus nats-server

    ports = [int(nats.group(1)), int(nats.group(2))]
    for url in openapi_urls:
        base = url.removesuffix("/v1/openapi.json")
        ports.append(int(base.rsplit(":", 1)[1]))
        status, _ = get(f"{base}/health")
        assert status == 200
        status, body = get(url)
        assert status == 200
        assert json.loads(body)["openapi"].startswith("3.")
    assert (var_dir / "intake.db").exists()  # SQLite under the chosen var dir, not the repo's
    dashboard = re.search(r"(http://127\.0\.0\.1:\d+/dashboard\?gemeente=GM0757&period=\S+)",
                          output)
    assert dashboard, "devstack should print the dashboard's URL:\n" + output
    status, page = get(dashboard.group(1))
    assert status == 200 and b"<svg" in page  # the charts of the demo history
    assert wsp_vacancy_accepted(output), output


    proc.send_signal(signal.SIGINT)
    assert proc.wait(20) == 0

    assert [pid for pid in pids if alive(pid)] == []
    assert [port for port in ports if accepts_tcp(port)] == []
    assert not (var_dir / "devstack.pids").exists()
