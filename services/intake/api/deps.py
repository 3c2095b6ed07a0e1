"""The request's unit of work and the writer's role check, as route dependencies."""

from __future__ import annotations

from typing import Annotated

from services.intake.handlers.access import GEMEENTE_WRITERS
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import OrgKind
from shared.http.deps import REQUEST_UNIT_OF_WORK, unit_of_work_for

Uow = Annotated[IntakeUnitOfWork, REQUEST_UNIT_OF_WORK]
# The unit of work of the gemeente's own klantmanager (or admin): the role is checked before
# the transaction opens and before FastAPI reads the body.
WriterUow = Annotated[IntakeUnitOfWork, unit_of_work_for(*GEMEENTE_WRITERS,
                                                         kinds=(OrgKind.GEMEENTE,))]
