"""Composition root of matching: settings → runtime (with its consumers) → app + worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from services.matching.api.keeper_routes import router as keeper_router
from services.matching.api.reference_lists import LISTS
from services.matching.api.routes import router
from services.matching.api.webhook_routes import router as webhook_router
from services.matching.api.webhook_schemas import WspVacancyMessage
from services.matching.api.work_routes import router as work_router
from services.matching.delivery import DeliveryWorker
from services.matching.events import consumers
from services.matching.matcher import MatchIndex
from services.matching.settings import API_VERSION, MatchingSettings
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.http.app import create_service_app
from shared.http.reference import reference_router
from shared.runtime import STOP_TIMEOUT_S, Runtime

DESCRIPTION = """Inclusief ondernemen: employers and their vacancies (also pushed by the
werkgeversservicepunt through a signed webhook), explainable matching of candidates in a
programme to vacancies in both directions, jobcarving, proposals and placements, and signed
outbound webhooks with retries and a delivery log. Holds no name or burgerservicenummer:
candidates are pseudonymous ids with coded profiles from diagnose's and intake's events."""
TAGS = [{"name": "employers", "description": "Employers the accountmanagers work with"},
        {"name": "vacancies", "description": "Vacancies, carved jobs and their closure"},
        {"name": "matches", "description": "Ranked, explained matches in both directions"},
        {"name": "proposals", "description": "Candidates proposed to employers"},
        {"name": "placements", "description": "Candidates at work, and how it ended"},
        {"name": "webhooks", "description": "Inbound WSP vacancies, outbound subscriptions"},
        {"name": "reference", "description": "The codes this API accepts, with Dutch labels"}]


def make_runtime(settings: MatchingSettings) -> Runtime[MatchingSettings, MatchingUnitOfWork]:
    """Matching publishes its stream and consumes diagnose's, intake's, finance's and its own."""
    return Runtime(settings, unit_of_work=MatchingUnitOfWork, publishes=True,
                   consumes=consumers(settings))


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    """The matching app; tests pass their own settings."""
    settings = settings or MatchingSettings()

    @asynccontextmanager
    async def delivery_worker(app: FastAPI) -> AsyncIterator[None]:
        app.state.match_index = MatchIndex()
        async with httpx.AsyncClient(follow_redirects=False) as client:
            worker = DeliveryWorker(app.state.runtime, settings, client)
            app.state.delivery_worker = worker
            task = asyncio.create_task(worker.run(), name="webhook-delivery")
            try:
                yield
            finally:
                worker.stop()
                _, running = await asyncio.wait([task], timeout=STOP_TIMEOUT_S)
                if running:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    app = create_service_app(
        settings, title="Participatiewet matching API", version=API_VERSION,
        description=DESCRIPTION,
        routers=[router, keeper_router, work_router, webhook_router, reference_router(LISTS)],
        make_runtime=make_runtime, resources=delivery_worker, tags=TAGS)
    _document_raw_bodies(app)
    return app


def _document_raw_bodies(app: FastAPI) -> None:
    """The WSP webhook reads its body raw (the signature covers the bytes): add its schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        schemas = document["components"]["schemas"]
        if "WspVacancyMessage" not in schemas:
            schema = WspVacancyMessage.model_json_schema(
                ref_template="#/components/schemas/{model}")
            for name, definition in schema.pop("$defs", {}).items():
                schemas.setdefault(name, definition)
            schemas["WspVacancyMessage"] = schema
        return document

    app.openapi = openapi  # type: ignore[method-assign]
