"""Beschut-werk indications of a candidate: HTTP → command → handler → response, nothing more."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from services.intake import commands
from services.intake.api.deps import Uow, WriterUow
from services.intake.api.schemas import (
    RecordShelteredWorkIndication,
    ShelteredWorkIndicationList,
    ShelteredWorkIndicationOut,
)
from services.intake.domain.sheltered_work import warnings_for
from services.intake.handlers.sheltered_work import (
    list_sheltered_work_indications,
    record_sheltered_work_indication,
)
from services.intake.store.models import ShelteredWorkIndication
from shared.dutch_time import dutch_today
from shared.events.intake import IndicationDecision, UwvAdviceOutcome
from shared.http.deps import IdempotencyKey
from shared.http.idempotency import create_once
from shared.http.openapi import problem_response
from shared.http.routes import UnitOfWorkRoute

router = APIRouter(tags=["sheltered-work-indications"], route_class=UnitOfWorkRoute)
CandidateId = Annotated[UUID, Path(alias="candidateId", description="the candidate's id")]
PATH = "/candidates/{candidateId}/sheltered-work-indications"
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"headers": {"Location": {"description": "URI of the created resource",
                                   "schema": {"type": "string"}}}},
    409: problem_response("The candidate is closed")}


@router.post(PATH, status_code=201, response_model=ShelteredWorkIndicationOut,
             responses=CREATED)
async def record_indication(
    candidate_id: CandidateId, body: RecordShelteredWorkIndication, uow: WriterUow,
    request: Request, idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record the college's beschut-werk decision on UWV's advice (the gemeente's klantmanager)."""
    command = commands.RecordShelteredWorkIndication(
        candidate_id=candidate_id, uwv_advice_date=body.uwv_advice_date,
        uwv_outcome=body.uwv_outcome, decision=body.decision, decided_on=body.decided_on,
        valid_until=body.valid_until, deviates_from_uwv_advice=body.deviates_from_uwv_advice)
    # The Netherlands' today: a decision taken this morning is never "in the future".
    today = dutch_today()

    async def create() -> tuple[ShelteredWorkIndicationOut, str]:
        indication = await record_sheltered_work_indication(uow, command, today=today)
        return (indication_out(indication),
                f"/v1/candidates/{candidate_id}/sheltered-work-indications/{indication.id}")

    return await create_once(uow, key=idempotency_key, request=request,
                             payload=body.model_dump(mode="json"), create=create)


@router.get(PATH, response_model=ShelteredWorkIndicationList)
async def list_indications(candidate_id: CandidateId, uow: Uow) -> ShelteredWorkIndicationList:
    """The candidate's indications: its gemeente, or the uitvoerder it is referred to (logged)."""
    items = await list_sheltered_work_indications(uow, candidate_id)
    return ShelteredWorkIndicationList(items=[indication_out(i) for i in items])


def indication_out(indication: ShelteredWorkIndication) -> ShelteredWorkIndicationOut:
    """The API view, with a warning when the college went against UWV's advice."""
    outcome, decision = UwvAdviceOutcome(indication.uwv_outcome), IndicationDecision(
        indication.decision)
    return ShelteredWorkIndicationOut(
        id=indication.id, candidate_id=indication.candidate_id,
        uwv_advice_date=indication.uwv_advice_date, uwv_outcome=outcome, decision=decision,
        decided_on=indication.decided_on, valid_until=indication.valid_until,
        deviates_from_uwv_advice=indication.deviates_from_uwv_advice,
        decided_at=indication.decided_at, warnings=warnings_for(outcome, decision))
