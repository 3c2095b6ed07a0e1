"""Diagnose's tables. No names, no burgerservicenummer: the candidate is its pseudonymous id."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import UTCDateTime
from shared.store import NAMING_CONVENTION


class DiagnoseBase(DeclarativeBase):
    """Declarative base of diagnose's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DiagnosisCase(DiagnoseBase):
    """One referral's werkdiagnose at one uitvoerder; tenant = (provider, gemeente)."""

    __tablename__ = "diagnosis_cases"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    referral_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(String(40))
    target_group: Mapped[str] = mapped_column(String(40))
    birth_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    instrument: Mapped[str | None] = mapped_column(String(30))
    started_on: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the gemeente referred (from the event); null for cases opened before it was kept.
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The instrument's start was recorded afterwards as history from before the referral.
    instrument_migrated: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())

    zrm_assessments: Mapped[list[ZrmAssessment]] = relationship(
        order_by="ZrmAssessment.assessed_on", lazy="selectin")
    wage_values: Mapped[list[WageValueMeasurement]] = relationship(
        order_by="WageValueMeasurement.measured_at", lazy="selectin")
    advices: Mapped[list[Advice]] = relationship(order_by="Advice.issued_at", lazy="selectin")
    profile: Mapped[Profile | None] = relationship(lazy="selectin")
    plan: Mapped[WorkDevelopmentPlan | None] = relationship(lazy="selectin")

    __table_args__ = (
        Index("ix_diagnosis_cases_provider_status", "provider", "gemeente", "status",
              "planned_end"),
    )


class ZrmAssessment(DiagnoseBase):
    """ZRM scores on one date."""

    __tablename__ = "zrm_assessments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    scores: Mapped[dict[str, int]] = mapped_column(JSON)
    # Fewer than the 13 domains, deliberately, and why.
    partial: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    partial_reason: Mapped[str | None] = mapped_column(String(500))
    # History from before the referral, recorded afterwards.
    migrated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Profile(DiagnoseBase):
    """The candidate's current work profile: what matching needs (replaced as a whole)."""

    __tablename__ = "profiles"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"),
                                               primary_key=True)
    constraints: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    interests: Mapped[list[str]] = mapped_column(JSON)
    skills: Mapped[list[str]] = mapped_column(JSON)
    certificates: Mapped[list[str]] = mapped_column(JSON)
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    home_gemeente: Mapped[str] = mapped_column(String(6))
    travel_radius_km: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WageValueMeasurement(DiagnoseBase):
    """A loonwaardemeting at a workplace."""

    __tablename__ = "wage_value_measurements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"), index=True)
    method: Mapped[str] = mapped_column(String(40))
    wage_value_pct: Mapped[int] = mapped_column(Integer)
    measured_at: Mapped[date] = mapped_column(Date)
    workplace: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date] = mapped_column(Date)
    # History from before the referral, recorded afterwards.
    migrated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkDevelopmentPlan(DiagnoseBase):
    """The werk-ontwikkel-plan: goals, steps and the purpose of each workplace."""

    __tablename__ = "work_development_plans"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"),
                                               primary_key=True)
    goals: Mapped[list[str]] = mapped_column(JSON)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    workplaces: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Advice(DiagnoseBase):
    """The uitvoerder's advice to the gemeente."""

    __tablename__ = "advices"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"), index=True)
    programme: Mapped[str] = mapped_column(String(20))
    lks_indicated: Mapped[bool] = mapped_column(Boolean)
    sheltered_work_indicated: Mapped[bool] = mapped_column(Boolean)
    uwv_advice_requested_on: Mapped[date | None] = mapped_column(Date)
    development_potential: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReassessmentTask(DiagnoseBase):
    """A re-assessment of the wage value that finance asked for, on the provider's worklist."""

    __tablename__ = "reassessment_tasks"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("diagnosis_cases.id"), index=True)
    measurement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    due_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
