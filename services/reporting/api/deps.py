"""The dependencies reporting's routes share: the request's unit of work, and the context
its reports are computed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.reporting.reports import Context
from services.reporting.unit_of_work import ReportingUnitOfWork
from shared.dutch_time import dutch_today
from shared.http.deps import REQUEST_UNIT_OF_WORK, RuntimeDep

Uow = Annotated[ReportingUnitOfWork, REQUEST_UNIT_OF_WORK]


async def report_context(runtime: RuntimeDep) -> Context:
    """The settings that shape the figures, and today's Dutch calendar day."""
    return Context(runtime.settings.reporting_provider_kvks, today=dutch_today())


ReportContext = Annotated[Context, Depends(report_context)]
