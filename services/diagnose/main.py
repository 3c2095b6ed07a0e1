"""Composition root of diagnose: settings → runtime (with its consumers) → app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from services.diagnose.api.routes import router
from services.diagnose.events import consumers
from services.diagnose.reference_lists import lists_for
from services.diagnose.settings import API_VERSION, DiagnoseSettings
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.http.app import create_service_app
from shared.http.reference import reference_router
from shared.runtime import Runtime

DESCRIPTION = """The uitvoerder's werkdiagnose: a case per referral, the instrument and its
planned end, ZRM assessments and their development, coded functional constraints, interests and
work area, loonwaardemetingen, the werk-ontwikkel-plan and the advice to the gemeente. Holds no
name or burgerservicenummer: the person is shown by asking intake with the caller's own token.

Codes (constraint codes, ZRM domains, loonwaarde methods, instruments, development potentials,
outcomes, werksoorten, programmes, gemeenten) are listed with Dutch labels at /v1/reference,
without a token; an unknown code is a 400 naming its list. A ZRM scores all 13 domains or says
`partial: true` with a `partialReason`; an instrument, ZRM or loonwaarde dated before the
referral is refused unless it says `migrated: true` (kept and shown). Hours, kilograms and
percentages are JSON numbers, echoed as sent. Every creating POST takes an `Idempotency-Key`."""


def make_runtime(settings: DiagnoseSettings) -> Runtime[DiagnoseSettings, DiagnoseUnitOfWork]:
    """Diagnose publishes its stream and consumes intake's and finance's."""
    return Runtime(settings, unit_of_work=DiagnoseUnitOfWork, publishes=True,
                   consumes=consumers(settings))


def create_app(settings: DiagnoseSettings | None = None) -> FastAPI:
    """The diagnose app; tests pass their own settings."""
    settings = settings or DiagnoseSettings()

    @asynccontextmanager
    async def intake_client(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(base_url=settings.diagnose_intake_url,
                                     timeout=5.0) as client:
            app.state.intake_client = client
            yield

    return create_service_app(
        settings, title="Participatiewet diagnose API", version=API_VERSION,
        description=DESCRIPTION, make_runtime=make_runtime,
        routers=[router, reference_router(lists_for(settings.wage_value_methods))],
        resources=intake_client,
        tags=[{"name": "diagnoses", "description": "The werkdiagnose of a referred candidate"},
              {"name": "reference", "description": "The codes this API accepts, with Dutch "
                                                   "labels (no token needed)"}],
    )
