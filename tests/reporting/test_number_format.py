"""Issue 15, one number format: money a decimal string with exactly two decimals ("7651.90",
never 7651.9) in JSON and CSV alike, counts integers, percentages JSON numbers; the OpenAPI
schema says so."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from services.reporting.reports import money
from tests.reporting.conftest import BOXTEL, Reporting, gemeente_auth
from tests.reporting.stories import two_gemeenten


async def json_row(r: Reporting, slug: str) -> dict[str, Any]:
    response = await r.get(f"/v1/reports/{slug}", gemeente_auth(BOXTEL), period="2026-H1")
    assert response.status_code == 200, response.text
    return dict(response.json()["rows"][0])


async def csv_row(r: Reporting, slug: str) -> dict[str, str]:
    response = await r.get(f"/v1/reports/{slug}", gemeente_auth(BOXTEL), period="2026-H1",
                           format="csv")
    return next(csv.DictReader(io.StringIO(response.text)))


async def test_money_strings_counts_integers_percentages_numbers(reporting: Reporting) -> None:
    await reporting.publish(two_gemeenten().envelopes)
    await reporting.drained()
    lks = await json_row(reporting, "lks")
    # The story's five payments add up to €7,651.90: two decimals, as a string.
    assert lks["paidAmount"] == "7651.90" and lks["monthlyCommitment"] == "8264.05"
    assert isinstance(lks["granted"], int) and lks["granted"] == 5
    budget = await json_row(reporting, "budget")
    assert (budget["guidanceBudget"], budget["placePrice"]) == ("50000.00", "12500.00")
    # 5 at the uitvoerder of 4 funded places: 125.0 %, a JSON number
    assert budget["realisationPct"] == 125.0 and isinstance(budget["realisationPct"], float)
    assert (await json_row(reporting, "overview"))["lksPaid"] == "7651.90"
    # CSV: the very same text
    assert (await csv_row(reporting, "lks"))["paidAmount"] == "7651.90"
    assert (await csv_row(reporting, "budget"))["guidanceBudget"] == "50000.00"


def test_money_has_two_decimals_half_up() -> None:
    assert money(Decimal("735467.4")) == "735467.40"
    assert money(Decimal("1530.385")) == "1530.39"  # half-up (not banker's: 1530.38)
    assert money(None) == "0.00"


async def test_the_schema_says_money_is_a_string(reporting: Reporting) -> None:
    schema = (await reporting.client.get("/v1/openapi.json")).json()["components"]["schemas"]
    paid = schema["LksRow"]["properties"]["paidAmount"]
    kinds = [option.get("type") for option in paid["anyOf"]]
    assert kinds == ["string", "null"] and paid["anyOf"][0]["pattern"] == r"^-?\d+\.\d{2}$"
