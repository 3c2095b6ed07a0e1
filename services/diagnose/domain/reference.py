"""Reference data of the werkdiagnose, in one place, each with its source.

Defaults a region may change through settings are marked as such; the rest are definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events.vocabulary import Instrument

# Zelfredzaamheid-Matrix (ZRM), version 2017, GGD Amsterdam / zrm.nl: 13 life domains, each
# scored 1 (acute problems) to 5 (fully self-sufficient).
ZRM_DOMAINS: dict[str, str] = {
    "financien": "Financiën",
    "werk-en-opleiding": "Werk & opleiding",
    "tijdsbesteding": "Tijdsbesteding",
    "huisvesting": "Huisvesting",
    "huiselijke-relaties": "Huiselijke relaties",
    "geestelijke-gezondheid": "Geestelijke gezondheid",
    "lichamelijke-gezondheid": "Lichamelijke gezondheid",
    "middelengebruik": "Middelengebruik",
    "basale-adl": "Basale ADL",
    "instrumentele-adl": "Instrumentele ADL",
    "sociaal-netwerk": "Sociaal netwerk",
    "maatschappelijke-participatie": "Maatschappelijke participatie",
    "justitie": "Justitie",
}
ZRM_MIN_SCORE, ZRM_MAX_SCORE = 1, 5


@dataclass(frozen=True)
class InstrumentSpec:
    """How long an instrument runs by default and at most, in months (None: no maximum)."""

    default_months: int
    max_months: int | None
    source: str


INSTRUMENTS: dict[Instrument, InstrumentSpec] = {
    # WSD lokaal plan Boxtel 2021–2025: MWD runs 3 months, extended to 6 during corona.
    Instrument.MWD: InstrumentSpec(3, 6, "WSD lokaal plan Boxtel 2021–2025 (MWD pilot)"),
    # Same plan: OAD is a 6–12 month trajectory for people with development potential.
    Instrument.OAD: InstrumentSpec(6, 12, "WSD lokaal plan Boxtel 2021–2025 (OAD)"),
    # No duration in the seeds; regional default, changeable per agreement with the gemeente.
    Instrument.WERKDIAGNOSE: InstrumentSpec(2, 6, "regional default (no statutory term)"),
    Instrument.QUICKSCAN: InstrumentSpec(1, 2, "regional default (no statutory term)"),
    Instrument.GIDS: InstrumentSpec(2, 6, "regional default (no statutory term)"),
}

# Loonwaarde methods the region accepts (Participatiewet art. 6: a validated, objective method
# measured at the workplace). The list is configuration (DIAGNOSE_WAGE_VALUE_METHODS); these
# are the defaults, named after methods commonly used by gemeenten and SW-bedrijven.
DEFAULT_WAGE_VALUE_METHODS: tuple[str, ...] = ("dariuz", "loonwaarde-plus", "ergatis",
                                               "uwv-loonwaardemeting")

# Regeling loonkostensubsidie: the wage value is re-assessed periodically; yearly by default,
# longer for beschut werk. The months are configuration (DIAGNOSE_REASSESSMENT_MONTHS).
DEFAULT_REASSESSMENT_MONTHS = 12
