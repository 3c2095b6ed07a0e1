"""Response and request bodies; one row model per report, made from its columns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, create_model

from services.reporting.reports import Column, Report
from shared.http.schemas import ApiModel

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
_TYPES: dict[str, Any] = {
    "text": str,
    "int": int | None,
    "people": int | str,
    "derived": int | float | None,
    # Money: a decimal string with two decimals ("735467.40"), as everywhere in the product.
    "money": Annotated[str, Field(pattern=MONEY_PATTERN)] | None,
    "derived-money": Annotated[str, Field(pattern=MONEY_PATTERN)] | None,
    "number": float | None,
}


def _pascal(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


def report_model(report: Report) -> type[ApiModel]:
    """`<Name>Report`: the envelope of one report with its typed rows."""
    fields: dict[str, Any] = {
        column.name: (_TYPES[column.kind], Field(description=_describe(column)))
        for column in report.columns}
    row = create_model(f"{_pascal(report.slug)}Row", __base__=ApiModel, **fields)
    return create_model(
        f"{_pascal(report.slug)}Report", __base__=ApiModel,
        report=(str, Field(description="the report's name")),
        period=(str, Field(description="2026, 2026-H1, 2026-Q2 or 2026-03")),
        gemeenten=(list[str], Field(description="the gemeenten shown")),
        suppressed=(bool, Field(description='true: counts of 1–4 people show as "<5"')),
        rows=(list[row], Field(description=report.summary)),
        illustrative=(list[IllustrativeMark], Field(
            description="figures in this report that are made up for a demonstration, not "
                        "taken from a source (empty for real data)")),
    )


class IllustrativeMark(ApiModel):
    """A figure of a gemeente that is illustrative: demo data, not from a source."""

    gemeente: str = Field(description="CBS code of the gemeente")
    figure: str = Field(description="which figure in the report, briefly")
    note: str = Field(description="what is illustrative and what is from the sources")


def _describe(column: Column) -> str:
    if column.kind == "people":
        return f'{column.description}; "<5" for 1–4 people beyond the gemeente itself'
    if column.kind in ("derived", "derived-money"):
        return f"{column.description}; null where {column.basis} is suppressed"
    return column.description


class TargetIn(ApiModel):
    """A council's places target (SW + PW) for one year."""

    places: int = Field(ge=0, le=1_000_000, description="places to realise")


class TargetOut(ApiModel):
    """A stored target."""

    gemeente: str
    year: int
    places: int
    set_by: str
    set_at: datetime


class TargetList(ApiModel):
    """Targets of the caller's gemeenten."""

    items: list[TargetOut]


class RegionalTargetOut(ApiModel):
    """A stored regional target of an uitvoerder (all its gemeenten together)."""

    organisation: str = Field(description="code of the uitvoerder")
    organisation_name: str = Field(description="name of the uitvoerder")
    year: int
    places: int
    set_by: str
    set_at: datetime


class RegionalTargetList(ApiModel):
    """The caller's own regional targets."""

    items: list[RegionalTargetOut]


class SkippedType(ApiModel):
    """An event type reporting does not know: skipped and counted."""

    event_type: str
    count: int
    last_seen_at: datetime


class ProjectionStatus(ApiModel):
    """What the projections are built from."""

    active_generation: int
    building_generation: int | None
    rebuilt_through: dict[str, int] = Field(
        description="per stream: the last sequence the active generation's rebuild folded")
    skipped_event_types: list[SkippedType]


# A count the board sees: an integer, or "<5" (1–4 people).
BoardCount = int | str


class RegionalCounts(ApiModel):
    """Counts of one gemeente, or of the whole region."""

    places_realised: BoardCount = Field(description="SW + PW at the uitvoerder, period end")
    at_provider: BoardCount = Field(description="PW places at the uitvoerder")
    registrations: BoardCount = Field(description="registered in the period (in-stroom)")
    placements_started: BoardCount = Field(description="placements started in the period")
    closures: BoardCount = Field(description="left the klantreis in the period (uit-stroom)")


class RegionalGemeente(RegionalCounts):
    """One gemeente of the region, as its board sees it."""

    gemeente: str = Field(description="CBS code")
    gemeente_name: str
    places_target: int | None = Field(description="the gemeente's own places target")
    pct_of_target: float | None = Field(description="places realised as % of that target")
    funded_places: int | None = Field(description="places its guidance budget funds")
    illustrative: bool = Field(description="some of its figures are illustrative demo data")


class RegionalReport(ApiModel):
    """All gemeenten of an uitvoerder's board, their exact total against the regional target."""

    organisation: str
    organisation_name: str
    period: str
    previous_period: str | None
    regional_target: int | None = Field(description="the board's places target (SW + PW)")
    pct_of_regional_target: float | None
    gemeenten: list[RegionalGemeente]
    total: RegionalCounts = Field(description='sums: exact, or rounded to tens in a column '
                                  'where a gemeente shows "<5" (see totalRoundedToTens)')
    total_rounded_to_tens: list[str] = Field(description="the fields of total that are rounded")
    previous_total: RegionalCounts | None
    illustrative: list[str] = Field(description="why figures shown are made up for a "
                                    "demonstration, not taken from a source (empty for real "
                                    "data)")
