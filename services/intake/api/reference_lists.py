"""The reference lists intake owns (issue 15): the codes its API accepts, with Dutch labels for
the klantmanagers who read them.

Each list is built from the enum the code itself uses; `enum_type()` refuses to make a field type
from a list that differs from its enum, so a list cannot drift from what the API does. Served at
GET /v1/reference/{list}; the same codes are the enums of the request schemas, and a code not on
its list is a 400 that names the list and where to read it.
"""

from __future__ import annotations

from datetime import date

from services.intake.domain.candidate import Benefit, TargetGroup
from shared.events.intake import (
    PROGRAMME_LABELS,
    ClosureReason,
    IndicationDecision,
    ReferralQuestion,
    Route,
    UwvAdviceOutcome,
)
from shared.http.reference import ReferenceItem, ReferenceList, gemeenten_list, labelled_list
from shared.organisations import ORGANISATIONS, PROVIDERS

# The Participatiewet took effect on 1 January 2015: beschut werk (art. 10b) exists from then,
# and the Wsw has taken no new employees since (DOMAIN.md).
PARTICIPATIEWET_IN_FORCE = date(2015, 1, 1)

ROUTES = ReferenceList(
    "routes", "Routes",
    "Het routebesluit van de klantmanager werk na de intake bij de gemeente.", (
        ReferenceItem(Route.EXEMPT, "Vrijstelling",
                      "Vrijgesteld van de arbeids- en re-integratieverplichtingen."),
        ReferenceItem(Route.CARE, "Zorgtraject", "Eerst een zorgtraject; geen werktraject nu."),
        ReferenceItem(Route.REGULAR_WORK, "Regulier werk",
                      "Direct naar regulier werk, zonder uitvoerder."),
        ReferenceItem(Route.REFER, "Verwijzen naar uitvoerder",
                      "Verwijzen naar een uitvoerder (sociaal werkbedrijf) voor een werkdiagnose "
                      "of ander instrument; vraagt `provider` en `question`."),
    ))

PROGRAMMES = labelled_list(
    "programmes", "Programma's",
    "Het programma dat de gemeente besluit, uitgevoerd door de uitvoerder (WSD-portfolio).",
    PROGRAMME_LABELS)

TARGET_GROUPS = ReferenceList(
    "target-groups", "Doelgroepen",
    "De doelgroep van de kandidaat bij de registratie.", (
        ReferenceItem(TargetGroup.BIJSTAND, "Bijstandsgerechtigde",
                      "Ontvangt een bijstandsuitkering (Participatiewet)."),
        ReferenceItem(TargetGroup.NIEUW_BESCHUT, "Nieuw beschut",
                      "Komt in aanmerking voor beschut werk (art. 10b Participatiewet, sinds "
                      "1 januari 2015).", valid_from=PARTICIPATIEWET_IN_FORCE),
        ReferenceItem(TargetGroup.WSW_INDICATIE, "Wsw-indicatie",
                      "Heeft een Wsw-indicatie van vóór 2015 (wachtlijst); de Wsw neemt sinds "
                      "1 januari 2015 niemand nieuw in dienst."),
        ReferenceItem(TargetGroup.VERGUNNINGHOUDER, "Vergunninghouder",
                      "Statushouder met een verblijfsvergunning, vaak ook inburgeringsplichtig."),
        ReferenceItem(TargetGroup.JONGERE, "Jongere", "Jongere tot 27 jaar."),
        ReferenceItem(TargetGroup.NIET_UITKERINGSGERECHTIGDE, "Niet-uitkeringsgerechtigde",
                      "Ontvangt geen uitkering maar hoort bij de doelgroep (nugger)."),
    ))

BENEFITS = ReferenceList(
    "benefits", "Uitkeringen",
    "De uitkering die de kandidaat ontvangt bij de registratie.", (
        ReferenceItem(Benefit.BIJSTAND, "Bijstand", "Bijstandsuitkering (Participatiewet)."),
        ReferenceItem(Benefit.IOAW, "IOAW", "Inkomensvoorziening oudere werkloze werknemers."),
        ReferenceItem(Benefit.IOAZ, "IOAZ",
                      "Inkomensvoorziening oudere gewezen zelfstandigen."),
        ReferenceItem(Benefit.ANW, "Anw", "Algemene nabestaandenwet."),
        ReferenceItem(Benefit.WW, "WW", "Werkloosheidswet (UWV)."),
        ReferenceItem(Benefit.WAJONG, "Wajong",
                      "Arbeidsongeschiktheidsvoorziening jonggehandicapten"
                      " (UWV)."),
        ReferenceItem(Benefit.NONE, "Geen uitkering", "Ontvangt geen uitkering."),
    ))

REFERRAL_QUESTIONS = ReferenceList(
    "referral-questions", "Verwijsvragen",
    "Wat de gemeente de uitvoerder vraagt bij een verwijzing: een code, nooit vrije tekst.", (
        ReferenceItem(ReferralQuestion.WERKDIAGNOSE, "Werkdiagnose",
                      "Een diepgaande werkdiagnose met advies aan de gemeente."),
        ReferenceItem(ReferralQuestion.QUICKSCAN, "Quick Scan",
                      "Een korte eerste inschatting van de mogelijkheden."),
        ReferenceItem(ReferralQuestion.MWD, "MijnWerkDichtbij",
                      "Werk zelf als diagnose-instrument (3 maanden, tijdens corona 6)."),
        ReferenceItem(ReferralQuestion.OAD, "OAD",
                      "Ontwikkelingsgerichte arbeidsmatige dagbesteding (6–12 maanden), voor "
                      "mensen met een dagbestedingsindicatie en ontwikkelpotentieel."),
        ReferenceItem(ReferralQuestion.GIDS, "GIDS-diagnose", "Een GIDS-diagnose."),
        ReferenceItem(ReferralQuestion.LOONWAARDEMETING, "Loonwaardemeting",
                      "Een loonwaardemeting op de werkplek met een gevalideerde methode."),
    ))

CLOSURE_REASONS = ReferenceList(
    "closure-reasons", "Redenen van afsluiten",
    "Waarom de klantreis van de kandidaat eindigt.", (
        ReferenceItem(ClosureReason.WORK, "Werk", "Aan het werk."),
        ReferenceItem(ClosureReason.MOVED, "Verhuisd", "Verhuisd naar een andere gemeente."),
        ReferenceItem(ClosureReason.CARE, "Zorg", "Naar zorg; geen werktraject meer."),
        ReferenceItem(ClosureReason.NO_BENEFIT, "Geen uitkering meer",
                      "De uitkering is beëindigd."),
        ReferenceItem(ClosureReason.DECEASED, "Overleden", "Overleden."),
        ReferenceItem(ClosureReason.OTHER, "Anders", "Een andere reden."),
    ))

UWV_ADVICE_OUTCOMES = ReferenceList(
    "uwv-advice-outcomes", "Uitkomsten UWV-advies beschut werk",
    "Wat UWV adviseert over een indicatie beschut werk (art. 10b Participatiewet).", (
        ReferenceItem(UwvAdviceOutcome.POSITIVE, "Positief",
                      "De kandidaat kan alleen in een beschutte omgeving werken.",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
        ReferenceItem(UwvAdviceOutcome.NEGATIVE, "Negatief",
                      "De kandidaat is niet aangewezen op beschut werk.",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
    ))

INDICATION_DECISIONS = ReferenceList(
    "indication-decisions", "Besluiten indicatie beschut werk",
    "Het besluit van het college na het advies van UWV (art. 10b Participatiewet).", (
        ReferenceItem(IndicationDecision.GRANTED, "Toegekend",
                      "De indicatie beschut werk is toegekend.",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
        ReferenceItem(IndicationDecision.REFUSED, "Afgewezen",
                      "De indicatie beschut werk is afgewezen.",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
    ))

GEMEENTEN_LIST = gemeenten_list(
    "Gemeenten met hun CBS-code, zoals tokens, events en rapporten ze noemen.")

PROVIDERS_LIST = ReferenceList(
    "providers", "Uitvoerders",
    "Uitvoerders (sociale werkbedrijven, regionale entiteiten) waarnaar een gemeente verwijst.",
    tuple(ReferenceItem(code, ORGANISATIONS[code].name, f"Uitvoerder {ORGANISATIONS[code].name}.")
          for code in sorted(PROVIDERS)))

LISTS: tuple[ReferenceList, ...] = (
    ROUTES, PROGRAMMES, TARGET_GROUPS, BENEFITS, REFERRAL_QUESTIONS, CLOSURE_REASONS,
    UWV_ADVICE_OUTCOMES, INDICATION_DECISIONS, GEMEENTEN_LIST, PROVIDERS_LIST)

