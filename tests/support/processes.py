"""Services as real OS processes (`python -m services.<name> serve`), killable with SIGKILL.

The chain and fault tests need what in-process apps cannot give: a process that dies without
running any shutdown code, and restarts on the same database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0


class ServiceProcess:
    """One service: migrated once, then started, killed and restarted on the same database."""

    def __init__(self, name: str, database_url: str, nats_url: str, namespace: str,
                 workdir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.env = {
            **os.environ,
            f"{name.upper()}_DATABASE_URL": database_url,
            "NATS_URL": nats_url,
            "BUS_NAMESPACE": namespace,
            "ENVIRONMENT": "test",
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the running service."""
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> ServiceProcess:
        """Run the service's Alembic migrations to head."""
        completed = subprocess.run([sys.executable, "-m", f"services.{self.name}", "migrate"],
                                   cwd=ROOT, env=self.env, capture_output=True, text=True,
                                   timeout=120)
        assert completed.returncode == 0, completed.stderr[-2000:]
        return self

    def start(self, *, wait_ready: bool = True) -> ServiceProcess:
        """Start the server; by default wait until /ready says the database and bus are up."""
        with self.log.open("ab") as out:
            self._process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.name}", "serve", "--port",
                 str(self.port)],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        self.wait_until_serving(ready=wait_ready)
        return self

    def wait_until_serving(self, *, ready: bool = True, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Until /health (or /ready when `ready`) answers 200; fails with the log's tail."""
        path = "/ready" if ready else "/health"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.tail()}")
            try:
                if httpx.get(self.url + path, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not serving {path} after {timeout_s}s: {self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, in-flight work is simply lost from memory."""
        if self._process is not None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
            self._process = None

    def stop(self) -> None:
        """SIGTERM and wait (the graceful path)."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None

    def tail(self, lines: int = 30) -> str:
        """The end of the service's log, for failure messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
