"""The WSP's vacancy webhook: authenticate (Standard Webhooks), deduplicate, apply.

Order matters: the signature is checked over the raw body first (401 for anything not
authentic), then the `webhook-id` is looked up (a replay returns the first answer and changes
nothing), then the body is read into a command (400, nothing written), and the change, its
event and the stored answer commit in one transaction.

The request carries no token, so no request unit of work: `receive` opens the unit of work
itself (as the delivery worker does), with no caller; the sender's signature says whose
vacancies these are, and `apply` reads them unscoped by that sender. A create, the webhook's
high-volume path, writes its rows and its event with Core inserts, not the ORM's tracking.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.matching.commands import VacancySpec, WspEmployerSpec, WspVacancyChange
from services.matching.domain.signing import SignatureError, verify
from services.matching.handlers.vacancies import (
    TENTH,
    check_vacancy,
    close,
    close_when_filled,
    published,
    stored_task,
    vacancy_columns,
)
from services.matching.settings import MatchingSettings
from services.matching.store.models import Vacancy
from services.matching.store.repository import OPEN
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.logging import get_logger
from shared.problems import BadRequest, Conflict, NotFound, Unauthorized
from shared.runtime import Runtime

log = get_logger(__name__)
MAX_WEBHOOK_ID = 255


@dataclass(frozen=True)
class WebhookAnswer:
    """What to answer the WSP: the status and body, and whether it is a replay."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True)
class WspApplied:
    """What the webhook did to the vacancy."""

    status: int
    vacancy_id: uuid.UUID
    vacancy_status: str


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


async def receive(runtime: Runtime[MatchingSettings, MatchingUnitOfWork],
                  headers: Mapping[str, str], body: bytes,
                  read: Callable[[bytes], WspVacancyChange]) -> WebhookAnswer:
    """Handle one inbound webhook request; `read` turns the body into the command (or 400)."""
    sender, msg_id = authenticate(runtime.settings, headers, body)
    namespace, fingerprint = _namespace(sender), hashlib.sha256(body).hexdigest()
    async with runtime.begin() as uow:
        receipts = uow.webhook_receipts
        stored = await receipts.stored_unscoped(namespace, msg_id, fingerprint)
        if stored is None:
            change = read(body)
            if await receipts.bind_unscoped(namespace, msg_id, fingerprint, datetime.now(UTC)):
                applied = await apply(uow, sender, change)
                answer = {"vacancyId": str(applied.vacancy_id),
                          "externalRef": change.external_ref, "action": change.action,
                          "status": applied.vacancy_status}
                await receipts.answer_unscoped(namespace, msg_id, applied.status,
                                               json.dumps(answer))
                log.info("wsp_webhook.applied", sender=sender, action=change.action,
                         vacancy_id=answer["vacancyId"])
                return WebhookAnswer(applied.status, answer)
            # A concurrent twin with the same webhook-id won: answer as it did.
            stored = await receipts.stored_unscoped(namespace, msg_id, fingerprint)
            if stored is None:
                raise Conflict("this webhook-id is being applied; send it again")
    return WebhookAnswer(stored.status_code, stored.body, replayed=True)


async def _employer_id(uow: MatchingUnitOfWork, sender: str, given: WspEmployerSpec,
                       ) -> uuid.UUID:
    """The sender's employer by KvK number: updated as the WSP knows it, or registered."""
    employer = await uow.employers.by_kvk_unscoped(sender, given.kvk_number)
    if employer is None:
        employer_id = uuid.uuid4()
        await uow.employers.insert({
            "id": employer_id, "owner_org": sender, "kvk_number": given.kvk_number,
            "name": given.name, "sector": given.sector.value, "gemeente": given.gemeente,
            "contacts": [], "created_at": datetime.now(UTC)})
        return employer_id
    employer.name, employer.sector = given.name, given.sector.value
    employer.gemeente = given.gemeente
    return employer.id


async def apply(uow: MatchingUnitOfWork, sender: str, change: WspVacancyChange) -> WspApplied:
    """Create, update or withdraw the sender's vacancy known by `external_ref`."""
    existing = await uow.vacancies.by_external_ref_unscoped(sender, change.external_ref)
    if change.action == "withdraw":
        if existing is None:
            raise NotFound(f"no vacancy {change.external_ref} from {sender}")
        if existing.status == OPEN:
            close(uow, existing, "withdrawn")
        return WspApplied(200, existing.id, existing.status)
    assert change.vacancy is not None and change.employer is not None  # create and update
    check_vacancy(change.vacancy)
    employer_id = await _employer_id(uow, sender, change.employer)
    if change.action == "create":
        if existing is not None:
            raise Conflict(f"vacancy {change.external_ref} exists; send an update")
        columns = vacancy_columns(change.vacancy, owner_org=sender, employer_id=employer_id,
                                  external_ref=change.external_ref)
        await uow.vacancies.insert(columns)
        await uow.outbox.insert(published(Vacancy(**columns)))
        return WspApplied(201, columns["id"], columns["status"])
    if existing is None:
        raise NotFound(f"no vacancy {change.external_ref} from {sender}")
    if existing.status != OPEN:
        raise Conflict("the vacancy is closed")
    _update(existing, change.vacancy, employer_id)
    uow.outbox.add(published(existing))
    await uow.flush()
    # Fewer positions than people already placed from it: the update fills the vacancy.
    await close_when_filled(uow, existing)
    return WspApplied(200, existing.id, existing.status)


def _update(vacancy: Vacancy, spec: VacancySpec, employer_id: uuid.UUID) -> None:
    vacancy.employer_id, vacancy.title = employer_id, spec.title
    vacancy.werksoort, vacancy.gemeente = spec.werksoort.value, spec.gemeente
    vacancy.hours_per_week = spec.hours_per_week.quantize(TENTH)
    vacancy.hourly_wage = spec.hourly_wage
    vacancy.contract_forms = [f.value for f in spec.contract_forms]
    vacancy.tasks = [stored_task(t) for t in spec.tasks]
    vacancy.positions = spec.positions
    vacancy.updated_at = datetime.now(UTC)

