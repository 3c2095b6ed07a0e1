"""The dashboard in a real browser: headless Chromium opens it on a running server (uvicorn,
seeded with the demo through real NATS), the charts render, and a screenshot is kept."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import nats
import pytest
import uvicorn
from nats.js.errors import NotFoundError as NatsError

from services.reporting.demo import seed_demo
from services.reporting.events import PRODUCERS
from services.reporting.main import create_app
from shared.bus.streams import durable_name
from shared.events.subjects import stream_name
from tests.conftest import delete_streams, eventually
from tests.reporting.conftest import BOXTEL, board_auth, gemeente_auth, settings_for
from tests.support.databases import DatabaseFactory
from tests.support.nats import free_port

CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    """The browser, or a skip (a failure under CI, where it must be installed)."""
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is missing in CI: apt-get install -y chromium")
    pytest.skip("chromium not installed (Debian: apt-get install -y chromium)")


class Server:
    """uvicorn serving the reporting app in a thread of its own (its own event loop)."""

    def __init__(self, app: object, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,  # type: ignore[arg-type]
                                access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture(scope="module")
async def served(reporting_databases: DatabaseFactory, nats_url: str
                 ) -> AsyncIterator[Iterator[Server]]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    settings = settings_for(await reporting_databases.fresh(), nats_url, namespace)
    port = free_port()
    try:
        with Server(create_app(settings), port) as server:
            await seed_demo(settings)

            async def seeded() -> bool:
                """Every consumer has folded everything the demo published."""
                client = await nats.connect(nats_url)
                try:
                    js = client.jetstream()
                    for producer in PRODUCERS:
                        info = await js.consumer_info(stream_name(producer, namespace),
                                                      durable_name("reporting", producer))
                        if info.num_pending or info.num_ack_pending:
                            return False
                    return True
                except NatsError:
                    return False  # consumers not created yet
                finally:
                    await client.close()

            await eventually(seeded, timeout_s=60, interval_s=0.5)
            yield server  # type: ignore[misc]
    finally:
        await delete_streams(nats_url, namespace)


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                           "--no-first-run", "--disable-dev-shm-usage", *args],
                          capture_output=True, text=True, timeout=90)


def rendered_bars(svg: str) -> int:
    """Bars (rects) with a positive height in one chart."""
    return sum(1 for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg) if float(h) > 0)


async def test_the_dashboard_renders_its_charts_in_chromium(served: Server,
                                                            output_dir: Path) -> None:
    url = (f"{served.url}/dashboard?gemeente={BOXTEL}&period=2026-H1"
           f"&token={token_of(gemeente_auth())}")
    dom = run_chromium("--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = re.findall(r"<svg.*?</svg>", dom.stdout, flags=re.S)
    assert len(charts) == 4, dom.stdout[:2000]
    assert all(rendered_bars(chart) > 0 for chart in charts)
    assert "<polyline" in charts[1]  # the places target line
    assert ">120<" in dom.stdout and ">108<" in dom.stdout  # at WSD vs funded places

    shot = output_dir / "reporting-dashboard-boxtel-2026-H1.png"
    shot.unlink(missing_ok=True)
    result = run_chromium("--window-size=1400,2000", "--hide-scrollbars",
                          f"--screenshot={shot}", url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 20_000  # a page, not a blank

    board = (f"{served.url}/dashboard/monitor?gemeente=GM0845&period=2026-H1"
             f"&token={token_of(board_auth())}")
    monitor = output_dir / "reporting-monitor-board-GM0845-2026-H1.png"
    monitor.unlink(missing_ok=True)
    printed = run_chromium("--window-size=1200,3000", f"--screenshot={monitor}", board)
    assert printed.returncode == 0 and monitor.stat().st_size > 20_000


async def test_the_dashboard_asks_a_browser_to_sign_in(served: Server) -> None:
    async with httpx.AsyncClient(base_url=served.url) as client:
        anonymous = await client.get("/dashboard")
        assert anonymous.status_code == 401 and "Sign in" in anonymous.text
        signed = await client.post("/dashboard/session",
                                   data={"token": token_of(gemeente_auth())})
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
        page = await client.get("/dashboard", params={"period": "2026-H1"})
        assert page.status_code == 200 and page.text.count("<svg") == 4
        assert "<script" not in page.text and "http" not in re.sub(
            r'xmlns="http://www.w3.org/2000/svg"', "", page.text)  # nothing fetched from anywhere
        other = await client.get("/dashboard", params={"gemeente": "GM0845"})
        assert other.status_code == 403
        bad = await client.post("/dashboard/session", data={"token": "not-a-token"})
        assert bad.status_code == 401


async def test_the_dashboard_marks_illustrative_figures(served: Server) -> None:
    """Issue 12: what the demo makes up carries a marker and a footnote; sourced figures not."""
    async with httpx.AsyncClient(base_url=served.url) as client:
        page = (await client.get("/dashboard", params={"gemeente": BOXTEL, "period": "2026-H1"},
                                 headers=gemeente_auth())).text
        marker = '<sup class="illustrative"'
        assert f"<h2>Budget realisation{marker}" in page  # the price per place is made up
        assert f"<h2>Placements by form{marker}" in page  # the split over the forms too
        assert "<h2>Young people (16–27) by age</h2>" in page  # Boxtel's ages are sourced
        assert f"<b>120 / 108{marker}" in page  # the KPI of the budget block
        assert "<b>483</b><span>places target" in page  # Boxtel's target is sourced
        assert "Illustrative figures</h2>" in page and "€12,500" in page
        monitor = (await client.get(
            "/dashboard/monitor", params={"gemeente": "GM0845", "period": "2026-H1"},
            headers=board_auth())).text
        assert f"<h2>MWD and OAD outcomes{marker}" in monitor
        assert "Sint-Michielsgestel (GM0845)" in monitor
        assert ">unknown</text>" in monitor  # the youth of unknown age, never given one
        assert "Regional target of WSD for 2026: 2,100 places (SW + PW)" in monitor
        assert "Regional target" not in page  # the gemeente's own view has its own target
