"""The reference lists diagnose owns (issue 15): the codes its API accepts, with Dutch labels
for the trajectconsulenten and klantmanagers who read them.

Outside api/ because the handlers cite them too: a rule that refuses a code names its list.

Each list is built from the enum or table the code itself uses, so a list cannot drift from what
the API does. Served at GET /v1/reference/{list}; the same codes are the enums of the request
schemas, and a code not on its list is a 400 that names the list and where to read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from pydantic import Field, JsonValue

from services.diagnose.domain.reference import (
    DEFAULT_WAGE_VALUE_METHODS,
    INSTRUMENTS,
    ZRM_DOMAINS,
)
from shared.events.intake import PROGRAMME_LABELS
from shared.events.vocabulary import (
    CONSTRAINTS,
    WERKSOORT_LABELS,
    ConstraintKind,
    DevelopmentPotential,
    DiagnosisOutcome,
    Instrument,
)
from shared.http.reference import ReferenceItem, ReferenceList, gemeenten_list, labelled_list

# Dutch wording of each constraint (FML-style) code; the kind, unit and range come from the
# vocabulary itself, so they cannot differ from what the API checks.
_CONSTRAINT_LABELS: dict[str, str] = {
    "lifting-max-kg": "Tillen, maximaal",
    "standing-max-hours": "Staan, maximaal per dag",
    "walking-max-hours": "Lopen, maximaal per dag",
    "sitting-max-hours": "Zitten, maximaal per dag",
    "work-max-hours-per-day": "Werken, maximaal per dag",
    "no-night-shifts": "Geen nachtdiensten",
    "no-customer-contact": "Geen klantcontact",
    "no-noise": "Geen lawaaiige omgeving",
    "low-pace": "Laag, eigen werktempo",
    "supervision-needed": "Nabije begeleiding nodig",
    "no-heights": "Niet op hoogte werken",
    "no-driving": "Geen voertuigen of machines besturen",
}
_UNITS_NL = {"kg": "kg", "hours": "uur"}


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _constraint_description(code: str) -> str:
    spec = CONSTRAINTS[code]
    if spec.kind is ConstraintKind.FLAG:
        return "Vlag: aanwezig of niet; zonder `value`."
    unit = _UNITS_NL.get(spec.unit or "", spec.unit or "")
    return (f"Grens: `value` in {unit}, van {_number(spec.minimum)} tot en met "
            f"{_number(spec.maximum)} {unit}.")


CONSTRAINT_CODES = ReferenceList(
    "constraint-codes", "Functionele beperkingen",
    "Gecodeerde functionele mogelijkheden (in de trant van de Functionele Mogelijkhedenlijst van "
    "UWV), nooit diagnoses. Matching vergelijkt dezelfde codes met wat de taken van een vacature "
    "vragen.",
    tuple(ReferenceItem(code, _CONSTRAINT_LABELS[code], _constraint_description(code))
          for code in CONSTRAINTS))

ZRM_DOMAIN_LIST = ReferenceList(
    "zrm-domains", "ZRM-domeinen",
    "De 13 domeinen van de Zelfredzaamheid-Matrix (ZRM, versie 2017, GGD Amsterdam), elk "
    "gescoord van 1 (acute problematiek) tot 5 (volledig zelfredzaam).",
    tuple(ReferenceItem(code, label, f"ZRM-domein {label}: score 1 tot en met 5.")
          for code, label in ZRM_DOMAINS.items()))

_METHOD_LABELS: dict[str, str] = {
    "dariuz": "Dariuz",
    "loonwaarde-plus": "Loonwaarde Plus",
    "ergatis": "Ergatis",
    "uwv-loonwaardemeting": "UWV-loonwaardemeting",
}


def wage_value_methods(methods: Sequence[str]) -> ReferenceList:
    """The loonwaarde methods this deployment accepts (DIAGNOSE_WAGE_VALUE_METHODS)."""
    return ReferenceList(
        "wage-value-methods", "Loonwaardemethoden",
        "Methoden waarmee de loonwaarde op de werkplek wordt gemeten (art. 6 Participatiewet: "
        "een gevalideerde, objectieve methode). De regio bepaalt welke methoden zij aanvaardt.",
        tuple(ReferenceItem(code, _METHOD_LABELS.get(code, code),
                            "Een door de regio aanvaarde loonwaardemethode.")
              for code in methods))


_INSTRUMENT_LABELS: dict[Instrument, tuple[str, str]] = {
    Instrument.WERKDIAGNOSE: ("Werkdiagnose", "Een diepgaande werkdiagnose met advies."),
    Instrument.QUICKSCAN: ("Quick Scan", "Een korte eerste inschatting van de mogelijkheden."),
    Instrument.MWD: ("MijnWerkDichtbij", "Werk zelf als diagnose-instrument."),
    Instrument.OAD: ("OAD", "Ontwikkelingsgerichte arbeidsmatige dagbesteding, voor mensen met "
                            "een dagbestedingsindicatie en ontwikkelpotentieel."),
    Instrument.GIDS: ("GIDS-diagnose", "Een GIDS-diagnose."),
}


def _term(instrument: Instrument) -> str:
    spec = INSTRUMENTS[instrument]
    longest = f", ten hoogste {spec.max_months}" if spec.max_months is not None else ""
    return f" Looptijd standaard {spec.default_months} maanden{longest} ({spec.source})."


INSTRUMENT_LIST = ReferenceList(
    "instruments", "Instrumenten",
    "De diagnose-instrumenten van de uitvoerder, met hun standaard- en maximale looptijd.",
    tuple(ReferenceItem(code, label, description + _term(code))
          for code, (label, description) in _INSTRUMENT_LABELS.items()))

DEVELOPMENT_POTENTIALS = ReferenceList(
    "development-potentials", "Ontwikkelpotentieel",
    "Hoe de uitvoerder de groei van de kandidaat inschat, in het advies aan de gemeente.", (
        ReferenceItem(DevelopmentPotential.NONE, "Geen", "Geen ontwikkelpotentieel verwacht."),
        ReferenceItem(DevelopmentPotential.LIMITED, "Beperkt",
                      "Enig ontwikkelpotentieel, in kleine stappen."),
        ReferenceItem(DevelopmentPotential.CLEAR, "Duidelijk",
                      "Duidelijk ontwikkelpotentieel, richting zwaarder of regulier werk."),
    ))

DIAGNOSIS_OUTCOMES = ReferenceList(
    "diagnosis-outcomes", "Uitkomsten diagnose",
    "Hoe een diagnose (of een MWD- of OAD-traject) eindigt; de categorieën waarover de raad "
    "rapportage krijgt.", (
        ReferenceItem(DiagnosisOutcome.ADVICE_GIVEN, "Advies gegeven",
                      "Het advies aan de gemeente is uitgebracht."),
        ReferenceItem(DiagnosisOutcome.THROUGH_TO_WORK, "Doorstroom naar werk",
                      "Doorgestroomd naar werk via de uitvoerder."),
        ReferenceItem(DiagnosisOutcome.REGULAR_WORK, "Regulier werk",
                      "Uitgestroomd naar regulier werk."),
        ReferenceItem(DiagnosisOutcome.OTHER_TRAJECTORY, "Ander traject",
                      "Verder in een ander traject."),
        ReferenceItem(DiagnosisOutcome.BACK_TO_CARE, "Terug naar zorg",
                      "Terug naar zorg of dagbesteding."),
        ReferenceItem(DiagnosisOutcome.VOLUNTEERING, "Vrijwilligerswerk",
                      "Aan de slag als vrijwilliger."),
        ReferenceItem(DiagnosisOutcome.MOVED, "Verhuisd", "Verhuisd naar een andere gemeente."),
        ReferenceItem(DiagnosisOutcome.NO_BENEFIT, "Geen uitkering meer",
                      "De uitkering is beëindigd."),
        ReferenceItem(DiagnosisOutcome.STARTS_LATER, "Start later",
                      "Het traject begint op een later moment."),
        ReferenceItem(DiagnosisOutcome.WITHDRAWN, "Ingetrokken",
                      "De gemeente heeft de verwijzing beëindigd (ander routebesluit of "
                      "afsluiting); wordt door het systeem gezet."),
        ReferenceItem(DiagnosisOutcome.OTHER, "Anders", "Een andere uitkomst."),
    ))

WERKSOORTEN = labelled_list(
    "werksoorten", "Werksoorten",
    "Soorten werk: de interesses van een kandidaat (uit de werkdiagnose); matching gebruikt "
    "dezelfde codes voor de sector van een werkgever en de werksoort van een vacature.",
    WERKSOORT_LABELS)

PROGRAMMES = labelled_list(
    "programmes", "Programma's",
    "Het programma dat de uitvoerder adviseert (de gemeente besluit).",
    PROGRAMME_LABELS)

GEMEENTEN_LIST = gemeenten_list(
    "Gemeenten met hun CBS-code: de woongemeente in het werkprofiel.")

STATIC_LISTS: tuple[ReferenceList, ...] = (
    CONSTRAINT_CODES, ZRM_DOMAIN_LIST, INSTRUMENT_LIST, DEVELOPMENT_POTENTIALS,
    DIAGNOSIS_OUTCOMES, WERKSOORTEN, PROGRAMMES, GEMEENTEN_LIST)


def lists_for(methods: Sequence[str]) -> tuple[ReferenceList, ...]:
    """Every list diagnose serves; the loonwaarde methods are this deployment's."""
    return (*STATIC_LISTS[:2], wage_value_methods(methods), *STATIC_LISTS[2:])


# The method is checked against the deployment's configured list in the handler (a region may
# accept other methods); the schema shows the default list as the enum an integrator reads.
_DEFAULT_METHODS: list[JsonValue] = list(DEFAULT_WAGE_VALUE_METHODS)
MethodCode = Annotated[str, Field(max_length=40, json_schema_extra={
    "enum": _DEFAULT_METHODS,
    "description": "A code of /v1/reference/wage-value-methods (the accepted methods of this "
                   "deployment; the defaults are shown)."})]
