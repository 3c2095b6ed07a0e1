"""The dependencies diagnose's routes share: the request's unit of work (plain, and the
consultant's, with its role check), settings, and the caller's view of intake."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import Depends, Request

from services.diagnose.handlers.case_access import AT_PROVIDER, CONSULTANTS
from services.diagnose.people import IntakePeople
from services.diagnose.settings import DiagnoseSettings
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.http.deps import REQUEST_UNIT_OF_WORK, unit_of_work_for

Uow = Annotated[DiagnoseUnitOfWork, REQUEST_UNIT_OF_WORK]
# The unit of work of the uitvoerder's consultant (or admin): the role is checked before the
# transaction opens and before FastAPI reads the body, so a caller without it gets 403 whatever
# it sends. The handlers check again (defence in depth).
ConsultantUow = Annotated[DiagnoseUnitOfWork, unit_of_work_for(*CONSULTANTS, kinds=AT_PROVIDER)]


async def _settings(request: Request) -> DiagnoseSettings:
    settings: DiagnoseSettings = request.app.state.settings
    return settings


async def _people(request: Request) -> IntakePeople:
    client: httpx.AsyncClient = request.app.state.intake_client
    return IntakePeople(client, request.headers["authorization"])


SettingsDep = Annotated[DiagnoseSettings, Depends(_settings)]
# Intake, asked with the caller's own token (intake decides what this caller may see).
PeopleDep = Annotated[IntakePeople, Depends(_people)]
