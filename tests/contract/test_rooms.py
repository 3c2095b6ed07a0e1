"""The same rooms in all five services, and the one way into the database (issue 14).

Read from the source with `ast`, so a route that opens a session, a handler that imports the
HTTP schemas or a domain rule that imports a framework fails here, not in review.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "diagnose", "matching", "finance", "reporting")
# The rooms every service has (ARCHITECTURE.md, "How we write code").
ROOMS = ("api", "handlers", "domain", "store", "events.py", "settings.py", "unit_of_work.py")
# The HTTP edge: routes and schemas, and reporting's HTML/PDF pages.
EDGES = ("api", "dashboard")
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy", "httpx", "nats", "pydantic_settings")
MAX_LINES = 400
# What touching the database looks like. Opening a unit of work (`runtime.begin`) in an edge's
# own dependency is allowed: the dashboard signs its visitors in from a cookie.
DATABASE_CALLS = {"session", "sessions", "transaction", "execute", "scalar", "scalars"}


def modules(directory: Path) -> Iterator[Path]:
    yield from sorted(p for p in directory.rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module name `path` imports (absolute and package-relative)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def attributes_used(path: Path) -> set[str]:
    return {node.attr for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.Attribute)}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_rooms(service: str) -> None:
    home = ROOT / "services" / service
    missing = [room for room in ROOMS if not (home / room).exists()]
    has_commands = (home / "commands.py").exists() or (home / "commands").is_dir()
    assert not missing and has_commands, f"{service} lacks {missing or ['commands']}"


@pytest.mark.parametrize("service", SERVICES)
def test_no_route_touches_the_database(service: str) -> None:
    """Routes get the request's unit of work and call a handler; they never hold a session."""
    offenders: list[str] = []
    for edge in EDGES:
        for path in modules(ROOT / "services" / service / edge):
            names = imported(path)
            # Models may be named (a view maps a handler's result); repositories and queries not.
            wrong = sorted(n for n in names if n.startswith("sqlalchemy")
                           or n.endswith((".repository", ".queries", ".projections")))
            used = attributes_used(path) & DATABASE_CALLS
            if wrong or used:
                offenders.append(f"{path.relative_to(ROOT)}: {wrong} {sorted(used)}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_handlers_take_commands_not_http_schemas(service: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in modules(ROOT / "services" / service /
                                                           "handlers")
                 if any(".api" in n or n.startswith("fastapi") for n in imported(p))]
    assert not offenders, offenders


@pytest.mark.parametrize("service", SERVICES)
def test_domain_rules_import_no_framework_and_no_other_service(service: str) -> None:
    offenders: list[str] = []
    for path in modules(ROOT / "services" / service / "domain"):
        wrong = [n for n in imported(path)
                 if n.split(".")[0] in FRAMEWORKS
                 or (n.startswith("services.") and not n.startswith(f"services.{service}."))]
        if wrong:
            offenders.append(f"{path.relative_to(ROOT)}: {wrong}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_imports_another(service: str) -> None:
    others = tuple(f"services.{s}" for s in SERVICES if s != service)
    offenders = [f"{p.relative_to(ROOT)}" for p in modules(ROOT / "services" / service)
                 if any(n.startswith(others) for n in imported(p))]
    assert not offenders, offenders


def test_no_file_passes_the_line_limit() -> None:
    long = [f"{p.relative_to(ROOT)}: {n}" for d in ("shared", "services")
            for p in modules(ROOT / d) if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not long, long


def machine_dates(path: Path) -> list[int]:
    """Lines that ask the machine for today's date (`date.today()`, `datetime.now(…).date()`)
    or build their own time zone, instead of asking shared.dutch_time."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        asks_today = (isinstance(func, ast.Attribute) and func.attr == "today"
                      and isinstance(func.value, ast.Name) and func.value.id == "date")
        dates_now = (isinstance(func, ast.Attribute) and func.attr == "date"
                     and isinstance(func.value, ast.Call)
                     and isinstance(func.value.func, ast.Attribute)
                     and func.value.func.attr == "now")
        own_zone = isinstance(func, ast.Name) and func.id == "ZoneInfo"
        if asks_today or dates_now or own_zone:
            lines.append(node.lineno)
    return lines


def test_every_day_is_the_dutch_day() -> None:
    """A server keeps UTC, a day behind the Netherlands for an hour or two each night: at 00:30
    a date entered as today would be "in the future". One definition, shared.dutch_time."""
    one_definition = ROOT / "shared" / "dutch_time.py"
    offenders = [f"{p.relative_to(ROOT)}:{line}" for d in ("shared", "services", "tests", "bench")
                 for p in modules(ROOT / d) if p != one_definition
                 for line in machine_dates(p)]
    assert not offenders, offenders
