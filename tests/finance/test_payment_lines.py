"""A payment run's lines as paginated JSON beside the CSV (issue 15): the same rows, pages with
an RFC 8288 Link header, the gemeente's own only."""

from __future__ import annotations

import csv
import io
import re
import uuid

from shared.auth import Role
from tests.finance.conftest import (
    BOXTEL,
    VUGHT,
    Finance,
    gemeente_staff,
    lks_placement,
    provider_staff,
)
from tests.finance.test_payment_runs import run_month

CONTROLLER = gemeente_staff(BOXTEL)


def links(header: str) -> dict[str, str]:
    """rel → URL of a Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


async def test_lines_as_pages_with_links_and_the_same_rows_as_the_csv(finance: Finance) -> None:
    paid = [(await lks_placement(finance, pct=pct))[1] for pct in (50, 20, 90)]
    run = await run_month(finance, "2026-01")
    path = f"/v1/payment-runs/{run['id']}/lines"

    first = await finance.client.get(path, params={"pageSize": 2}, headers=CONTROLLER)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["page"], body["pageSize"], body["total"], len(body["items"])) == (1, 2, 3, 2)
    first_links = links(first.headers["Link"])
    assert first_links["next"] == f"{path}?page=2&pageSize=2"
    assert first_links["last"] == f"{path}?page=2&pageSize=2"
    assert "prev" not in first_links
    second = await finance.client.get(path, params={"page": 2, "pageSize": 2},
                                      headers=CONTROLLER)
    assert [len(second.json()["items"]), second.json()["total"]] == [1, 3]
    assert links(second.headers["Link"])["prev"] == f"{path}?page=1&pageSize=2"
    rows = body["items"] + second.json()["items"]

    # Hand-worked (DOMAIN.md): 50 % → 1530.38, 20 % (capped at 70 % of WML) → 2142.53,
    # 90 %: gap 1.471 × 156 × 1.08 × 1.235 = 306.08.
    assert sorted((r["grantId"], r["amount"]) for r in rows) == sorted(
        zip([str(g.id) for g in paid], ["1530.38", "2142.53", "306.08"], strict=True))
    assert {r["employerKvk"] for r in rows} == {"12345678"}

    exported = await finance.client.get(f"{path}.csv", headers=CONTROLLER)
    in_csv = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["grantId"], r["employerKvk"], r["amount"]) for r in in_csv] == [
        (r["grantId"], r["employerKvk"], r["amount"]) for r in rows]  # same rows, same order

    as_csv = await finance.client.get(path, params={"format": "csv"}, headers=CONTROLLER)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text == exported.text
    negotiated = await finance.client.get(path, headers={**CONTROLLER, "Accept": "text/csv"})
    assert negotiated.headers["content-type"].startswith("text/csv")
    assert negotiated.text == exported.text
    json_wins = await finance.client.get(path, params={"format": "json"},
                                         headers={**CONTROLLER, "Accept": "text/csv"})
    assert json_wins.json()["total"] == 3


async def test_lines_are_the_gemeentes_own(finance: Finance) -> None:
    await lks_placement(finance)
    run = await run_month(finance, "2026-02")
    path = f"/v1/payment-runs/{run['id']}/lines"
    for headers in (gemeente_staff(VUGHT), gemeente_staff(VUGHT, Role.CASEWORKER)):
        for params in ({}, {"format": "csv"}):
            response = await finance.client.get(path, params=params, headers=headers)
            assert response.status_code == 404, response.text
            assert response.headers["content-type"] == "application/problem+json"
    for headers in (provider_staff(), provider_staff("WSD", (BOXTEL,), Role.CONTROLLER),
                    gemeente_staff(BOXTEL, Role.BOARD)):
        assert (await finance.client.get(path, headers=headers)).status_code == 403
    assert (await finance.client.get(path)).status_code == 401
    caseworker = await finance.client.get(path, headers=gemeente_staff(BOXTEL, Role.CASEWORKER))
    assert caseworker.status_code == 200 and caseworker.json()["total"] == 1


async def test_bad_line_requests(finance: Finance) -> None:
    await lks_placement(finance)
    run = await run_month(finance, "2026-03")
    path = f"/v1/payment-runs/{run['id']}/lines"
    for params, field in (({"page": 0}, "page"), ({"pageSize": 101}, "pageSize"),
                          ({"format": "xml"}, "format"), ({"page": "een"}, "page")):
        response = await finance.client.get(path, params=params, headers=CONTROLLER)
        assert response.status_code == 400, response.text
        assert field in {p["name"] for p in response.json()["invalidParams"]}
    missing = await finance.client.get(f"/v1/payment-runs/{uuid.uuid4()}/lines",
                                       headers=CONTROLLER)
    assert missing.status_code == 404
    beyond = await finance.client.get(path, params={"page": 5}, headers=CONTROLLER)
    assert beyond.status_code == 200 and beyond.json()["items"] == []
    assert beyond.json()["total"] == 1
