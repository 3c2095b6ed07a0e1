"""Composition root of finance: settings → runtime (with its consumers) → app → background."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.finance.api.reference_lists import LISTS
from services.finance.api.routes import ROUTERS
from services.finance.background import Background
from services.finance.events import consumers
from services.finance.settings import API_VERSION, FinanceSettings
from services.finance.unit_of_work import FinanceRuntime, FinanceUnitOfWork
from shared.http.app import create_service_app
from shared.http.reference import reference_router
from shared.runtime import Runtime

DESCRIPTION = """Finance of the klantreis for the gemeente (often run by the uitvoerder or the
entity on its behalf): legal parameters with their dates and sources, the loonkostensubsidie
calculator, LKS grants to employers from matching's placements and diagnose's loonwaarden,
monthly payment runs, budgets with the uitvoerder's stimulus reserve, the entity's tariffs and
invoices, and the business case of LKS work. Holds no name or burgerservicenummer.

Numbers: money is a decimal string with exactly two decimals ("1530.38"); hours and percentages
are JSON numbers, echoed as sent (10 stays 10, 10.5 stays 10.5); counts are integers. Codes
(parameter codes and units, refusal reasons, budget lines, statuses) are listed with Dutch
labels at /v1/reference, without a token. Creating POSTs (parameters, payment runs, grant
decisions and refusals) honour an Idempotency-Key; the calculator and the business cases store
nothing and need none."""

TAGS = [
    {"name": "parameters", "description": "Legal parameters with the date they take effect"},
    {"name": "lks", "description": "Loonkostensubsidie: calculator and grants"},
    {"name": "payments", "description": "Monthly payment runs per gemeente"},
    {"name": "budgets", "description": "Budgets, realisation and the stimulus reserve"},
    {"name": "tariffs", "description": "The entity's tariffs and monthly invoices"},
    {"name": "business-cases", "description": "LKS work against bijstand; places over years"},
    {"name": "reference", "description": "The codes finance accepts, with Dutch labels"},
]


def make_runtime(settings: FinanceSettings) -> FinanceRuntime:
    """Finance publishes its stream and consumes matching's, diagnose's and intake's."""
    return Runtime(settings, unit_of_work=FinanceUnitOfWork, publishes=True,
                   consumes=consumers())


def create_app(settings: FinanceSettings | None = None) -> FastAPI:
    """The finance app; tests pass their own settings."""
    settings = settings or FinanceSettings()

    @asynccontextmanager
    async def background(app: FastAPI) -> AsyncIterator[None]:
        work = Background(app.state.runtime)
        app.state.background = work
        await work.start()
        try:
            yield
        finally:
            await work.stop()

    return create_service_app(
        settings, title="Participatiewet finance API", version=API_VERSION,
        description=DESCRIPTION, routers=[*ROUTERS, reference_router(LISTS)],
        make_runtime=make_runtime, resources=background, tags=TAGS)
