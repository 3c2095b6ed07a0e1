"""The dashboard in a real browser: headless Chromium opens it on a running server (uvicorn,
seeded with the demo through real NATS), the charts render, and screenshots of the Dutch
dashboard, monitor and regional view are kept; the monitor's PDF is rendered to an image
(pdftoppm) and its text read back (pdftotext)."""

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
from tests.support.ports import free_port

CHROMIUM = "/usr/bin/chromium"
# Four of WSD's nine gemeenten in the demo: the regional view of its board.
WSD_FOUR = (BOXTEL, "GM0845", "GM0865", "GM1948")


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

    own = (f"{served.url}/dashboard/monitor?gemeente={BOXTEL}&period=2026-H1"
           f"&token={token_of(gemeente_auth())}")
    monitor = output_dir / "reporting-monitor-boxtel-2026-H1.png"
    monitor.unlink(missing_ok=True)
    printed = run_chromium("--window-size=1400,4200", "--hide-scrollbars",
                           f"--screenshot={monitor}", own)
    assert printed.returncode == 0 and monitor.stat().st_size > 20_000

    board = (f"{served.url}/dashboard/monitor?gemeente=GM0845&period=2026-H1"
             f"&token={token_of(board_auth())}")
    board_shot = output_dir / "reporting-monitor-board-GM0845-2026-H1.png"
    board_shot.unlink(missing_ok=True)
    printed = run_chromium("--window-size=1200,3000", f"--screenshot={board_shot}", board)
    assert printed.returncode == 0 and board_shot.stat().st_size > 20_000

    region = f"{served.url}/dashboard/regio?period=2026-H1&token={token_of(board_auth(WSD_FOUR))}"
    regional = output_dir / "reporting-regio-WSD-2026-H1.png"
    regional.unlink(missing_ok=True)
    shown = run_chromium("--window-size=1400,1400", "--hide-scrollbars",
                         f"--screenshot={regional}", region)
    assert shown.returncode == 0 and regional.stat().st_size > 20_000


async def test_the_dashboard_asks_a_browser_to_sign_in(served: Server) -> None:
    async with httpx.AsyncClient(base_url=served.url) as client:
        anonymous = await client.get("/dashboard")
        assert anonymous.status_code == 401 and "Inloggen" in anonymous.text
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
        # the price per place is made up
        assert f"<h2>Realisatie begeleidingsbudget{marker}" in page
        assert f"<h2>Plaatsingen naar vorm{marker}" in page  # the split over the forms too
        assert "<h2>Jongeren (16–27) naar leeftijd</h2>" in page  # Boxtel's ages are sourced
        assert f"<b>120 / 108{marker}" in page  # the KPI of the budget block
        assert "<b>483</b><span>Taakstelling plaatsen" in page  # Boxtel's target is sourced
        assert "Illustratieve cijfers</h2>" in page and "€ 12.500" in page
        monitor = (await client.get(
            "/dashboard/monitor", params={"gemeente": "GM0845", "period": "2026-H1"},
            headers=board_auth())).text
        assert f"<h2>Uitkomsten MWD en OAD{marker}" in monitor
        assert "Sint-Michielsgestel (GM0845)" in monitor
        assert ">onbekend</text>" in monitor  # the youth of unknown age, never given one
        assert "Regionale taakstelling van WSD voor 2026: 2.100 plaatsen (SW + PW)" in monitor
        assert "Regionale taakstelling" not in page  # the gemeente's view has its own target


# What a council member must never meet on a page: the API's English field names.
ENGLISH = ("activeAtEnd", "monthlyCommitment", "paidAmount", "lksBudget", "placesRealised",
           "atProvider", "fundedPlaces", "medianDays", "p90Days", "targetGroup", "providerName",
           "placesTarget", "lksPaid")


def visible_text(page: str) -> str:
    """The page without its style block and tags: what a reader sees."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


async def test_pages_are_dutch_with_targets_and_the_previous_period(served: Server) -> None:
    """Issue 15: names, Dutch labels, % of target and change since the previous period."""
    async with httpx.AsyncClient(base_url=served.url) as client:
        params = {"gemeente": BOXTEL, "period": "2026-H1"}
        dashboard = (await client.get("/dashboard", params=params,
                                      headers=gemeente_auth())).text
        monitor = (await client.get("/dashboard/monitor", params=params,
                                    headers=gemeente_auth())).text
    for page in (dashboard, monitor):
        text = visible_text(page)
        assert not [word for word in ENGLISH if word in text], text[:3000]
        assert "Boxtel (GM0757)" in text
        # Boxtel on 30 June 2026: 350 Wsw + 120 PW at WSD = 470 places; target 483:
        # 470 / 483 = 97.31…% → "97,3%"
        tiles = re.search(r'<div class="headline">.*?</div></div>', page, flags=re.S)
        assert tiles is not None
        # (the Wsw places' start dates are illustrative: the figure carries the mark)
        assert "<b>470<sup" in tiles[0] and "97,3% van taakstelling 483" in tiles[0], tiles[0]
        # at WSD 120 of 108 funded places: 111.1%
        assert "111,1% van gefinancierde plaatsen 108" in page
        assert "t.o.v. 2025-H2" in page
    key = re.search(r"<h2>Kerncijfers.*?</table>", monitor, flags=re.S)
    assert key is not None
    assert '<th class="n nowrap">2026-H1</th><th class="n nowrap">2025-H2</th>' in key[0]
    # Boxtel's lokaal-plan actions beside the figures; their statuses and notes are the demo's
    marker = '<sup class="illustrative"'
    assert f"<h2>Voortgang acties lokaal plan{marker}" in monitor
    assert ("<td>Vertraagd</td><td>12 plaatsen boven budget (120 bij WSD, 108 gefinancierd)."
            "</td>") in monitor


async def test_the_regional_view_of_the_board(served: Server, output_dir: Path) -> None:
    """WSD's board: its gemeenten against the regional target of 2,100, small cells hidden."""
    async with httpx.AsyncClient(base_url=served.url) as client:
        page = await client.get("/dashboard/regio", params={"period": "2026-H1"},
                                headers=board_auth(WSD_FOUR))
        gemeente = await client.get("/dashboard/regio", headers=gemeente_auth())
    assert page.status_code == 200, page.text[:2000]
    assert gemeente.status_code == 403  # a gemeente has its own dashboard, not the region's
    text = visible_text(page.text)
    for name in ("Boxtel", "Sint-Michielsgestel", "Vught", "Meierijstad"):
        assert name in text
    # Demo figures say so: every member gemeente here has illustrative figures (marked *)
    assert "Illustratieve cijfers</h2>" in page.text
    # …and no footnote gives a hidden count away (the demo's note once said "Vught: 3 …")
    assert "Vught: het aantal plaatsen" in page.text and "Vught: 3" not in page.text
    shown = re.sub(r'<sup class="illustrative"[^>]*>\*</sup>', "", page.text)
    rows = {m[0]: m[1] for m in re.findall(
        r"<tr[^>]*><td>([^<]+)</td><td class=\"n\">([^<]+)</td>", shown)}
    # Places realised on 30 June 2026: Boxtel 470, Sint-Michielsgestel 31, Vught 3,
    # Meierijstad 44. Vught's 3 is "<5"; the board sees the others' exact counts, so an exact
    # total (548) would give the 3 away: the region's total is rounded to tens, ≈550.
    assert rows["Boxtel"] == "470" and rows["Meierijstad"] == "44"
    assert rows["Vught"] == "&lt;5" and rows["Sint-Michielsgestel"] == "31"
    assert rows["Regio (4 gemeenten)"] == "≈550" and "548" not in text
    # 550 of the regional target 2,100 = 26.19…% → 26,2%
    assert "<b>2.100</b>" in page.text and "26,2% van de regionale taakstelling" in page.text


def poppler(tool: str) -> str:
    """pdftoppm or pdftotext (Debian's poppler-utils), or a skip (a failure under CI)."""
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing in CI: apt-get install -y poppler-utils")
    pytest.skip(f"{tool} not installed: the PDF test reads the monitor back with poppler-utils "
                "(Debian: apt-get install -y poppler-utils; .ci/run installs it)")


async def test_the_monitor_as_pdf(served: Server, output_dir: Path) -> None:
    """The monitor rendered on the server (no browser): page 1 as an image, its text read."""
    pdftoppm, pdftotext = poppler("pdftoppm"), poppler("pdftotext")
    async with httpx.AsyncClient(base_url=served.url, timeout=120) as client:
        response = await client.get("/dashboard/monitor.pdf",
                                    params={"gemeente": BOXTEL, "period": "2026-H1"},
                                    headers=gemeente_auth())
        other = await client.get("/dashboard/monitor.pdf", params={"gemeente": "GM0845"},
                                 headers=gemeente_auth())
        bad = await client.get("/dashboard/monitor.pdf", params={"period": "9999"},
                               headers=gemeente_auth())
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert other.status_code == 403 and bad.status_code == 400
    pdf = output_dir / "reporting-monitor-boxtel-2026-H1.pdf"
    pdf.write_bytes(response.content)
    stem = output_dir / "reporting-monitor-boxtel-2026-H1-page"
    for old in output_dir.glob(f"{stem.name}*.png"):
        old.unlink()
    made = subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf),
                           str(stem)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    (image,) = output_dir.glob(f"{stem.name}*.png")
    assert image.stat().st_size > 20_000  # a page with figures, not a blank
    first = " ".join(subprocess.run([pdftotext, "-f", "1", "-l", "1", str(pdf), "-"],
                                    capture_output=True, text=True, timeout=60).stdout.split())
    assert "Monitor Participatiewet — Boxtel (GM0757) — 2026-H1" in first
    assert "Taakstelling plaatsen" in first and "97,3% van taakstelling 483" in first
    assert not [word for word in ENGLISH if word in first]
    everything = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                                timeout=60).stdout
    # Illustrative figures say so on the page: the marks and their footnote.
    assert "Illustratieve cijfers" in everything and "Voortgang acties lokaal plan" in everything
