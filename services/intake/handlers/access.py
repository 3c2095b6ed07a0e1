"""Who may write a candidate's record, and the access log every read of personal data leaves."""

from __future__ import annotations

from datetime import UTC, datetime

from services.intake.domain.candidate import AccessGround
from services.intake.store.models import AccessLogEntry, Candidate
from services.intake.store.repository import GEMEENTE_READERS, PROVIDER_READERS
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.auth import Role
from shared.tracing import current_traceparent, trace_id_of

# The gemeente's own klantmanager (or admin): the only writer of a candidate's record.
GEMEENTE_WRITERS = (Role.CASEWORKER, Role.ADMIN)
__all__ = ["GEMEENTE_READERS", "GEMEENTE_WRITERS", "PROVIDER_READERS", "log_access"]


def log_access(uow: IntakeUnitOfWork, candidate: Candidate, ground: AccessGround, *,
               action: str) -> None:
    """Write the read of `candidate` by the caller to the gemeente's processing log."""
    principal = uow.principal
    traceparent = current_traceparent()
    uow.access_log.add(AccessLogEntry(
        gemeente=candidate.gemeente, candidate_id=candidate.id, actor_org=principal.org,
        actor_kind=principal.kind.value, actor_subject=principal.subject, action=action,
        ground=ground.value, trace_id=trace_id_of(traceparent) if traceparent else None,
        at=datetime.now(UTC),
    ))
