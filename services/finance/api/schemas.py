"""Request and response bodies of finance's API (camelCase; the value shapes: formats.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StrictInt

from services.finance.api.formats import (
    DecimalString,
    ExactDecimal,
    GrantStatus,
    Money,
    Number,
    OptionalDate,
    ParameterCode,
    ParameterUnit,
    ParameterValue,
    PaymentRunStatus,
    RefusalReason,
)
from shared.events.matching import PlacementForm
from shared.http.schemas import ApiModel, BirthDate, Day, GemeenteCode, Month


class LksCalculationIn(ApiModel):
    """A job before placement: what would the monthly LKS be?"""

    month: Month
    hours_per_week: Decimal = Field(gt=0, le=60, max_digits=5, decimal_places=2)
    hourly_wage: DecimalString
    wage_value_pct: StrictInt = Field(ge=0, le=100)
    age: StrictInt | None = Field(default=None, ge=15, le=99,
                                  description="below 21 the jeugd-WML applies; default 21+")
    birth_date: BirthDate | None = Field(
        default=None, json_schema_extra={"format": "date"},
        description="instead of age: the age on the month's first day counts")


class ParameterOut(ApiModel):
    """A legal parameter's value from a date, with its source."""

    code: str
    effective_from: date
    value: ParameterValue
    unit: str
    source: str


class LksBreakdown(ApiModel):
    """How the amount came about: the money rounded to cents for the reader, and the
    unrounded rates the formula used (`…Exact`), so the figure can be checked by hand."""

    hours_per_month: Number
    hourly_gap: Money
    hourly_gap_exact: ExactDecimal
    cap_applied: bool
    wml_hourly: Money
    wml_hourly_exact: ExactDecimal
    parameters: list[ParameterOut]


class LksCalculationOut(ApiModel):
    """A full calendar month's LKS, rounded once to cents (half-up)."""

    month: str
    monthly_amount: Money
    breakdown: LksBreakdown
    warnings: list[str] = Field(description="e.g. a WML older than its last indexation day")


class ParameterIn(ApiModel):
    """A new value of a parameter from a date (never an edit of an existing row)."""

    code: ParameterCode
    effective_from: Day
    value: Decimal = Field(ge=0, max_digits=12, decimal_places=4)
    unit: ParameterUnit
    source: str = Field(min_length=3, max_length=500)


class ParameterList(ApiModel):
    """Every parameter row, by code and date."""

    items: list[ParameterOut]


class GrantOut(ApiModel):
    """An LKS grant to an employer for one placement."""

    id: UUID
    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    employer_kvk: str
    hours_per_week: Number
    hourly_wage: Money
    valid_from: date
    end_date: OptionalDate
    status: GrantStatus
    wage_value_pct: int
    wage_value_from: date
    monthly_amount: Money
    granted_at: datetime = Field(description="when finance proposed it (status pending)")
    form: str | None
    decision_number: str | None
    reassessment_date: OptionalDate
    decided_at: datetime | None
    refusal_reason: str | None
    warnings: list[str] = Field(description="e.g. no birth date known: the adult WML is used")


DecisionNumber = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,39}$",
                                      examples=["LKS-2026-0042"])]


Amount = Annotated[str, Field(pattern=r"^\d{1,9}\.\d{2}$", examples=["1530.38"],
                              description="a non-negative amount in euros, two decimals")]


class GrantDecisionIn(ApiModel):
    """The college's decision to grant: the terms, as finance computed them."""

    decision_number: DecisionNumber
    start: Day
    monthly_amount: Amount
    wage_value_pct: StrictInt = Field(ge=0, le=100)
    reassessment_date: Day


class GrantRefusalIn(ApiModel):
    """The college's refusal, with its reason."""

    reason: RefusalReason


class GrantPage(ApiModel):
    """A page of grants."""

    items: list[GrantOut]
    page: int
    page_size: int
    total: int


class UnpayablePlacement(ApiModel):
    """An LKS placement that is not paid, and why."""

    placement_id: UUID
    candidate_id: UUID
    gemeente: str
    provider: str
    employer_kvk: str | None
    start_date: OptionalDate
    reason: str
    since: datetime | None
    grant_id: UUID | None = None  # set when a running grant stopped being paid


class UnpayableList(ApiModel):
    """The worklist of LKS placements without a (valid) loonwaarde."""

    items: list[UnpayablePlacement]


class PaymentRunIn(ApiModel):
    """Pay a gemeente's running grants for one month."""

    gemeente: GemeenteCode
    month: Month


class PaymentRunOut(ApiModel):
    """A payment run and how far it is."""

    id: UUID
    gemeente: str
    month: str
    status: PaymentRunStatus
    total_grants: int
    processed: int
    payment_count: int
    total_amount: Money
    created_at: datetime
    completed_at: datetime | None


class PaymentLineOut(ApiModel):
    """One payment to an employer in a run (the same row as a line of the CSV)."""

    grant_id: UUID
    employer_kvk: str
    amount: Money


class PaymentLinePage(ApiModel):
    """A page of a run's payment lines, in the CSV's order."""

    items: list[PaymentLineOut]
    page: int
    page_size: int
    total: int


class BudgetIn(ApiModel):
    """A gemeente's budget for a year."""

    funded_places: StrictInt = Field(ge=0, le=100_000)
    place_price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    lks_budget: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class GuidanceOut(ApiModel):
    """Guidance places on the reference day (31 December, or today while the year runs):
    funded vs Participatiewet places at the uitvoerder (trial, LKS, beschut werk with the
    uitvoerder as employer), and who pays the places above budget. Places directly with
    employers are shown, not budgeted; Wsw jobs are not in it (shared/figures.py)."""

    reference_day: date
    funded: int
    at_provider: int
    direct: int
    above_budget: int
    place_price: Money
    budget: Money
    realised: Money
    from_budget: Money
    from_reserve: Money
    reserve_provider: str | None
    reserve_remaining: Money | None
    exceeded: bool


class LksLineOut(ApiModel):
    """LKS: budget against payments."""

    budget: Money
    realised: Money
    exceeded: bool


class BudgetOut(ApiModel):
    """A gemeente's budget for a year with its realisation."""

    gemeente: str
    gemeente_name: str
    year: int
    guidance: GuidanceOut
    lks: LksLineOut
    set_at: datetime


class ReserveIn(ApiModel):
    """An uitvoerder's stimulus reserve."""

    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)


class ReserveOut(ApiModel):
    """The reserve and what placements above gemeenten' budgets drew from it in a year."""

    provider: str
    provider_name: str
    year: int
    amount: Money
    drawn: Money
    remaining: Money
    draws: dict[str, Money]


class TariffIn(ApiModel):
    """The entity's cost-covering tariff for a product from a date."""

    effective_from: Day
    form: PlacementForm | None = Field(
        default=None, description="placements this product counts; none: every guided form")
    tariff: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    risk_surcharge_pct: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class TariffOut(ApiModel):
    """A tariff row."""

    product: str
    effective_from: date
    form: str | None
    tariff: Money
    risk_surcharge_pct: Number


class TariffList(ApiModel):
    """Every tariff row."""

    items: list[TariffOut]


class InvoiceLineOut(ApiModel):
    """One product on the invoice."""

    product: str
    quantity: int
    tariff: Money
    surcharge_pct: Number
    amount: Money


class InvoiceOut(ApiModel):
    """The entity's invoice to one gemeente for one month (codes, and names for the reader)."""

    gemeente: str
    gemeente_name: str
    entity: str
    entity_name: str
    month: str
    shareholder: bool
    lines: list[InvoiceLineOut]
    total: Money


class CandidateCaseIn(ApiModel):
    """One candidate's LKS job against staying on bijstand."""

    month: Month
    hours_per_week: Decimal = Field(gt=0, le=60, max_digits=5, decimal_places=2)
    hourly_wage: DecimalString
    wage_value_pct: StrictInt = Field(ge=0, le=100)
    guidance_cost_per_year: Decimal = Field(ge=0, max_digits=12, decimal_places=2)


class CandidateCaseOut(ApiModel):
    """Yearly figures for the gemeente."""

    lks_monthly: Money
    lks_yearly: Money
    guidance_yearly: Money
    job_cost_yearly: Money
    bijstand_yearly: Money
    saving_yearly: Money
    bijstand_norm: ParameterOut
    warnings: list[str] = Field(description="e.g. the bijstand norm of an earlier half year")


class ScenarioIn(ApiModel):
    """Places over years: Wsw outflow, Participatiewet inflow, a realisation rate."""

    start_year: StrictInt = Field(ge=2000, le=2100)
    wsw_places: Decimal = Field(ge=0, le=1_000_000)
    pw_places: Decimal = Field(ge=0, le=1_000_000)
    target_places: Decimal = Field(ge=0, le=1_000_000)
    years: StrictInt = Field(ge=1, le=50)
    wsw_outflow_pct: Decimal = Field(ge=0, le=100)
    pw_inflow_per_year: Decimal = Field(ge=0, le=1_000_000)
    realisation_pct: Decimal = Field(ge=0, le=200)


class ScenarioYearOut(ApiModel):
    """Places at the end of a year."""

    year: int
    wsw_places: Number
    pw_places: Number
    total_places: Number
    short_of_target: Number


class ScenarioOut(ApiModel):
    """The projection and the break-even year (none when not reached)."""

    years: list[ScenarioYearOut]
    break_even_year: int | None
