"""Intake's tables. The only database in the system with BSN and names."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    MetaData,
    String,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.db import BigIntPK, UTCDateTime
from shared.store import NAMING_CONVENTION


class IntakeBase(DeclarativeBase):
    """Declarative base of intake's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Candidate(IntakeBase):
    """A resident registered by a gemeente for the werkdeel of the Participatiewet."""

    __tablename__ = "candidates"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    bsn: Mapped[str] = mapped_column(String(9))
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    postcode: Mapped[str] = mapped_column(String(6))
    target_group: Mapped[str] = mapped_column(String(40))
    benefit: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(20))
    programme: Mapped[str | None] = mapped_column(String(20))
    programme_provider: Mapped[str | None] = mapped_column(String(100))
    programme_start: Mapped[date | None] = mapped_column(Date)
    # The programme's start lies before registration: history recorded afterwards, on purpose.
    programme_migrated: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())
    closure_reason: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    referrals: Mapped[list[Referral]] = relationship(
        back_populates="candidate", order_by="Referral.referred_at", lazy="selectin"
    )
    latest_advice: Mapped[AdviceReceived | None] = relationship(lazy="selectin")

    __table_args__ = (
        UniqueConstraint("gemeente", "bsn", name="uq_candidates_gemeente_bsn"),
        Index("ix_candidates_gemeente_registered", "gemeente", "registered_at", "id"),
    )


class Referral(IntakeBase):
    """The gemeente's referral of a candidate to one uitvoerder; ends on closure or re-route."""

    __tablename__ = "referrals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"))
    provider: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(String(40))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    candidate: Mapped[Candidate] = relationship(back_populates="referrals")

    __table_args__ = (Index("ix_referrals_provider_candidate", "provider", "candidate_id"),)


class RouteDecision(IntakeBase):
    """One route decision (the history stays; the candidate holds the latest)."""

    __tablename__ = "route_decisions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), index=True)
    route: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str | None] = mapped_column(String(100))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgrammeDecision(IntakeBase):
    """One programme decision."""

    __tablename__ = "programme_decisions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), index=True)
    programme: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    # Starts before registration: history recorded afterwards (the request said so).
    migrated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccessLogEntry(IntakeBase):
    """A read of personal data (Logboek Dataverwerkingen style): who, whom, when, on what ground."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    candidate_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    actor_org: Mapped[str] = mapped_column(String(100))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_subject: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    ground: Mapped[str] = mapped_column(String(20))
    trace_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_access_log_gemeente_candidate", "gemeente", "candidate_id", "at"),)


class AdviceReceived(IntakeBase):
    """The uitvoerder's latest advice on a candidate (from diagnose.advice-issued)."""

    __tablename__ = "advices_received"

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"),
                                                    primary_key=True)
    advice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    diagnosis_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    provider: Mapped[str] = mapped_column(String(100))
    programme: Mapped[str] = mapped_column(String(20))
    lks_indicated: Mapped[bool] = mapped_column(Boolean)
    sheltered_work_indicated: Mapped[bool] = mapped_column(Boolean)
    uwv_advice_requested_on: Mapped[date | None] = mapped_column(Date)
    development_potential: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShelteredWorkIndication(IntakeBase):
    """A beschut-werk indication (art. 10b): UWV's advice and the college's decision on it.

    Dates and codes only: the advice text stays with UWV and in the gemeente's dossier.
    """

    __tablename__ = "sheltered_work_indications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"))
    gemeente: Mapped[str] = mapped_column(String(6))
    uwv_advice_date: Mapped[date] = mapped_column(Date)
    uwv_outcome: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str] = mapped_column(String(10))
    decided_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # The college decided otherwise than UWV advised, and said so when recording it.
    deviates_from_uwv_advice: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_sheltered_work_indications_candidate", "candidate_id", "decided_on"),
    )


class NewCandidate(NamedTuple):
    """The columns of a registration, as written (the response is built from them too)."""

    id: uuid.UUID
    gemeente: str
    bsn: str
    given_name: str
    family_name: str
    birth_date: date
    postcode: str
    target_group: str
    benefit: str
    status: str
    registered_at: datetime
    updated_at: datetime
