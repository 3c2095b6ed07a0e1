"""The compose stack under test: brought up once for tests/compose/, taken down afterwards.

Runs only under `make compose-test` (COMPOSE_TEST=1; it needs a Docker engine): a plain
`make test` skips it. The stack is docker-compose.yml as operators run it (production mode)
plus tests/compose/docker-compose.test.yml (a webhook receiver on a fixed address), under a
project name and host ports of its own, so it never meets a developer's stack or `make run`.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENABLED = bool(os.environ.get("COMPOSE_TEST"))
PROJECT = "participatiewet-compose-test"
PORTS = {"intake": 18001, "diagnose": 18002, "matching": 18003, "finance": 18004,
         "reporting": 18005, "receiver": 18443}
RECEIVER_IP = "172.30.213.200"
TLS_DIR = ROOT / "var" / "compose-test" / "tls"

# docker-compose 1.x where installed (Debian's), else the engine's `docker compose` plugin.
COMPOSE = ["docker-compose"] if shutil.which("docker-compose") else ["docker", "compose"]

if ENABLED:
    # The chain walk's tokens are signed when its module is imported, with AUTH_DEV_SECRET from
    # the environment: set it before that, and hand the same secret to the stack.
    os.environ.setdefault("AUTH_DEV_SECRET", secrets.token_hex(32))


def say(message: str) -> None:
    """A progress line for CI's log (pytest runs with -s under make compose-test)."""
    sys.stdout.write(f"compose: {message}\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Stack:
    """The running stack: where its services answer, how to run docker-compose against it."""

    env: dict[str, str]
    ca_file: Path

    def url(self, service: str) -> str:
        scheme = "https" if service == "receiver" else "http"
        return f"{scheme}://127.0.0.1:{PORTS[service]}"

    def compose(self, *args: str, timeout_s: float = 120) -> str:
        done = subprocess.run([*COMPOSE, *args], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, timeout=timeout_s, check=True)
        return done.stdout

    def container(self, service: str) -> str:
        return self.compose("ps", "-q", service).strip()


def stack_env() -> dict[str, str]:
    from tests.chain.test_klantreis_e2e import WSP, WSP_SECRET

    env = dict(os.environ)
    env.update({
        "COMPOSE_PROJECT_NAME": PROJECT,
        "COMPOSE_FILE": "docker-compose.yml:tests/compose/docker-compose.test.yml",
        "OIN": "00000001823288444000",
        "LOG_LEVEL": "INFO",
        "AUTH_JWKS_URL": "", "AUTH_PUBLIC_KEY": "",  # our HS256 tokens, whatever .env says
        "MATCHING_WSP_WEBHOOK_SECRETS": json.dumps({WSP: WSP_SECRET}),
        # Exactly the receiver: every other private address stays refused.
        "MATCHING_CALLBACK_ALLOWED_NETWORKS": RECEIVER_IP,
        "COMPOSE_TEST_RECEIVER_IP": RECEIVER_IP,
        **{f"{name.upper()}_PORT": str(port) for name, port in PORTS.items()},
    })
    return env


def script(command: str, env: dict[str, str], timeout_s: float) -> None:
    subprocess.run([str(ROOT / "scripts" / "compose.sh"), command], cwd=ROOT, env=env,
                   timeout=timeout_s, check=True)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    if not ENABLED:
        pytest.skip("needs a Docker engine: run `make compose-test`")
    from tests.compose.tls import make_server_tls

    TLS_DIR.parent.mkdir(parents=True, exist_ok=True)
    tls = make_server_tls(TLS_DIR, ["receiver", "127.0.0.1"])
    for directory in (TLS_DIR, TLS_DIR.parent, TLS_DIR.parent.parent):
        directory.chmod(0o755)  # the containers read it as another user
    env = stack_env()
    subprocess.run([*COMPOSE, "down", "-v", "--remove-orphans"], cwd=ROOT, env=env,
                   capture_output=True, timeout=120, check=False)  # a previous run's leftovers
    try:
        script("up", env, timeout_s=1200)  # prints "compose: stack up (N s)"
        yield Stack(env, tls.ca_file)
    finally:
        if os.environ.get("COMPOSE_TEST_KEEP"):
            say("COMPOSE_TEST_KEEP set: the stack stays up")
        else:
            logs = subprocess.run([*COMPOSE, "logs", "--no-color", "--tail", "200"],
                                  cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=60, check=False)
            (ROOT / "var" / "compose-test" / "stack.log").write_text(logs.stdout)
            script("down", env, timeout_s=180)
