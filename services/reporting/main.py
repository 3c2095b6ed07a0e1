"""Composition root of reporting: settings → runtime (its consumers) → app (API + dashboard)."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.api.plan_actions import router as plan_router
from services.reporting.api.regional import router as regional_router
from services.reporting.api.routes import router
from services.reporting.dashboard.routes import router as dashboard_router
from services.reporting.events import consumers
from services.reporting.reference import REFERENCE_LISTS
from services.reporting.settings import API_VERSION, ReportingSettings
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.http.app import create_service_app
from shared.http.reference import reference_router
from shared.runtime import Runtime

DESCRIPTION = """The figures councils ask for, folded from every service's events: in-, door-
and uit-stroom, decisions, placements by form, places against the council's target, placements
at the uitvoerder against the guidance budget, LKS spend, young people by age and subgroup, MWD
and OAD outcomes, and lead times — per gemeente and per month, half-year or year, as JSON or CSV.
Holds no names and no burgerservicenummer: candidate ids and birth years only. Beyond one
gemeente, counts of 1–4 people are shown as "<5". Money is a decimal string with two decimals
("735467.40"), percentages and hours JSON numbers, counts integers. A gemeente keeps its
lokaal-plan actions here (/reports/lokaal-plan); the codes are at /reference."""


def make_runtime(settings: ReportingSettings) -> Runtime[ReportingSettings, ReportingUnitOfWork]:
    """Reporting publishes nothing; it consumes the four producing streams."""
    return Runtime(settings, unit_of_work=ReportingUnitOfWork, publishes=False,
                   consumes=consumers())


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    """The reporting app; tests pass their own settings."""
    settings = settings or ReportingSettings()
    app = create_service_app(
        settings, title="Participatiewet reporting API", version=API_VERSION,
        description=DESCRIPTION,
        routers=[router, plan_router, regional_router, reference_router(REFERENCE_LISTS)],
        make_runtime=make_runtime,
        tags=[{"name": "reports", "description": "Figures per gemeente and period"},
              {"name": "reference", "description": "Codes and their Dutch labels"}])
    app.include_router(dashboard_router)
    return app
