"""Coded vocabularies that cross service boundaries in events.

Functional constraints travel as codes (FML-style: the UWV Functionele Mogelijkhedenlijst
describes capacities per item), never as diagnoses. Diagnose records them on a candidate;
matching uses the same codes for what a vacancy's tasks demand, so the two can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ConstraintKind(StrEnum):
    """How a constraint is expressed."""

    FLAG = "flag"  # present or not (e.g. no night shifts)
    LIMIT = "limit"  # a maximum the person can manage, in `unit`


@dataclass(frozen=True)
class ConstraintSpec:
    """One code of the vocabulary: its kind, unit and plausible range."""

    code: str
    kind: ConstraintKind
    description: str
    unit: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None


_SPECS = (
    ConstraintSpec("lifting-max-kg", ConstraintKind.LIMIT, "Can lift at most", "kg",
                   Decimal(0), Decimal(50)),
    ConstraintSpec("standing-max-hours", ConstraintKind.LIMIT, "Can stand at most, per day",
                   "hours", Decimal(0), Decimal(12)),
    ConstraintSpec("walking-max-hours", ConstraintKind.LIMIT, "Can walk at most, per day",
                   "hours", Decimal(0), Decimal(12)),
    ConstraintSpec("sitting-max-hours", ConstraintKind.LIMIT, "Can sit at most, per day",
                   "hours", Decimal(0), Decimal(12)),
    ConstraintSpec("work-max-hours-per-day", ConstraintKind.LIMIT, "Can work at most, per day",
                   "hours", Decimal(1), Decimal(12)),
    ConstraintSpec("no-night-shifts", ConstraintKind.FLAG, "Cannot work night shifts"),
    ConstraintSpec("no-customer-contact", ConstraintKind.FLAG, "Cannot handle customer contact"),
    ConstraintSpec("no-noise", ConstraintKind.FLAG, "Cannot work in a noisy environment"),
    ConstraintSpec("low-pace", ConstraintKind.FLAG, "Needs a low, self-paced work tempo"),
    ConstraintSpec("supervision-needed", ConstraintKind.FLAG, "Needs close supervision"),
    ConstraintSpec("no-heights", ConstraintKind.FLAG, "Cannot work at heights"),
    ConstraintSpec("no-driving", ConstraintKind.FLAG, "Cannot drive vehicles or machines"),
)
CONSTRAINTS: dict[str, ConstraintSpec] = {spec.code: spec for spec in _SPECS}


class Werksoort(StrEnum):
    """Kinds of work (interests of a candidate, sector of a vacancy), as the seeds name them."""

    LOGISTIEK = "logistiek"
    ZORG = "zorg"
    HORECA = "horeca"
    DETAILHANDEL = "detailhandel"
    SCHOONMAAK = "schoonmaak"
    GROEN = "groen"
    PRODUCTIE = "productie"
    ADMINISTRATIE = "administratie"
    BOUW = "bouw"
    TECHNIEK = "techniek"
    FACILITAIR = "facilitair"


# Dutch label and description of each werksoort: one wording for diagnose (interests) and
# matching (sectors, vacancies), served by both as the reference list `werksoorten`.
WERKSOORT_LABELS: dict[Werksoort, tuple[str, str]] = {
    Werksoort.LOGISTIEK: (
        "Logistiek", "Magazijn, orderpicken, inpakken, transport en distributie."),
    Werksoort.ZORG: (
        "Zorg en welzijn", "Ondersteunend werk in zorg en welzijn (geen BIG-beroepen)."),
    Werksoort.HORECA: ("Horeca", "Keuken, bediening, catering."),
    Werksoort.DETAILHANDEL: (
        "Detailhandel", "Winkel: vakken vullen, kassa, magazijn van de winkel."),
    Werksoort.SCHOONMAAK: (
        "Schoonmaak", "Schoonmaak van gebouwen, kantoren en openbare ruimte."),
    Werksoort.GROEN: ("Groenvoorziening", "Groenonderhoud, tuinen, plantsoenen en kwekerij."),
    Werksoort.PRODUCTIE: (
        "Productie", "Productie, montage en assemblage, verpakken in een productieomgeving."),
    Werksoort.ADMINISTRATIE: (
        "Administratie", "Administratief werk: archief, post, invoer, receptie."),
    Werksoort.BOUW: ("Bouw", "Bouw, sloop en onderhoud van gebouwen."),
    Werksoort.TECHNIEK: (
        "Techniek", "Technisch werk: metaal, installatie, onderhoud van machines."),
    Werksoort.FACILITAIR: (
        "Facilitaire dienstverlening",
        "Facilitair: kantine, beveiliging, post- en koeriersdienst, conciërge."),
}


class Instrument(StrEnum):
    """Diagnostic instruments of the uitvoerders."""

    WERKDIAGNOSE = "werkdiagnose"
    QUICKSCAN = "quickscan"
    MWD = "mijn-werk-dichtbij"
    OAD = "oad"
    GIDS = "gids"


class DevelopmentPotential(StrEnum):
    """The uitvoerder's view of the candidate's growth."""

    NONE = "none"
    LIMITED = "limited"
    CLEAR = "clear"


class DiagnosisOutcome(StrEnum):
    """How a diagnosis (or an MWD/OAD trajectory) ended; the seeds' reporting categories."""

    ADVICE_GIVEN = "advice-given"
    THROUGH_TO_WORK = "through-to-work"
    REGULAR_WORK = "regular-work"
    OTHER_TRAJECTORY = "other-trajectory"
    BACK_TO_CARE = "back-to-care"
    VOLUNTEERING = "volunteering"
    MOVED = "moved"
    NO_BENEFIT = "no-benefit"
    STARTS_LATER = "starts-later"
    WITHDRAWN = "withdrawn"
    OTHER = "other"
