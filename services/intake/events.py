"""Intake publishes the intake.* events of the shared catalogue (see handlers.py) and consumes
diagnose's advice, so the klantmanager decides the programme with the advice at hand."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.store.models import AdviceReceived, Candidate
from shared.bus.inbox import EventHandler
from shared.events.diagnose import AdviceIssued
from shared.events.envelope import Envelope
from shared.runtime import ConsumerSpec


async def on_advice_issued(session: AsyncSession, envelope: Envelope) -> None:
    """Keep the newest advice per candidate; an unknown candidate is acknowledged and ignored."""
    event = AdviceIssued.model_validate(envelope.data)
    candidate = await session.get(Candidate, event.candidate_id)
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
    await session.flush()


def consumers() -> tuple[ConsumerSpec, ...]:
    """Intake's durable consumers."""
    diagnose: dict[str, EventHandler] = {AdviceIssued.ce_type(): on_advice_issued}
    return (ConsumerSpec(producer="diagnose", handlers=diagnose),)
