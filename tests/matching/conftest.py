"""Matching under test: the real app (relay, consumers, delivery worker) on a fresh database
and a real nats-server, in a bus namespace of its own per test (matching consumes its own
stream, so one test's late events must never reach the next test's subscriptions).

Other services' events are put straight onto the bus, as their producers would.
"""

from __future__ import annotations

import base64
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import nats
import pytest
from sqlalchemy import select

from services.matching.main import create_app
from services.matching.settings import MatchingSettings
from services.matching.store import MIGRATIONS
from services.matching.store.models import LegalParameter
from shared.auth import OrgKind, Role
from shared.bus.streams import ensure_stream
from shared.dutch_time import dutch_today
from shared.events.catalogue import EventData
from shared.events.diagnose import Constraint, DiagnosisClosed, ProfileUpdated
from shared.events.envelope import Envelope, source_urn
from shared.events.finance import LegalParameterSet
from shared.events.intake import CandidateClosed, ClosureReason, Programme, ProgrammeDecided
from shared.events.subjects import NATIONAL, subject_for
from shared.events.vocabulary import DiagnosisOutcome, Werksoort
from shared.settings import DEV_OIN
from shared.store import OutboxMessage
from tests.conftest import delete_streams, eventually
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of
from tests.support.services import ServiceUnderTest, bearer, running_service

BOXTEL, VUGHT, MEIERIJSTAD, ROERMOND = "GM0757", "GM0865", "GM1948", "GM0957"
WSD, IBN, WSP = "WSD", "IBN", "WSP-NOORDOOST-BRABANT"
WSP_SECRET = "whsec_" + base64.b64encode(b"wsp-test-secret-of-32-bytes-long").decode()
_namespaces = itertools.count()


@pytest.fixture(scope="session", params=BACKENDS)
async def matching_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated matching databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    async with databases_of(request.param, MIGRATIONS,
                            tmp_path_factory.mktemp("matching-db")) as factory:
        yield factory


Starter = Callable[..., Awaitable[ServiceUnderTest]]


@pytest.fixture
async def start_matching(matching_databases: DatabaseFactory, nats_url: str,
                         bus_namespace: str) -> AsyncIterator[Starter]:
    """Start matching with test settings (overridable); stopped and cleaned up afterwards."""
    namespace = f"{bus_namespace}m{next(_namespaces)}"
    stack: list[Any] = []

    async def start(**overrides: Any) -> ServiceUnderTest:
        values: dict[str, Any] = {
            "database_url": await matching_databases.fresh(), "nats_url": nats_url,
            "bus_namespace": namespace, "environment": "test",
            "matching_wsp_webhook_secrets": {WSP: WSP_SECRET},
            "matching_retry_schedule_s": [0.2, 0.2, 0.2], "matching_delivery_poll_s": 0.05,
            "matching_delivery_timeout_s": 2.0}
        values.update(overrides)
        context = running_service(create_app, MatchingSettings(**values), "http://matching")
        service = await context.__aenter__()
        stack.append(context)
        return service

    yield start
    for context in reversed(stack):
        await context.__aexit__(None, None, None)
    await delete_streams(nats_url, namespace)


@pytest.fixture
async def matching(start_matching: Starter) -> ServiceUnderTest:
    """Matching with the default test settings."""
    return await start_matching()


def staff(org: str = WSD, kind: OrgKind = OrgKind.PROVIDER,
          gemeenten: tuple[str, ...] = (BOXTEL, VUGHT),
          role: Role = Role.ACCOUNT_MANAGER) -> dict[str, str]:
    """An uitvoerder's accountmanager (by default WSD, for Boxtel and Vught)."""
    return bearer(org, kind, role, gemeenten=gemeenten if kind is OrgKind.PROVIDER else ())


def gemeente_staff(gemeente: str = BOXTEL, role: Role = Role.ACCOUNT_MANAGER) -> dict[str, str]:
    """A gemeente's accounthouder werk."""
    return bearer(gemeente, OrgKind.GEMEENTE, role)


async def publish(service: ServiceUnderTest, data: EventData, gemeente: str,
                  subject: uuid.UUID) -> Envelope:
    """Put another service's (or our own) event on the bus as its producer would."""
    envelope = Envelope(type=data.ce_type(), source=source_urn(DEV_OIN, data.producer()),
                        subject=str(subject), gemeente=gemeente, data=data.to_data())
    nc = await nats.connect(service.settings.nats_url)
    try:
        js = nc.jetstream()
        namespace = service.settings.bus_namespace
        await ensure_stream(js, data.producer(), namespace=namespace)
        await js.publish(subject_for(envelope.event_name, gemeente, namespace),
                         envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await nc.close()
    return envelope


def profile_event(candidate_id: uuid.UUID, *, gemeente: str = BOXTEL, provider: str = WSD,
                  constraints: tuple[Constraint, ...] = (),
                  interests: tuple[Werksoort, ...] = (Werksoort.LOGISTIEK,),
                  skills: tuple[str, ...] = ("heftruck rijden",), hours: str = "24",
                  home: str = BOXTEL, radius: int = 15,
                  updated_at: datetime | None = None) -> ProfileUpdated:
    """diagnose.profile-updated as diagnose publishes it."""
    return ProfileUpdated(
        diagnosis_id=uuid.uuid4(), candidate_id=candidate_id, gemeente=gemeente,
        provider=provider, constraints=constraints, interests=interests, skills=skills,
        certificates=(), hours_per_week=Decimal(hours), home_gemeente=home,
        travel_radius_km=radius, updated_at=updated_at or datetime.now(UTC))


def programme_event(candidate_id: uuid.UUID, *, gemeente: str = BOXTEL, provider: str = WSD,
                    programme: Programme = Programme.WERK) -> ProgrammeDecided:
    """intake.programme-decided."""
    return ProgrammeDecided(candidate_id=candidate_id, gemeente=gemeente, programme=programme,
                            provider=provider, start_date=dutch_today(),
                            decided_at=datetime.now(UTC))


def closed_event(candidate_id: uuid.UUID, gemeente: str = BOXTEL) -> CandidateClosed:
    """intake.candidate-closed."""
    return CandidateClosed(candidate_id=candidate_id, gemeente=gemeente,
                           reason=ClosureReason.MOVED, closed_at=datetime.now(UTC))


def diagnosis_closed_event(candidate_id: uuid.UUID, outcome: DiagnosisOutcome,
                           gemeente: str = BOXTEL) -> DiagnosisClosed:
    """diagnose.diagnosis-closed."""
    return DiagnosisClosed(diagnosis_id=uuid.uuid4(), candidate_id=candidate_id,
                           gemeente=gemeente, provider=WSD, outcome=outcome,
                           closed_at=datetime.now(UTC))


async def candidate_matches(service: ServiceUnderTest, candidate_id: uuid.UUID,
                            headers: dict[str, str] | None = None) -> httpx.Response:
    """GET /v1/candidates/{id}/matches."""
    return await service.client.get(f"/v1/candidates/{candidate_id}/matches",
                                    headers=headers or staff())


async def matchable_candidate(service: ServiceUnderTest, *, gemeente: str = BOXTEL,
                              provider: str = WSD, programme: Programme = Programme.WERK,
                              **profile: Any) -> uuid.UUID:
    """A candidate whose profile came first and programme second, once matching has both."""
    candidate_id = uuid.uuid4()
    await publish(service, profile_event(candidate_id, gemeente=gemeente, provider=provider,
                                         **profile), gemeente, candidate_id)
    await publish(service, programme_event(candidate_id, gemeente=gemeente, provider=provider,
                                           programme=programme), gemeente, candidate_id)
    viewer = staff(provider, gemeenten=(gemeente,))

    async def ready() -> bool:
        return (await candidate_matches(service, candidate_id, viewer)).status_code == 200

    await eventually(ready)
    return candidate_id


EMPLOYER = {"kvkNumber": "12345678", "name": "Groothandel De Kempen BV", "sector": "logistiek",
            "gemeente": BOXTEL, "contacts": [{"name": "P. de Vries",
                                              "email": "hr@dekempen.example"}]}
HEAVY = {"name": "pallets laden", "hoursPerWeek": 16,
         "demands": [{"code": "lifting-max-kg", "value": 25}], "skills": ["heftruck rijden"]}
LIGHT = {"name": "orders picken", "hoursPerWeek": 16, "demands": [{"code": "standing-max-hours",
                                                                   "value": 4}],
         "skills": ["scanner"]}
NIGHT = {"name": "nachtploeg", "hoursPerWeek": 8, "demands": [{"code": "no-night-shifts"}]}


def vacancy_body(employer_id: str, tasks: list[dict[str, Any]], *, gemeente: str = BOXTEL,
                 title: str = "Magazijnmedewerker") -> dict[str, Any]:
    """A valid vacancy body whose hours are its tasks' hours."""
    return {"employerId": employer_id, "title": title, "werksoort": "logistiek",
            "gemeente": gemeente, "hoursPerWeek": sum(t["hoursPerWeek"] for t in tasks),
            "hourlyWage": "14.71", "contractForms": ["lks", "trial"], "tasks": tasks}


async def employer(service: ServiceUnderTest, headers: dict[str, str] | None = None,
                   **changes: Any) -> str:
    """Register an employer; its id."""
    response = await service.client.post("/v1/employers", json={**EMPLOYER, **changes},
                                         headers=headers or staff())
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def vacancy(service: ServiceUnderTest, tasks: list[dict[str, Any]],
                  headers: dict[str, str] | None = None, employer_id: str | None = None,
                  **changes: Any) -> str:
    """Publish a vacancy (with a new employer unless given); its id."""
    employer_id = employer_id or await employer(service, headers,
                                                kvkNumber=f"{uuid.uuid4().int % 10**8:08d}")
    response = await service.client.post(
        "/v1/vacancies", json={**vacancy_body(employer_id, tasks), **changes},
        headers=headers or staff())
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def outbox_events(service: ServiceUnderTest, event_type: str) -> list[dict[str, Any]]:
    """The CloudEvents of one type in the outbox, oldest first."""
    async with service.runtime.sessions() as session:
        rows = await session.scalars(select(OutboxMessage.payload).order_by(OutboxMessage.seq))
        events = [Envelope.from_json(p) for p in rows]
    return [e.to_dict() for e in events if e.type == event_type]


# The minimum wage as finance publishes it (values from ../shared/DOMAIN.md: WML per hour 21+
# from 2026-01-01 €14.71, from 2025-07-01 €14.40; jeugd-WML shares 15: 30 % … 20: 80 %).
WML_PARAMETERS: dict[str, tuple[date, str]] = {
    "wml-hourly": (date(2026, 1, 1), "14.71"),
    "youth-share-pct-15": (date(2026, 1, 1), "30"),
    "youth-share-pct-16": (date(2026, 1, 1), "34.5"),
    "youth-share-pct-17": (date(2026, 1, 1), "39.5"),
    "youth-share-pct-18": (date(2026, 1, 1), "50"),
    "youth-share-pct-19": (date(2026, 1, 1), "60"),
    "youth-share-pct-20": (date(2026, 1, 1), "80"),
}


def legal_parameter(code: str, effective_from: date, value: str) -> LegalParameterSet:
    """finance.legal-parameter-set as the platform operator's setting publishes it."""
    return LegalParameterSet(code=code, effective_from=effective_from, value=Decimal(value),
                             source="Wet minimumloon; figures of ../shared/DOMAIN.md",
                             author="operator@PLATFORM", set_at=datetime.now(UTC))


async def minimum_wage_known(service: ServiceUnderTest,
                             parameters: dict[str, tuple[date, str]] | None = None) -> None:
    """Publish the minimum wage on the bus (national subject) and wait until matching has it."""
    chosen = WML_PARAMETERS if parameters is None else parameters
    before = await service.count(LegalParameter)
    for code, (effective_from, value) in chosen.items():
        await publish(service, legal_parameter(code, effective_from, value), NATIONAL,
                      uuid.uuid4())

    async def folded() -> bool:
        return await service.count(LegalParameter) >= before + len(chosen)

    await eventually(folded)
