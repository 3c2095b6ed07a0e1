"""The reference lists finance owns (issue 15): the codes its API accepts and answers with, with
Dutch labels for the klantmanagers, controllers and accountmanagers who read them.

Each list is built from the code that uses the codes (the plausibility bounds, the refusal
reasons of the catalogue, the stored statuses), so a list cannot drift from what the API does;
tests/finance/test_reference_lists.py checks that too. Served at GET /v1/reference/{list}.
"""

from __future__ import annotations

from datetime import date

from services.finance.domain.parameters import Code, youth_share_code
from services.finance.domain.plausibility import (
    BOUNDS,
    EUR_PER_HOUR,
    EUR_PER_MONTH,
    MONTHS,
    PERCENT,
    YOUTH_AGES,
)
from services.finance.domain.seed import PARTICIPATIEWET_IN_FORCE, official_parameters
from services.finance.domain.statuses import ACTIVE, COMPLETED, ENDED, PENDING, REFUSED, RUNNING
from shared.events.finance import BudgetLine, LksRefusalReason
from shared.http.reference import ReferenceItem, ReferenceList

# The hourly WML exists from its first seeded row (the Wet invoering minimumuurloon); before it
# the WML was a monthly amount, which this code never held.
_FIRST_HOURLY_WML = min(row.effective_from for row in official_parameters()
                        if row.code == Code.WML_HOURLY)

_PARAMETERS: dict[str, tuple[str, str, date | None]] = {
    Code.WML_HOURLY: (
        "Wettelijk minimumloon per uur (21 jaar en ouder)",
        "Het wettelijk minimumloon (WML) per uur vanaf 21 jaar; geïndexeerd op 1 januari en "
        "1 juli. Grondslag van de loonkostensubsidie en van de loonondergrens.",
        _FIRST_HOURLY_WML),
    Code.HOLIDAY_PAY: (
        "Vakantiebijslag",
        "De minimumvakantiebijslag als percentage van het loon; de loonkostensubsidie wordt "
        "ermee verhoogd.", None),
    Code.EMPLOYER_COST_ALLOWANCE: (
        "Opslag werkgeverslasten",
        "Forfaitaire opslag voor werkgeverslasten op de loonkostensubsidie (Regeling "
        "loonkostensubsidie Participatiewet).", PARTICIPATIEWET_IN_FORCE),
    Code.LKS_CAP: (
        "Maximum loonkostensubsidie",
        "De loonkostensubsidie per uur is ten hoogste dit percentage van het WML "
        "(Participatiewet art. 10d).", PARTICIPATIEWET_IN_FORCE),
    Code.REASSESSMENT_MONTHS: (
        "Termijn herbeoordeling loonwaarde",
        "Na zoveel maanden wordt de loonwaarde opnieuw vastgesteld (standaard jaarlijks).",
        PARTICIPATIEWET_IN_FORCE),
    Code.BIJSTAND_NORM_SINGLE: (
        "Bijstandsnorm alleenstaande per maand",
        "De norm voor een alleenstaande van 21 jaar tot de AOW-leeftijd, inclusief "
        "vakantietoeslag (Participatiewet art. 21): de vergelijking LKS-baan tegenover "
        "bijstand.", PARTICIPATIEWET_IN_FORCE),
    **{youth_share_code(age): (
        f"Jeugdminimumloon {age} jaar",
        f"Het minimumloon van een werknemer van {age} jaar als percentage van het WML; de "
        "loonkostensubsidie wordt berekend op dit jeugd-WML.", None) for age in YOUTH_AGES},
}

PARAMETER_CODES = ReferenceList(
    "parameter-codes", "Wettelijke parameters",
    "De codes van de wettelijke parameters die finance met ingangsdatum en bron bijhoudt "
    "(POST /v1/parameters, alleen de platformbeheerder); elk met zijn eenheid.",
    tuple(ReferenceItem(str(code), label, description, valid_from=valid_from,
                        unit=BOUNDS[code].unit)
          for code, (label, description, valid_from) in sorted(_PARAMETERS.items())))

PARAMETER_UNITS = ReferenceList(
    "parameter-units", "Eenheden van parameters",
    "De eenheid bij een parameterwaarde; elke parametercode heeft precies één eenheid.",
    (ReferenceItem(EUR_PER_HOUR, "Euro per uur", "Een bedrag in euro per uur."),
     ReferenceItem(EUR_PER_MONTH, "Euro per maand", "Een bedrag in euro per maand."),
     ReferenceItem(PERCENT, "Procent", "Een percentage (100 = het geheel)."),
     ReferenceItem(MONTHS, "Maanden", "Een aantal hele maanden.")))

_REFUSALS: dict[LksRefusalReason, tuple[str, str, date | None]] = {
    LksRefusalReason.NOT_IN_TARGET_GROUP: (
        "Niet tot de doelgroep",
        "De werknemer behoort niet tot de doelgroep loonkostensubsidie (Participatiewet "
        "art. 10d).", None),
    LksRefusalReason.FULL_WAGE_CAPACITY: (
        "Volledig loonvermogen",
        "Loonwaarde 100 %: de werknemer kan het minimumloon zelf verdienen; er is geen "
        "verschil te overbruggen.", None),
    LksRefusalReason.NO_SHELTERED_INDICATION: (
        "Geen indicatie beschut werk",
        "Een beschutte werkplek zonder geldende indicatie beschut werk van het college "
        "(Participatiewet art. 10b, na advies van UWV).", PARTICIPATIEWET_IN_FORCE),
    LksRefusalReason.WAGE_BELOW_MINIMUM: (
        "Loon onder het minimumloon",
        "Het loon ligt onder het minimumloon dat voor de werknemer geldt (WML, of het "
        "jeugd-WML voor zijn leeftijd).", None),
    LksRefusalReason.OTHER: (
        "Andere reden", "Een andere reden, toegelicht in de beschikking aan de werkgever.",
        None),
}

LKS_REFUSAL_REASONS = ReferenceList(
    "lks-refusal-reasons", "Redenen afwijzing loonkostensubsidie",
    "Waarom het college loonkostensubsidie aan de werkgever afwijst "
    "(POST /v1/grants/{grantId}/refusals).",
    tuple(ReferenceItem(reason.value, label, description, valid_from=valid_from)
          for reason, (label, description, valid_from) in _REFUSALS.items()))

BUDGET_LINES = ReferenceList(
    "budget-lines", "Begrotingsregels",
    "De regels van het budget dat een gemeente per jaar vaststelt (PUT /v1/budgets/{gemeente}/"
    "{year}); een overschrijding wordt gemeld als finance.budget-exceeded met deze code.",
    (ReferenceItem(BudgetLine.GUIDANCE.value, "Begeleiding",
                   "Begeleidingsbudget: gefinancierde plaatsen × prijs per plaats, tegenover "
                   "de Participatiewet-plaatsen bij de uitvoerder op de peildatum "
                   "(proefplaatsing, LKS, beschut werk); plaatsen daarboven betaalt de "
                   "stimuleringsreserve van de uitvoerder."),
     ReferenceItem(BudgetLine.LKS.value, "Loonkostensubsidie",
                   "LKS-budget tegenover de in het jaar betaalde loonkostensubsidie.")))

PAYMENT_RUN_STATUSES = ReferenceList(
    "payment-run-statuses", "Status betaalrun",
    "Hoe ver een maandelijkse betaalrun van een gemeente is (GET /v1/payment-runs/{runId}).",
    (ReferenceItem(RUNNING, "Loopt",
                   "De run betaalt de toegekende subsidies van de maand in delen; volg "
                   "processed tegenover totalGrants."),
     ReferenceItem(COMPLETED, "Voltooid",
                   "Alle subsidies van de maand zijn verwerkt; de betaalregels staan vast.")))

GRANT_STATUSES = ReferenceList(
    "grant-statuses", "Status subsidie",
    "De status van een loonkostensubsidie aan een werkgever voor één plaatsing "
    "(GET /v1/grants?status=).",
    (ReferenceItem(PENDING, "In behandeling",
                   "Finance heeft de subsidie berekend; het college heeft nog niet besloten. "
                   "Wordt niet betaald."),
     ReferenceItem(ACTIVE, "Toegekend",
                   "Het college heeft de subsidie toegekend (beschikking met besluitnummer); "
                   "wordt betaald vanaf de volgende betaalrun."),
     ReferenceItem(ENDED, "Beëindigd",
                   "Toegekend, maar de plaatsing is geëindigd; betaald tot de einddatum."),
     ReferenceItem(REFUSED, "Afgewezen",
                   "Het college heeft de subsidie afgewezen, met een reden uit "
                   "lks-refusal-reasons; wordt nooit betaald.")))

LISTS = (PARAMETER_CODES, PARAMETER_UNITS, LKS_REFUSAL_REASONS, BUDGET_LINES,
         PAYMENT_RUN_STATUSES, GRANT_STATUSES)
