"""Who may read or work a case, and the case as its events name it."""

from __future__ import annotations

import uuid

from services.diagnose.domain.rules import OPEN
from services.diagnose.store.models import DiagnosisCase
from services.diagnose.unit_of_work import DiagnoseUnitOfWork
from shared.auth import OrgKind, Role
from shared.events.vocabulary import DiagnosisOutcome
from shared.problems import NotFound, UnprocessableState

# The uitvoerder's trajectconsulent (or admin): the only one who works a case.
CONSULTANTS = (Role.CONSULTANT, Role.ADMIN)
AT_PROVIDER = (OrgKind.PROVIDER,)  # the organisation kind that works cases
READERS_AT_PROVIDER = (Role.CONSULTANT, Role.ACCOUNT_MANAGER, Role.ADMIN)
READERS_AT_GEMEENTE = (Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN)


def require_reader(uow: DiagnoseUnitOfWork) -> None:
    """Consultants of the uitvoerder, and the gemeente's own staff (read only)."""
    if uow.principal.kind is OrgKind.GEMEENTE:
        uow.require(*READERS_AT_GEMEENTE)
    else:
        uow.require(*READERS_AT_PROVIDER, kinds=AT_PROVIDER)


async def visible_case(uow: DiagnoseUnitOfWork, case_id: uuid.UUID) -> DiagnosisCase:
    """A case the caller may read, or 404 (another tenant's case is not said to exist)."""
    require_reader(uow)
    case = await uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"no diagnosis {case_id} for this organisation")
    return case


async def case_to_work(uow: DiagnoseUnitOfWork, case_id: uuid.UUID, *,
                       closed_ok: bool = False) -> DiagnosisCase:
    """A case the caller may work, locked; 409 when closed (unless `closed_ok` and the case
    ended otherwise than withdrawn by the gemeente)."""
    uow.require(*CONSULTANTS, kinds=AT_PROVIDER)
    case = await uow.cases.get_for_update(case_id)
    if case is None:
        raise NotFound(f"no diagnosis {case_id} for this organisation")
    if case.status != OPEN and not (closed_ok and case.outcome != DiagnosisOutcome.WITHDRAWN):
        raise UnprocessableState("the diagnosis is closed")
    return case


def case_ref(case: DiagnosisCase) -> dict[str, object]:
    """The fields every diagnose event carries; its tenant and subject come from them."""
    return {"diagnosis_id": case.id, "candidate_id": case.candidate_id,
            "gemeente": case.gemeente, "provider": case.provider}
