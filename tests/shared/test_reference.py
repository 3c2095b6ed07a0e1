"""Reference lists: served without a token, enums in the schema, a 400 that names the list."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from shared.http.errors import install_error_handlers
from shared.http.reference import ReferenceItem, ReferenceList, code_type, reference_router
from shared.http.schemas import ApiModel

WERKSOORTEN = ReferenceList("werksoorten", "Werksoorten", "Soorten werk", (
    ReferenceItem("logistiek", "Logistiek"),
    ReferenceItem("groen", "Groen", "Groenvoorziening", valid_from=date(2020, 1, 1)),
))
Werksoort = code_type(WERKSOORTEN)


class Wish(ApiModel):
    """A body with a coded field."""

    werksoort: Werksoort


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(reference_router([WERKSOORTEN]), prefix="/v1")

    @app.post("/v1/wishes")
    async def wish(body: Wish) -> dict[str, str]:
        return {"werksoort": body.werksoort}

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_lists_and_items_without_a_token(client: httpx.AsyncClient) -> None:
    index = (await client.get("/v1/reference")).json()
    assert index == {"lists": [{"name": "werksoorten", "label": "Werksoorten",
                                "description": "Soorten werk", "url": "/v1/reference/werksoorten",
                                "count": 2}]}
    items = (await client.get("/v1/reference/werksoorten")).json()["items"]
    assert items[1] == {"code": "groen", "label": "Groen", "description": "Groenvoorziening",
                        "validFrom": "2020-01-01", "validTo": None}


async def test_an_unknown_list_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/reference/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_code_names_its_list(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/wishes", json={"werksoort": "groen"})).status_code == 200
    response = await client.post("/v1/wishes", json={"werksoort": "bakkerij"})
    assert response.status_code == 400
    reason = response.json()["invalidParams"][0]["reason"]
    assert "list 'werksoorten'" in reason and "logistiek, groen" in reason
    assert "/v1/reference/werksoorten" in reason


def test_codes_are_an_openapi_enum() -> None:
    schema = Wish.model_json_schema()["properties"]["werksoort"]
    assert schema["enum"] == ["logistiek", "groen"]
