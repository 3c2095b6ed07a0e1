"""Reporting's tables: facts and counters per generation, plus what is not from events.

Every projection row carries the `generation` that built it. The API reads only the active
generation; a rebuild fills a new one beside it and switches the pointer in one transaction, so
the service keeps serving the old figures until then. Targets are council decisions, not
events: they have no generation and survive every rebuild.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Index, Integer, MetaData, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime
from shared.store import NAMING_CONVENTION

Money = Numeric(14, 2)
Id = String(36)


class ReportingBase(DeclarativeBase):
    """Declarative base of reporting's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ReportState(ReportingBase):
    """One row: the active generation. Live handlers share-lock it, a swap locks it."""

    __tablename__ = "report_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    active_generation: Mapped[int] = mapped_column(Integer)


class Generation(ReportingBase):
    """A set of projections: building, active or retired."""

    __tablename__ = "report_generations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    swapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    events_folded: Mapped[int] = mapped_column(BigInteger, default=0)


class StreamPosition(ReportingBase):
    """The last stream sequence a rebuild folded into a generation: live skips up to it."""

    __tablename__ = "report_positions"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger)


class CandidateRow(ReportingBase):
    """A candidate's journey: pseudonymous id and birth year; no name or burgerservicenummer."""

    __tablename__ = "report_candidates"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Id, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    target_group: Mapped[str | None] = mapped_column(String(40))
    registered_on: Mapped[date | None] = mapped_column(Date)
    referred_on: Mapped[date | None] = mapped_column(Date)
    diagnosis_on: Mapped[date | None] = mapped_column(Date)
    programme_on: Mapped[date | None] = mapped_column(Date)
    placement_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (Index("ix_report_candidates_gemeente", "generation", "gemeente"),)


class DiagnosisRow(ReportingBase):
    """A werkdiagnose case."""

    __tablename__ = "report_diagnoses"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    diagnosis_id: Mapped[str] = mapped_column(Id, primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Id)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    instrument: Mapped[str | None] = mapped_column(String(30))
    started_on: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))

    __table_args__ = (Index("ix_report_diagnoses_gemeente", "generation", "gemeente"),)


class PlacementRow(ReportingBase):
    """A placement."""

    __tablename__ = "report_placements"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[str] = mapped_column(Id, primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Id)
    gemeente: Mapped[str] = mapped_column(String(6))
    provider: Mapped[str] = mapped_column(String(100))
    form: Mapped[str] = mapped_column(String(20))
    employer_kvk: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(30))

    __table_args__ = (Index("ix_report_placements_gemeente", "generation", "gemeente"),)


class GrantRow(ReportingBase):
    """An LKS grant's current monthly amount."""

    __tablename__ = "report_grants"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[str] = mapped_column(Id, primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Id)
    gemeente: Mapped[str] = mapped_column(String(6))
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    amount_from: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_report_grants_gemeente", "generation", "gemeente"),)


class BudgetRow(ReportingBase):
    """A gemeente's budget for a year, from finance.budget-set."""

    __tablename__ = "report_budgets"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    funded_places: Mapped[int] = mapped_column(Integer)
    place_price: Mapped[Decimal] = mapped_column(Money)
    guidance_budget: Mapped[Decimal] = mapped_column(Money)
    lks_budget: Mapped[Decimal] = mapped_column(Money)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CountRow(ReportingBase):
    """A counter per gemeente, month, measure and key (e.g. registrations/bijstand)."""

    __tablename__ = "report_counts"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    measure: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))


class SkippedRow(ReportingBase):
    """Events of a type reporting does not know, counted (never fatal)."""

    __tablename__ = "report_skipped"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TargetRow(ReportingBase):
    """A council's places target (SW + PW) for a gemeente and year; set by hand, kept forever."""

    __tablename__ = "report_targets"

    gemeente: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    places: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RegionalTargetRow(ReportingBase):
    """An uitvoerder's places target (SW + PW) for all its gemeenten together, for a year — WSD's
    2,100 across nine gemeenten: its governing board's decision, set by hand, kept forever."""

    __tablename__ = "report_regional_targets"

    organisation: Mapped[str] = mapped_column(String(40), primary_key=True)  # its code: WSD
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    places: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IllustrativeRow(ReportingBase):
    """A figure of a gemeente that is made up for a demonstration, not taken from a source.

    Written by `seed-demo` beside its events (the catalogue's events carry no such mark), kept
    across rebuilds like targets, and shown with the report and on the dashboard, so nobody
    takes an illustrative figure for a council's own.
    """

    __tablename__ = "report_illustrative"

    gemeente: Mapped[str] = mapped_column(String(6), primary_key=True)
    report: Mapped[str] = mapped_column(String(40), primary_key=True)  # a report's slug
    figure: Mapped[str] = mapped_column(String(40), primary_key=True)  # what in it, briefly
    note: Mapped[str] = mapped_column(String(500))  # why it is illustrative, for people


class PlanActionRow(ReportingBase):
    """An action of a gemeente's lokaal plan (what, who, how far): kept by the gemeente through
    the API and shown in its monitor beside the figures, as the sources ask. Not from events."""

    __tablename__ = "report_plan_actions"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(6), index=True)
    action: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(200))  # who carries it out (a role or team)
    status: Mapped[str] = mapped_column(String(20))  # reference list lokaal-plan-action-statuses
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanActionNoteRow(ReportingBase):
    """The gemeente's note on an action for one reporting period (2026-H1): one per period."""

    __tablename__ = "report_plan_action_notes"

    action_id: Mapped[str] = mapped_column(Id, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    note: Mapped[str] = mapped_column(String(2000))
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
