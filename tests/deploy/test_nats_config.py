"""The NATS configurations in deploy/nats are valid, and the accounts really confine a gemeente.

The live test runs a nats-server with the committed accounts.conf and checks, as Boxtel's
intake user, that it can publish and consume Boxtel's events and nothing of another gemeente.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js.errors import Error as JetStreamError

from shared.bus.streams import ensure_consumer, ensure_stream
from shared.events.subjects import stream_name, subject_for
from tests.support.nats import NatsServer, nats_server_binary

NATS_DIR = Path(__file__).resolve().parents[2] / "deploy" / "nats"
PASSWORDS = {"GM0757_INTAKE_PASSWORD": "boxtel-secret", "WSD_DIAGNOSE_PASSWORD": "wsd-secret",
             "OPS_PASSWORD": "ops-secret"}


@pytest.mark.parametrize("name", ["cluster.conf", "leafnode.conf"])
def test_committed_config_is_valid_for_nats_server(name: str) -> None:
    env = {**os.environ, **PASSWORDS, "NODE_NAME": "nats-0"}
    completed = subprocess.run([nats_server_binary(), "-t", "-c", str(NATS_DIR / name)],
                               capture_output=True, text=True, env=env, timeout=30,
                               cwd=NATS_DIR)
    assert completed.returncode == 0, completed.stderr
    assert "is valid" in completed.stderr + completed.stdout


def test_the_config_check_does_fail_on_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.conf"
    broken.write_text("jetstream { store_dir: \n")
    completed = subprocess.run([nats_server_binary(), "-t", "-c", str(broken)],
                               capture_output=True, text=True, timeout=30)
    assert completed.returncode != 0


@pytest.fixture
async def hub(tmp_path: Path) -> AsyncIterator[NatsServer]:
    """A nats-server with deploy/nats/accounts.conf, the streams created by the ops user."""
    shutil.copy(NATS_DIR / "accounts.conf", tmp_path / "accounts.conf")
    main = tmp_path / "hub.conf"
    main.write_text("include ./accounts.conf\n")
    server = NatsServer(tmp_path / "js", config=main, env={**os.environ, **PASSWORDS}).start()
    ops = await nats.connect(server.url, user="ops", password=PASSWORDS["OPS_PASSWORD"])
    for producer in ("intake", "diagnose"):
        await ensure_stream(ops.jetstream(), producer)
    await ops.close()
    yield server
    server.stop()


async def connect_as(server: NatsServer, user: str, password: str,
                     errors: list[str] | None = None) -> Client:
    """Connect as an organisation's user; the server's async errors land in `errors`."""
    async def remember(exc: Exception) -> None:
        if errors is not None:
            errors.append(str(exc))

    return await nats.connect(server.url, user=user, password=password, error_cb=remember,
                              max_reconnect_attempts=0)


async def test_a_gemeente_publishes_and_reads_only_its_own_events(hub: NatsServer) -> None:
    ops = await nats.connect(hub.url, user="ops", password=PASSWORDS["OPS_PASSWORD"])
    ops_js = ops.jetstream()
    for gemeente in ("GM0757", "GM0758"):
        await ops_js.publish(subject_for("diagnose.advice-issued", gemeente), gemeente.encode())
    await ops.close()

    boxtel = await connect_as(hub, "gm0757-intake", PASSWORDS["GM0757_INTAKE_PASSWORD"])
    js = boxtel.jetstream()
    await ensure_stream(js, "intake")  # exists unchanged: needs no update right
    ack = await js.publish(subject_for("intake.candidate-registered", "GM0757"), b"{}")
    assert ack.stream == stream_name("intake")

    name = await ensure_consumer(js, consumer_service="intake", producer="diagnose",
                                 gemeente="GM0757")
    subscription = await js.pull_subscribe_bind(durable=name, stream=stream_name("diagnose"))
    messages = await subscription.fetch(10, timeout=2.0)
    assert [m.data for m in messages] == [b"GM0757"]
    await boxtel.close()


async def test_a_gemeente_cannot_publish_for_another_gemeente(hub: NatsServer) -> None:
    errors: list[str] = []
    boxtel = await connect_as(hub, "gm0757-intake", PASSWORDS["GM0757_INTAKE_PASSWORD"], errors)
    with pytest.raises((NatsError, JetStreamError)):
        await boxtel.jetstream().publish(subject_for("intake.candidate-registered", "GM0758"),
                                         b"{}", timeout=1.0)
    await boxtel.close()
    assert any("permissions violation" in e.lower() for e in errors), errors


async def test_a_gemeente_cannot_open_an_unscoped_consumer(hub: NatsServer) -> None:
    boxtel = await connect_as(hub, "gm0757-intake", PASSWORDS["GM0757_INTAKE_PASSWORD"])
    with pytest.raises((NatsError, JetStreamError)):
        await ensure_consumer(boxtel.jetstream(), consumer_service="intake",
                              producer="diagnose")
    await boxtel.close()
