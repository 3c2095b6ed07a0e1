"""The request's unit of work and the writer's role check, as route dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.intake.handlers.access import GEMEENTE_WRITERS
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import OrgKind, Principal, requires
from shared.http.deps import REQUEST_UNIT_OF_WORK

Uow = Annotated[IntakeUnitOfWork, REQUEST_UNIT_OF_WORK]
# The gemeente's own klantmanager (or admin), checked before FastAPI reads the body.
GemeenteWriter = Annotated[Principal, Depends(requires(*GEMEENTE_WRITERS,
                                                       kinds=(OrgKind.GEMEENTE,)))]
