"""Finance under test: the real app (lifespan, relay, consumers, background) on a fresh database
and the real bus. Matching and diagnose are played by publishing their events onto the bus
with the shared catalogue's models, as those services would.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import nats
import pytest
from sqlalchemy import select

from services.finance.handlers import grants
from services.finance.main import create_app
from services.finance.settings import FinanceSettings
from services.finance.store import MIGRATIONS
from services.finance.store.models import Grant, Placement, WageValue
from services.finance.unit_of_work import FinanceRuntime, FinanceUnitOfWork
from shared.auth import OrgKind, Principal, Role
from shared.bus.streams import ensure_stream
from shared.events.catalogue import EventData
from shared.events.diagnose import WageValueMeasured
from shared.events.envelope import Envelope, source_urn
from shared.events.matching import (
    PlacementEnded,
    PlacementEndReason,
    PlacementForm,
    PlacementStarted,
)
from shared.events.subjects import subject_for
from shared.runtime import Runtime
from shared.settings import DEV_OIN
from shared.store import OutboxMessage
from tests.conftest import eventually
from tests.support.databases import BACKENDS, DatabaseFactory, databases_of
from tests.support.services import ServiceUnderTest, bearer, running_service

BOXTEL, VUGHT, ROERMOND, LEUDAL = "GM0757", "GM0865", "GM0957", "GM1640"
WSD, IBN, WESTROM = "WSD", "IBN", "WESTROM"
KVK = "12345678"
FAR = date(2030, 12, 31)


@pytest.fixture(scope="session", params=BACKENDS)
async def finance_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DatabaseFactory]:
    """Migrated finance databases on SQLite, and on Postgres when TEST_DATABASE_URL is set."""
    async with databases_of(request.param, MIGRATIONS,
                            tmp_path_factory.mktemp("finance-db")) as factory:
        yield factory


@dataclass
class Finance:
    """The running service and the bus it listens on."""

    service: ServiceUnderTest
    nats_url: str
    namespace: str
    published: list[str] = field(default_factory=list)

    @property
    def client(self) -> Any:
        return self.service.client

    async def publish(self, data: EventData, *, gemeente: str = BOXTEL,
                      event_id: str | None = None, msg_id: str | None = None) -> Envelope:
        """Put an event on the bus as its producer would (JetStream, Nats-Msg-Id header)."""
        envelope = Envelope(type=data.ce_type(), source=source_urn(DEV_OIN, data.producer()),
                            subject=str(getattr(data, "candidate_id", "")), gemeente=gemeente,
                            data=data.to_data(), **({"id": event_id} if event_id else {}))
        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            await ensure_stream(js, data.producer(), namespace=self.namespace)
            await js.publish(subject_for(data.name, gemeente, self.namespace),
                             envelope.to_json(), headers={"Nats-Msg-Id": msg_id or envelope.id})
        finally:
            await nc.close()
        return envelope

    async def grants_of(self, candidate_id: uuid.UUID) -> list[Grant]:
        async with self.service.runtime.sessions() as session:
            return list((await session.scalars(
                select(Grant).where(Grant.candidate_id == candidate_id))).all())

    async def placement(self, placement_id: uuid.UUID) -> Placement | None:
        async with self.service.runtime.sessions() as session:
            return await session.get(Placement, placement_id)

    async def has_wage_value(self, candidate_id: uuid.UUID) -> bool:
        async with self.service.runtime.sessions() as session:
            return (await session.scalar(select(WageValue.measurement_id).where(
                WageValue.candidate_id == candidate_id).limit(1))) is not None

    async def events(self, name: str) -> list[dict[str, Any]]:
        """The data of this service's events of one type, from its outbox."""
        async with self.service.runtime.sessions() as session:
            payloads = (await session.scalars(select(OutboxMessage.payload))).all()
        bodies = [json.loads(p) for p in payloads]
        return [b["data"] for b in bodies if b["type"] == f"nl.participatiewet.{name}"]


def settings_for(database_url: str, nats_url: str, namespace: str,
                 **overrides: Any) -> FinanceSettings:
    """Test settings; the background scan off unless a test asks for it."""
    values: dict[str, Any] = {"finance_reassessment_interval_s": 0,
                              "finance_payment_batch_size": 3, **overrides}
    return FinanceSettings(database_url=database_url, nats_url=nats_url,
                           bus_namespace=namespace, environment="test", **values)


@pytest.fixture
async def finance(finance_databases: DatabaseFactory, nats_url: str,
                  bus_namespace: str) -> AsyncIterator[Finance]:
    """A started finance app on a fresh database (small payment batches: several per run)."""
    settings = settings_for(await finance_databases.fresh(), nats_url, bus_namespace)
    async with running_service(create_app, settings, "http://finance") as service:
        yield Finance(service=service, nats_url=nats_url, namespace=bus_namespace)


def gemeente_staff(gemeente: str = BOXTEL, *roles: Role) -> dict[str, str]:
    """A gemeente's staff member (a controller unless told otherwise)."""
    return bearer(gemeente, OrgKind.GEMEENTE, *(roles or (Role.CONTROLLER,)))


def provider_staff(provider: str = WSD, gemeenten: tuple[str, ...] = (BOXTEL, VUGHT),
                   *roles: Role) -> dict[str, str]:
    """An uitvoerder's staff member (an account manager unless told otherwise)."""
    return bearer(provider, OrgKind.PROVIDER, *(roles or (Role.ACCOUNT_MANAGER,)),
                  gemeenten=gemeenten)


def started(candidate_id: uuid.UUID, *, placement_id: uuid.UUID | None = None,
            gemeente: str = BOXTEL, provider: str = WSD, form: PlacementForm = PlacementForm.LKS,
            start: date = date(2026, 1, 1), hours: str = "36", wage: str = "14.71",
            kvk: str = KVK) -> PlacementStarted:
    """matching.placement-started as matching would publish it."""
    return PlacementStarted(
        placement_id=placement_id or uuid.uuid4(), candidate_id=candidate_id, gemeente=gemeente,
        provider=provider, employer_id=uuid.uuid4(), employer_kvk=kvk, form=form,
        hours_per_week=Decimal(hours), hourly_wage=Decimal(wage), start_date=start,
        started_at=datetime.now(UTC))


def ended(placement: PlacementStarted, end: date) -> PlacementEnded:
    """matching.placement-ended for a started placement."""
    return PlacementEnded(
        placement_id=placement.placement_id, candidate_id=placement.candidate_id,
        gemeente=placement.gemeente, provider=placement.provider, form=placement.form,
        end_date=end, reason=PlacementEndReason.CONTRACT_NOT_RENEWED,
        ended_at=datetime.now(UTC))


def measured(candidate_id: uuid.UUID, pct: int, on: date, *, valid_until: date | None = None,
             gemeente: str = BOXTEL, provider: str = WSD,
             measurement_id: uuid.UUID | None = None) -> WageValueMeasured:
    """diagnose.wage-value-measured as diagnose would publish it."""
    return WageValueMeasured(
        diagnosis_id=uuid.uuid4(), candidate_id=candidate_id, gemeente=gemeente,
        provider=provider, measurement_id=measurement_id or uuid.uuid4(), method="dariuz",
        wage_value_pct=pct, measured_at=on,
        valid_until=valid_until or on + timedelta(days=365))


async def granted(finance: Finance, candidate_id: uuid.UUID, count: int = 1) -> list[Grant]:
    """Wait until the candidate has `count` grants; return them."""
    async def enough() -> bool:
        return len(await finance.grants_of(candidate_id)) >= count

    await eventually(enough)
    return await finance.grants_of(candidate_id)


async def decide(finance: Finance, grant: Grant, *, number: str = "LKS-2026-0001",
                 reassessment: date = FAR) -> Grant:
    """The college decides a pending grant on the terms finance proposed; the grant after."""
    response = await finance.client.post(
        f"/v1/grants/{grant.id}/decisions", headers=gemeente_staff(grant.gemeente), json={
            "decisionNumber": number, "start": grant.valid_from.isoformat(),
            "monthlyAmount": f"{grant.monthly_amount:.2f}", "wageValuePct": grant.wage_value_pct,
            "reassessmentDate": reassessment.isoformat()})
    assert response.status_code == 200, response.text
    async with finance.service.runtime.sessions() as session:
        decided = await session.get(Grant, grant.id)
    assert decided is not None
    return decided


async def lks_placement(finance: Finance, *, pct: int = 50, start: date = date(2026, 1, 1),
                        gemeente: str = BOXTEL, provider: str = WSD, wage: str = "14.71",
                        hours: str = "36") -> tuple[uuid.UUID, Grant]:
    """A candidate with a valid wage value and an LKS placement, granted by the college (the
    decision on finance's proposal); (candidate, grant)."""
    candidate = uuid.uuid4()
    await finance.publish(measured(candidate, pct, date(2025, 6, 1), valid_until=FAR,
                                   gemeente=gemeente, provider=provider), gemeente=gemeente)
    await finance.publish(started(candidate, gemeente=gemeente, provider=provider, start=start,
                                  wage=wage, hours=hours), gemeente=gemeente)
    (grant,) = await granted(finance, candidate)
    assert grant.status == "pending"
    return candidate, await decide(finance, grant)


def staff(gemeente: str, *roles: Role) -> Principal:
    """A gemeente's staff member with these roles (for handler tests, which take no token)."""
    return Principal(subject="sub", org=gemeente, kind=OrgKind.GEMEENTE,
                     gemeenten=frozenset({gemeente}), roles=frozenset(roles))


@pytest.fixture
async def runtime(finance_databases: DatabaseFactory) -> AsyncIterator[FinanceRuntime]:
    """Finance's runtime on a fresh database, for handler tests; its bus is never started."""
    settings = FinanceSettings(database_url=await finance_databases.fresh(), environment="test")
    runtime = Runtime(settings, unit_of_work=FinanceUnitOfWork, publishes=False)
    try:
        yield runtime
    finally:
        await runtime.engine.dispose()


async def pending_grant(runtime: FinanceRuntime, pct: int = 50) -> Grant:
    """A candidate's loonwaarde and LKS placement from 1 January, folded as the consumers would
    (an event's unit of work: no caller); finance's pending proposal."""
    candidate = uuid.uuid4()
    async with runtime.begin() as uow:
        await grants.wage_value_measured(uow, measured(candidate, pct, date(2025, 6, 1),
                                                       valid_until=FAR))
    async with runtime.begin() as uow:
        await grants.placement_started(uow, started(candidate, start=date(2026, 1, 1)))
    async with runtime.transaction() as session:
        grant = (await session.scalars(select(Grant).where(
            Grant.candidate_id == candidate))).one()
    assert grant.status == "pending"
    return grant
