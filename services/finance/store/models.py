"""Finance's tables. No names, no burgerservicenummer: candidates are pseudonymous ids."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import BigIntPK, UTCDateTime
from shared.store import NAMING_CONVENTION

MONEY = Numeric(14, 2)
RATE = Numeric(12, 4)



class FinanceBase(DeclarativeBase):
    """Declarative base of finance's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ParameterRow(FinanceBase):
    """A legal parameter's value from a date, with its source; rows are added, never changed."""

    __tablename__ = "parameters"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(60))
    effective_from: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(RATE)
    unit: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who set it ("sub@ORG"; the seeded rows: SEED_AUTHOR) and when its
    # finance.legal-parameter-set went into the outbox (NULL: not yet; published exactly once).
    author: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("code", "effective_from"),)


class Placement(FinanceBase):
    """A placement as matching announced it (all forms: budgets and invoices count them).

    Start fields are empty while only its end has arrived (events may come in any order).
    `unpayable_reason` is set for an LKS placement that has no grant yet, and why.
    """

    __tablename__ = "placements"

    placement_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    form: Mapped[str] = mapped_column(String(20))
    employer_kvk: Mapped[str | None] = mapped_column(String(20))
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hourly_wage: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    unpayable_reason: Mapped[str | None] = mapped_column(String(40))
    unpayable_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_placements_gemeente_dates", "gemeente", "start_date",
                            "end_date"),)


class WageValue(FinanceBase):
    """A loonwaarde diagnose measured; `reassessment_due_at` once finance asked for a new one."""

    __tablename__ = "wage_values"

    measurement_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    wage_value_pct: Mapped[int] = mapped_column(Integer)
    measured_at: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    reassessment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Grant(FinanceBase):
    """LKS to the employer for one placement (one grant per placement): finance's proposal
    while pending, the college's decision (beschikking) once decided or refused."""

    __tablename__ = "grants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    placement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("placements.placement_id"),
                                                    unique=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    employer_kvk: Mapped[str] = mapped_column(String(20))
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    hourly_wage: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    valid_from: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    wage_value_pct: Mapped[int] = mapped_column(Integer)  # the latest applied
    wage_value_from: Mapped[date] = mapped_column(Date)
    monthly_amount: Mapped[Decimal] = mapped_column(MONEY)  # a full month at the latest terms
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when finance proposed it
    form: Mapped[str | None] = mapped_column(String(20))  # lks or sheltered
    decision_number: Mapped[str | None] = mapped_column(String(40))
    reassessment_date: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(200))  # "sub@GM0757"
    refusal_reason: Mapped[str | None] = mapped_column(String(40))

    # The run's count and batch bounds (gemeente, dates); its batches' id ranges (gemeente, id).
    __table_args__ = (Index("ix_grants_gemeente_run", "gemeente", "valid_from", "end_date",
                            "id"),
                      Index("ix_grants_gemeente_id", "gemeente", "id"))


class PaymentRun(FinanceBase):
    """One gemeente's LKS payments for one month; at most one run per (gemeente, month)."""

    __tablename__ = "payment_runs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    month: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10))
    total_grants: Mapped[int] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer)
    payment_count: Mapped[int] = mapped_column(Integer)
    total_amount: Mapped[Decimal] = mapped_column(MONEY)
    # Keyset cursor: the last grant id done, so a restarted run goes on where it stopped.
    last_grant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("gemeente", "month"),)


class PaymentLine(FinanceBase):
    """One payment to an employer; a grant is paid at most once per month (unique)."""

    __tablename__ = "payment_lines"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payment_runs.id"))
    grant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    month: Mapped[str] = mapped_column(String(7))
    gemeente: Mapped[str] = mapped_column(String(6))
    employer_kvk: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)

    __table_args__ = (UniqueConstraint("grant_id", "month"),
                      Index("ix_payment_lines_run", "run_id", "id"))


class Budget(FinanceBase):
    """A gemeente's budget for a year; the *_exceeded_at mark the one event per line."""

    __tablename__ = "budgets"

    gemeente: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    funded_places: Mapped[int] = mapped_column(Integer)
    place_price: Mapped[Decimal] = mapped_column(MONEY)
    lks_budget: Mapped[Decimal] = mapped_column(MONEY)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    guidance_exceeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lks_exceeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reserve(FinanceBase):
    """An uitvoerder's stimulus reserve for guidance above gemeenten's budgets."""

    __tablename__ = "reserves"

    provider: Mapped[str] = mapped_column(String(100), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Tariff(FinanceBase):
    """The entity's cost-covering tariff for a product, from a date (rows are added)."""

    __tablename__ = "tariffs"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    product: Mapped[str] = mapped_column(String(60))
    effective_from: Mapped[date] = mapped_column(Date)
    form: Mapped[str | None] = mapped_column(String(20))  # which placements it counts
    tariff: Mapped[Decimal] = mapped_column(MONEY)
    risk_surcharge_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("product", "effective_from"),)



class Candidate(FinanceBase):
    """What finance needs of a registered candidate: the birth date (jeugd-WML), nothing else."""

    __tablename__ = "candidates"

    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    birth_date: Mapped[date | None] = mapped_column(Date)


class ShelteredIndication(FinanceBase):
    """A beschut-werk indication the college decided (art. 10b): LKS on a sheltered placement
    only while a granted one is in force."""

    __tablename__ = "sheltered_indications"

    indication_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    decision: Mapped[str] = mapped_column(String(10))
    decided_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
