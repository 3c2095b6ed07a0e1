"""Schemathesis against every service's API: generated requests never get a 5xx, and every
response matches the OpenAPI document. Each service runs as its own process, as deployed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.auth import OrgKind, Role
from tests.support.apps import SERVICE_NAMES
from tests.support.processes import ServiceProcess
from tests.support.services import bearer

# A gemeente's user with every role, so requests get past the role checks into the logic.
EVERY_ROLE = bearer("GM0757", OrgKind.GEMEENTE, *Role, gemeenten=("GM0757",))


@pytest.fixture(scope="module", params=SERVICE_NAMES)
def service(request: pytest.FixtureRequest, nats_url: str, bus_namespace: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """One service as a process, on its own fresh SQLite database."""
    name = request.param
    workdir = tmp_path_factory.mktemp(f"schemathesis-{name}")
    process = ServiceProcess(name, f"sqlite+aiosqlite:///{workdir / 'db.sqlite'}", nats_url,
                             bus_namespace, workdir).migrate().start()
    yield process
    process.stop()


def test_no_server_error_and_every_response_as_documented(service: ServiceProcess) -> None:
    schema = schemathesis.openapi.from_url(f"{service.url}/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the service documents no operations"
    statuses: list[int] = []
    for operation in operations:
        exercise(operation, f"{service.url}/v1", statuses)
    # The run really reached the service, beyond the auth and validation layers too.
    assert len(statuses) >= 4 * len(operations)
    assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))


def exercise(operation: schemathesis.APIOperation, base_url: str, statuses: list[int]) -> None:
    """Generated requests for one operation; the first failing check fails the test."""

    @given(case=operation.as_strategy())
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def calls(case: schemathesis.Case) -> None:
        response = case.call_and_validate(base_url=base_url, headers=EVERY_ROLE,
                                          checks=[not_a_server_error, response_schema_conformance])
        statuses.append(response.status_code)

    calls()
