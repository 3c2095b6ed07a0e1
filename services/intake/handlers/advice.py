"""Diagnose's advice on a candidate, kept so the klantmanager decides the programme with it."""

from __future__ import annotations

from services.intake.store.models import AdviceReceived
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.events.diagnose import AdviceIssued


async def keep_latest_advice(uow: IntakeUnitOfWork, event: AdviceIssued) -> None:
    """Keep the newest advice per candidate; an unknown candidate is ignored.

    Runs for an event: no caller, so the candidate is read by the event's own ids, and the
    event's gemeente must be the candidate's.
    """
    candidate = await uow.candidates.get_unscoped(event.candidate_id)
    if candidate is None or candidate.gemeente != event.gemeente:
        return
    current = candidate.latest_advice
    if current is not None and current.issued_at >= event.issued_at:
        return  # an older advice arriving late does not replace a newer one
    values = {
        "advice_id": event.advice_id, "diagnosis_id": event.diagnosis_id,
        "provider": event.provider, "programme": event.programme.value,
        "lks_indicated": event.lks_indicated,
        "sheltered_work_indicated": event.sheltered_work_indicated,
        "uwv_advice_requested_on": event.uwv_advice_requested_on,
        "development_potential": event.development_potential.value,
        "issued_at": event.issued_at,
    }
    if current is None:
        candidate.latest_advice = AdviceReceived(candidate_id=candidate.id, **values)
    else:
        for name, value in values.items():
            setattr(current, name, value)
    await uow.flush()
