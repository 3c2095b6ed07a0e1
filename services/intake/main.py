"""Composition root of intake: settings → runtime → app."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.api.reference_lists import LISTS
from services.intake.api.routes import router
from services.intake.api.sheltered_work import router as sheltered_work_router
from services.intake.events import consumers
from services.intake.settings import API_VERSION, IntakeSettings
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.http.app import create_service_app
from shared.http.reference import reference_router
from shared.runtime import Runtime

DESCRIPTION = """Registration of candidates for the werkdeel of the Participatiewet, the route
decision (exempt, care, regular work, referral to an uitvoerder), the programme decision and
closure, and the beschut-werk indication (UWV's advice and the college's decision). The only
service holding personal data: an uitvoerder reads a candidate only while
the candidate is referred to it, and every such read is logged for the gemeente.

Codes (routes, programmes, target groups, referral questions, closure reasons, UWV outcomes,
indication decisions, gemeenten, uitvoerders) are listed with Dutch labels at /v1/reference,
without a token; an unknown code is a 400 naming its list. A programme starting before the
registration is refused unless the request says `migrated: true` (history recorded afterwards),
which is kept and shown. Every creating POST takes an `Idempotency-Key`."""


def make_runtime(settings: IntakeSettings) -> Runtime[IntakeSettings, IntakeUnitOfWork]:
    """Intake publishes its own stream and consumes diagnose's advice."""
    return Runtime(settings, unit_of_work=IntakeUnitOfWork, publishes=True,
                   consumes=consumers())


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    """The intake app; tests pass their own settings."""
    return create_service_app(
        settings or IntakeSettings(), title="Participatiewet intake API", version=API_VERSION,
        description=DESCRIPTION, routers=[router, sheltered_work_router, reference_router(LISTS)],
        make_runtime=make_runtime,
        tags=[{"name": "candidates", "description": "Registration and decisions"},
              {"name": "sheltered-work-indications",
               "description": "Beschut werk: UWV's advice and the college's decision"},
              {"name": "access-logs", "description": "Who read personal data"},
              {"name": "reference", "description": "The codes this API accepts, with Dutch "
                                                   "labels (no token needed)"}],
    )
