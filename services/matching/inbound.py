"""The WSP's vacancy webhook: authenticate (Standard Webhooks), deduplicate, apply.

Order matters: the signature is checked over the raw body first (401 for anything not
authentic), then the `webhook-id` is looked up (a replay returns the first answer and changes
nothing), then the body is validated (400, nothing written), and the change, its event and the
stored answer commit in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.api.webhook_schemas import WspEmployer, WspResult, WspVacancyMessage
from services.matching.domain.signing import SignatureError, verify
from services.matching.handlers import (
    announce_vacancy,
    check_vacancy,
    close,
    new_vacancy,
    stored_tasks,
)
from services.matching.handlers.placements import close_when_filled
from services.matching.settings import MatchingSettings
from services.matching.store.models import Employer, Vacancy
from services.matching.store.repository import OPEN, EmployerRepository, VacancyRepository
from shared.http.errors import invalid_params_from
from shared.http.idempotency import StoredResponse, find_stored
from shared.logging import get_logger
from shared.problems import BadRequest, Conflict, NotFound, Unauthorized
from shared.runtime import Runtime
from shared.store import IdempotencyRecord

log = get_logger(__name__)
MAX_WEBHOOK_ID = 255


def _namespace(sender: str) -> str:
    return f"wsp-webhook:{sender}"[:64]


def authenticate(settings: MatchingSettings, headers: Mapping[str, str],
                 body: bytes) -> tuple[str, str]:
    """(sender, webhook-id), or 401."""
    try:
        sender, msg_id = verify(settings.matching_wsp_webhook_secrets, headers, body,
                                time.time(), settings.matching_webhook_tolerance_s)
    except SignatureError as exc:
        log.warning("wsp_webhook.rejected", reason=str(exc))
        raise Unauthorized(f"webhook not authentic: {exc}") from exc
    if len(msg_id) > MAX_WEBHOOK_ID:
        raise BadRequest("webhook-id is too long")
    return sender, msg_id


def parse(body: bytes) -> WspVacancyMessage:
    """The message, or 400 with invalidParams."""
    try:
        return WspVacancyMessage.model_validate_json(body)
    except ValidationError as exc:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            raise BadRequest("the request body is not valid JSON") from exc
        raise BadRequest("the request does not meet the schema; see invalidParams",
                         invalid_params=invalid_params_from(errors)) from exc


async def receive(runtime: Runtime, settings: MatchingSettings, headers: Mapping[str, str],
                  body: bytes) -> JSONResponse:
    """Handle one inbound webhook request."""
    sender, msg_id = authenticate(settings, headers, body)
    fingerprint = hashlib.sha256(body).hexdigest()
    async with runtime.sessions() as session:
        stored = await find_stored(session, organisation=_namespace(sender), key=msg_id,
                                   fingerprint=fingerprint)
    if stored is not None:
        return _replay(stored)
    message = parse(body)
    try:
        async with runtime.unit_of_work() as session:
            record = IdempotencyRecord(
                organisation=_namespace(sender), key=msg_id, request_hash=fingerprint,
                status_code=0, response_body="", location=None, created_at=datetime.now(UTC))
            session.add(record)
            await session.flush()  # a concurrent twin collides here
            status, result = await apply(session, sender, message, settings.oin)
            answer = result.model_dump(mode="json", by_alias=True)
            record.status_code, record.response_body = status, json.dumps(answer)
    except IntegrityError:
        async with runtime.sessions() as session:
            stored = await find_stored(session, organisation=_namespace(sender), key=msg_id,
                                       fingerprint=fingerprint)
        if stored is None:
            raise
        return _replay(stored)
    log.info("wsp_webhook.applied", sender=sender, action=message.action,
             vacancy_id=answer["vacancyId"])
    return JSONResponse(answer, status_code=status)


def _replay(stored: StoredResponse) -> JSONResponse:
    return JSONResponse(stored.body, status_code=stored.status_code,
                        headers={"Idempotent-Replayed": "true"})


async def _employer(session: AsyncSession, sender: str, given: WspEmployer) -> Employer:
    repo = EmployerRepository(session)
    employer = await repo.by_kvk(sender, given.kvk_number)
    if employer is None:
        employer = repo.add(Employer(
            id=uuid.uuid4(), owner_org=sender, kvk_number=given.kvk_number, name=given.name,
            sector=given.sector.value, gemeente=given.gemeente, contacts=[],
            created_at=datetime.now(UTC)))
        await session.flush()
    else:
        employer.name, employer.sector = given.name, given.sector.value
        employer.gemeente = given.gemeente
    return employer


async def apply(session: AsyncSession, sender: str, message: WspVacancyMessage,
                oin: str) -> tuple[int, WspResult]:
    """Create, update or withdraw the sender's vacancy known by `externalRef`."""
    repo = VacancyRepository(session)
    existing = await repo.by_external_ref(sender, message.external_ref)
    if message.action == "withdraw":
        if existing is None:
            raise NotFound(f"no vacancy {message.external_ref} from {sender}")
        if existing.status == OPEN:
            close(session, existing, "withdrawn", oin)
        return 200, _result(existing, message)
    assert message.vacancy is not None
    check_vacancy(message.vacancy)
    employer = await _employer(session, sender, message.vacancy.employer)
    if message.action == "create":
        if existing is not None:
            raise Conflict(f"vacancy {message.external_ref} exists; send an update")
        vacancy = repo.add(new_vacancy(message.vacancy, owner_org=sender,
                                       employer_id=employer.id,
                                       external_ref=message.external_ref))
        await session.flush()
        announce_vacancy(session, vacancy, oin)
        return 201, _result(vacancy, message)
    if existing is None:
        raise NotFound(f"no vacancy {message.external_ref} from {sender}")
    if existing.status != OPEN:
        raise Conflict("the vacancy is closed")
    _update(existing, message, employer.id)
    announce_vacancy(session, existing, oin)
    await session.flush()
    # Fewer positions than people already placed from it: the update fills the vacancy.
    await close_when_filled(session, existing, oin)
    return 200, _result(existing, message)


def _update(vacancy: Vacancy, message: WspVacancyMessage, employer_id: uuid.UUID) -> None:
    fields = message.vacancy
    assert fields is not None
    vacancy.employer_id, vacancy.title = employer_id, fields.title
    vacancy.werksoort, vacancy.gemeente = fields.werksoort.value, fields.gemeente
    vacancy.hours_per_week = fields.hours_per_week.quantize(Decimal("0.1"))
    vacancy.hourly_wage = None if fields.hourly_wage is None else Decimal(fields.hourly_wage)
    vacancy.contract_forms = [f.value for f in fields.contract_forms]
    vacancy.tasks = stored_tasks(fields.tasks)
    vacancy.positions = fields.positions
    vacancy.updated_at = datetime.now(UTC)


def _result(vacancy: Vacancy, message: WspVacancyMessage) -> WspResult:
    return WspResult(vacancy_id=vacancy.id, external_ref=message.external_ref,
                     action=message.action, status=vacancy.status)
