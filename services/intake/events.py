"""Intake publishes the intake.* events of the shared catalogue (see handlers/) and consumes
diagnose's advice, so the klantmanager decides the programme with the advice at hand."""

from __future__ import annotations

from services.intake.handlers.advice import keep_latest_advice
from services.intake.unit_of_work import IntakeUnitOfWork
from shared.bus.inbox import EventHandler
from shared.events.diagnose import AdviceIssued
from shared.events.envelope import Envelope
from shared.runtime import ConsumerSpec


async def on_advice_issued(uow: IntakeUnitOfWork, envelope: Envelope) -> None:
    """diagnose.advice-issued → the candidate's latest advice (the inbox commits)."""
    await keep_latest_advice(uow, AdviceIssued.model_validate(envelope.data))


def consumers() -> tuple[ConsumerSpec, ...]:
    """Intake's durable consumers."""
    diagnose: dict[str, EventHandler[IntakeUnitOfWork]] = {
        AdviceIssued.ce_type(): on_advice_issued}
    return (ConsumerSpec(producer="diagnose", handlers=diagnose),)
