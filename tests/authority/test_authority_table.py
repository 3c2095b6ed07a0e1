"""The README's authority table, tested row by row against the running services.

For every operation and every organisation kind in the table, one request per role (all six)
with a valid body: a role the cell lists must get past authorisation (not 401, 403 or 404),
any other role must be refused (403 or 404; a list answers 200 without the resource). Then
every write: a role that no column of the row allows gets 403 even with a malformed body (the
role check runs before the body is read).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests.authority.conftest import BOXTEL, World, token
from tests.authority.table import COLUMNS, Row, authority_rows
from tests.contract.bodies import valid_body

ROWS = authority_rows()

SERVICE_OF_PREFIX = (
    (r"/v1/candidates/\{candidateId\}/matches", "matching"),
    (r"/v1/(candidates|access-logs)", "intake"),
    (r"/v1/diagnoses", "diagnose"),
    (r"/v1/(employers|vacancies|proposals|placements|webhook)", "matching"),
    (r"/v1/(parameters|lks-calculations|grants|payment-runs|budgets|reserves|tariffs|invoices"
     r"|business-cases)", "finance"),
    (r"/v1/reports", "reporting"),
)

# A list shows the world's resource to whom it is allowed, and not to anyone else.
LISTED = {"GET /v1/candidates": "candidateId", "GET /v1/access-logs": "candidateId",
          "GET /v1/diagnoses": "diagnosisId", "GET /v1/employers": "employerId",
          "GET /v1/vacancies": "vacancyId", "GET /v1/proposals": "proposalId",
          "GET /v1/placements": "placementId", "GET /v1/webhook-subscriptions": "subscriptionId",
          "GET /v1/grants": "grantId", "GET /v1/reports/targets": "gemeente"}
QUERY = {"GET /v1/reports/{report}": {"gemeente": BOXTEL}}

def service_of(path: str) -> str:
    """Which service answers this path."""
    return next(service for pattern, service in SERVICE_OF_PREFIX if re.match(pattern, path))


def body_for(world: World, row: Row) -> Any:
    """A valid body for the operation, naming the world's resources."""
    return valid_body(row.operation, world.ids["matching"])


async def url_for(world: World, row: Row) -> str:
    """The row's path with the world's ids (a fresh subscription for one that is deleted)."""
    values = dict(world.ids[service_of(row.path)])
    if row.method == "DELETE":
        values["subscriptionId"] = await world.subscription()
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), row.path)


async def send(world: World, row: Row, headers: dict[str, str], body: Any) -> httpx.Response:
    client = world.apps[service_of(row.path)].client
    kwargs: dict[str, Any] = {"params": QUERY.get(row.operation, {})}
    if body is not None:
        kwargs["json"] = body
    return await client.request(row.method, await url_for(world, row), headers=headers,
                                **kwargs)


def verdict(world: World, row: Row, response: httpx.Response) -> bool:
    """Did the request get past authorisation (and see the world's resource, for a list)?"""
    if response.status_code in {401, 403, 404}:
        return False
    assert response.status_code < 500, f"{row.operation}: {response.text}"
    marker = LISTED.get(row.operation)
    if marker is None:
        return True
    return str(world.ids[service_of(row.path)][marker]) in response.text


def cell_params() -> list[Any]:
    params = []
    for row in ROWS:
        for column in COLUMNS:
            if not row.cells[column].tested:
                continue
            params.append(pytest.param(row, column, id=f"{row.operation} | {column}"))
    return params


@pytest.mark.parametrize(("row", "column"), cell_params())
async def test_each_kind_and_role_gets_what_the_table_says(world: World, row: Row,
                                                           column: str) -> None:
    cell = row.cells[column]
    wrong: list[str] = []
    for role in Role:
        response = await send(world, row, token(column, role), body_for(world, row))
        allowed = verdict(world, row, response)
        if allowed != (role in cell.roles):
            wrong.append(f"{role.value}: {response.status_code} "
                         f"(table: {'allowed' if role in cell.roles else 'refused'})")
    assert not wrong, f"{row.operation} as {column}: " + "; ".join(wrong)


def before_body_params() -> list[Any]:
    params = []
    for row in ROWS:
        if not row.writes or row.method == "DELETE" or row.path.endswith("/redeliveries"):
            continue  # no body to malform
        params.append(pytest.param(row, id=row.operation))
    return params


@pytest.mark.parametrize("row", before_body_params())
async def test_a_role_without_the_right_gets_403_before_the_body_is_read(
        world: World, row: Row) -> None:
    allowed_roles = frozenset().union(*(c.roles for c in row.cells.values()))
    # The kind of a column that may write, so that only the role is wrong.
    column = next(c for c in COLUMNS if row.cells[c].access == "write")
    wrong: list[str] = []
    for role in sorted(set(Role) - allowed_roles):
        response = await send(world, row, token(column, role), ["not", "an", "object"])
        if response.status_code != 403:
            wrong.append(f"{role.value}: {response.status_code}")
    assert not wrong, f"{row.operation} as {column} with a malformed body: " + "; ".join(wrong)


def test_the_table_covers_every_operation_with_a_token() -> None:
    """Every documented operation but the WSP webhook (signed, no token) and the reference
    lists (codes only, no token, like the OpenAPI document) has a row."""
    from tests.support.apps import SERVICE_NAMES, app_of

    documented = {f"{method.upper()} /v1{path}"
                  for name in SERVICE_NAMES
                  for path, item in app_of(name).openapi()["paths"].items()
                  for method in item if method in {"get", "post", "put", "delete", "patch"}}
    one_report = re.compile(r"GET /v1/reports/(?!status|targets)\w[\w-]*")
    reports = {op for op in documented if one_report.fullmatch(op)}
    in_table = {row.operation for row in ROWS}
    tokenless = {"POST /v1/webhooks/wsp/vacancies", "GET /v1/reference",
                 "GET /v1/reference/{name}"}
    missing = documented - reports - in_table - tokenless
    assert not missing, sorted(missing)
    assert "GET /v1/reports/{report}" in in_table and reports
