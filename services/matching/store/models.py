"""Matching's tables. Candidates are pseudonymous ids with coded profiles: no names and no
burgerservicenummer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import BigIntPK, UTCDateTime
from shared.store import NAMING_CONVENTION


class MatchingBase(DeclarativeBase):
    """Declarative base of matching's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Employer(MatchingBase):
    """An employer, kept by the organisation (uitvoerder, gemeente or WSP) that registered it."""

    __tablename__ = "employers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(100))
    kvk_number: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20))
    gemeente: Mapped[str] = mapped_column(String(6))
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("owner_org", "kvk_number",
                                       name="uq_employers_owner_kvk"),)


class Vacancy(MatchingBase):
    """A vacancy (or a carved job made from one); visible by the gemeente where the work is."""

    __tablename__ = "vacancies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(100))
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employers.id"))
    gemeente: Mapped[str] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(String(200))
    werksoort: Mapped[str] = mapped_column(String(20))
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    contract_forms: Mapped[list[str]] = mapped_column(JSON)
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    close_reason: Mapped[str | None] = mapped_column(String(20))
    carved_from: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancies.id"))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    positions: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("owner_org", "external_ref", name="uq_vacancies_owner_external_ref"),
        Index("ix_vacancies_gemeente_status", "gemeente", "status"),
    )


class CandidateProfile(MatchingBase):
    """A candidate as the events describe them; matchable once in a programme with a profile."""

    __tablename__ = "candidate_profiles"

    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6), index=True)
    provider: Mapped[str | None] = mapped_column(String(100))  # who runs the programme
    programme: Mapped[str | None] = mapped_column(String(20))
    programme_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    constraints: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    home_gemeente: Mapped[str | None] = mapped_column(String(6))
    travel_radius_km: Mapped[int | None] = mapped_column(Integer)
    profile_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wage_value_pct: Mapped[int | None] = mapped_column(Integer)
    wage_value_measured_at: Mapped[date | None] = mapped_column(Date)
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    exclusion: Mapped[str | None] = mapped_column(String(40))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # From intake.candidate-registered, for the youth minimum wage only: a date, no name or BSN.
    birth_date: Mapped[date | None] = mapped_column(Date)


class ProfileRevision(MatchingBase):
    """One row counting profile changes: a process rebuilds its in-memory matrix when it moves."""

    __tablename__ = "profile_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Proposal(MatchingBase):
    """A candidate proposed to an employer for a vacancy."""

    __tablename__ = "proposals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    vacancy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vacancies.id"), index=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    proposed_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12))
    score: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    carved_tasks: Mapped[list[str] | None] = mapped_column(JSON)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Placement(MatchingBase):
    """A candidate at work (or on trial) with an employer."""

    __tablename__ = "placements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employers.id"))
    vacancy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancies.id"))
    # Unique: one placement per accepted proposal, also when two requests race.
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    form: Mapped[str] = mapped_column(String(12))
    through_uwv: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    hourly_wage: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    start_date: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    placed_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


    __table_args__ = (
        Index("ix_placements_proposal_id", "proposal_id", unique=True),
    )


class LegalParameter(MatchingBase):
    """A national legal parameter as finance published it (`finance.legal-parameter-set`).

    Only the minimum-wage codes are kept: the wage floor of LKS and sheltered placements.
    """

    __tablename__ = "legal_parameters"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    source: Mapped[str] = mapped_column(String(500))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShelteredWorkIndication(MatchingBase):
    """The college's decision on a beschut-werk indication (`intake.sheltered-work-indication-
    decided`): dates and codes only."""

    __tablename__ = "sheltered_work_indications"

    indication_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    decision: Mapped[str] = mapped_column(String(10))
    uwv_outcome: Mapped[str] = mapped_column(String(10))
    decided_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookSubscription(MatchingBase):
    """An organisation's callback for some event types, within its tenancy."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    org: Mapped[str] = mapped_column(String(100), index=True)
    org_kind: Mapped[str] = mapped_column(String(10))
    gemeenten: Mapped[list[str]] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    # Needed in clear to sign; shown to the subscriber once. Encrypt at rest in production.
    secret: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))


class WebhookDelivery(MatchingBase):
    """One event for one subscription: created in the consumer's transaction, then worked off."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str] = mapped_column(String(6))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10))
    failures: Mapped[int] = mapped_column(Integer)  # failed attempts since the last (re)start
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_event"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )


class DeliveryAttempt(MatchingBase):
    """One HTTP attempt of a delivery: the log a subscriber reads."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[float] = mapped_column(Float)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
