"""The reference lists matching owns (issue 15): the codes its API accepts, with Dutch labels
for the accountmanagers and klantmanagers who read them.

Each list is built from the enum or tuple the code itself uses, and `enum_type()` refuses to make
a field type from a list that differs from its enum, so a list cannot drift from what the API
does. Served at GET /v1/reference/{list}; the same codes are the enums of the request schemas,
and a code not on its list is a 400 that names the list.
"""

from __future__ import annotations

from datetime import date

from services.matching.domain.webhook_events import SUBSCRIBABLE
from shared.events.matching import PlacementEndReason, PlacementForm, ProposalOutcome
from shared.events.vocabulary import WERKSOORT_LABELS
from shared.http.reference import ReferenceItem, ReferenceList, labelled_list

# The Participatiewet took effect on 1 January 2015: loonkostensubsidie (art. 10d) and beschut
# werk (art. 10b) exist from then, and the Wsw has taken no new employees since (DOMAIN.md).
PARTICIPATIEWET_IN_FORCE = date(2015, 1, 1)
LAST_WSW_INFLOW = date(2014, 12, 31)

WERKSOORTEN = labelled_list(
    "werksoorten", "Werksoorten",
    "Soorten werk: de sector van een werkgever, de werksoort van een vacature en de interesses "
    "van een kandidaat (uit de werkdiagnose) gebruiken dezelfde codes.", WERKSOORT_LABELS)

PLACEMENT_FORMS = ReferenceList(
    "placement-forms", "Plaatsingsvormen",
    "Hoe een kandidaat bij een werkgever aan de slag gaat; de vorm bepaalt de regels van de "
    "plaatsing (proeftijd, loon, indicatie) en wat finance en de rapportage ermee doen.", (
        ReferenceItem(PlacementForm.TRIAL, "Proefplaatsing",
                      "Werken met behoud van uitkering, zonder loon; ten hoogste 3 maanden "
                      "(2 maanden via UWV), met een geplande einddatum."),
        ReferenceItem(PlacementForm.LKS, "Dienstverband met loonkostensubsidie",
                      "Een arbeidsovereenkomst; de gemeente compenseert de werkgever voor het "
                      "verschil tussen loonwaarde en loon (Participatiewet art. 10d).",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
        ReferenceItem(PlacementForm.REGULAR, "Regulier dienstverband",
                      "Een gewone baan zonder subsidie."),
        ReferenceItem(PlacementForm.SHELTERED, "Beschut werk",
                      "Een dienstbetrekking in een beschutte omgeving (Participatiewet art. "
                      "10b); vraagt een toegekende indicatie beschut werk na advies van UWV.",
                      valid_from=PARTICIPATIEWET_IN_FORCE),
        ReferenceItem(PlacementForm.SECONDMENT, "Detachering",
                      "De kandidaat is in dienst van de uitvoerder en werkt bij de werkgever."),
        ReferenceItem(PlacementForm.WSW, "Wsw-dienstverband",
                      "Sociale werkvoorziening (oude regeling): geen nieuwe instroom sinds "
                      "1 januari 2015; bestaande Wsw-dienstverbanden lopen door en nemen af "
                      "door natuurlijk verloop.", valid_to=LAST_WSW_INFLOW),
    ))

PLACEMENT_END_REASONS = ReferenceList(
    "placement-end-reasons", "Redenen einde plaatsing",
    "Waarom een plaatsing eindigde (POST /v1/placements/{placementId}/endings).", (
        ReferenceItem(PlacementEndReason.COMPLETED, "Geplande einddatum bereikt",
                      "De plaatsing liep af zoals gepland."),
        ReferenceItem(PlacementEndReason.REGULAR_JOB, "Doorgestroomd naar regulier werk",
                      "De kandidaat heeft een reguliere baan gevonden."),
        ReferenceItem(PlacementEndReason.CONTRACT_NOT_RENEWED, "Contract niet verlengd",
                      "Het contract is afgelopen en niet verlengd."),
        ReferenceItem(PlacementEndReason.EMPLOYER_ENDED, "Beëindigd door de werkgever",
                      "De werkgever heeft de plaatsing beëindigd."),
        ReferenceItem(PlacementEndReason.CANDIDATE_LEFT, "Vertrokken op eigen initiatief",
                      "De kandidaat is zelf gestopt."),
        ReferenceItem(PlacementEndReason.SICKNESS, "Ziekte",
                      "De plaatsing eindigde door ziekte van de kandidaat."),
        ReferenceItem(PlacementEndReason.MOVED, "Verhuisd",
                      "De kandidaat is verhuisd buiten het werkgebied."),
        ReferenceItem(PlacementEndReason.OTHER, "Anders", "Een andere reden."),
    ))

PROPOSAL_OUTCOMES = ReferenceList(
    "proposal-outcomes", "Uitkomsten van een voorstel",
    "Hoe een voorstel van een kandidaat aan een werkgever afliep (de afsluitende statussen van "
    "POST /v1/proposals/{proposalId}/status-changes; `interview` is een tussenstap).", (
        ReferenceItem(ProposalOutcome.ACCEPTED, "Aangenomen",
                      "De werkgever neemt de kandidaat aan; een plaatsing kan hierop volgen."),
        ReferenceItem(ProposalOutcome.DECLINED, "Afgewezen",
                      "De werkgever of de kandidaat heeft het voorstel afgewezen."),
        ReferenceItem(ProposalOutcome.WITHDRAWN, "Ingetrokken",
                      "De accountmanager heeft het voorstel ingetrokken."),
    ))

_EVENT_LABELS: dict[str, tuple[str, str]] = {
    "matching.vacancy-published": (
        "Vacature gepubliceerd",
        "Een vacature (of een gecarvede baan) staat open voor matching, of is gewijzigd."),
    "matching.vacancy-closed": (
        "Vacature gesloten", "Een vacature is ingetrokken of vervuld."),
    "matching.candidate-proposed": (
        "Kandidaat voorgesteld", "Een kandidaat is aan een werkgever voorgesteld."),
    "matching.proposal-closed": (
        "Voorstel afgerond", "Een voorstel is aangenomen, afgewezen of ingetrokken."),
    "matching.placement-started": (
        "Plaatsing gestart", "Een kandidaat is begonnen bij een werkgever."),
    "matching.placement-ended": (
        "Plaatsing beëindigd", "Een plaatsing is geëindigd, met de reden."),
    "matching.webhook-delivery-failed": (
        "Webhook-aflevering mislukt",
        "Een aflevering aan een abonnement is na de laatste poging opgegeven."),
    "finance.budget-exceeded": (
        "Budget overschreden",
        "De realisatie van een begrotingsregel (begeleiding of loonkostensubsidie) is voor "
        "het eerst in het jaar boven het budget gekomen. Alleen voor de gemeente en de "
        "uitvoerders die voor haar werken, niet voor een werkgeversservicepunt."),
}


def _event_item(ce_type: str) -> ReferenceItem:
    short = ce_type.removeprefix("nl.participatiewet.")
    label, description = _EVENT_LABELS[short]
    return ReferenceItem(ce_type, label, description)


WEBHOOK_EVENT_TYPES = ReferenceList(
    "webhook-event-types", "Webhook-gebeurtenissen",
    "De gebeurtenissen waarop een organisatie zich kan abonneren (POST "
    "/v1/webhook-subscriptions): die van matching zelf en finance.budget-exceeded, altijd "
    "binnen de gemeenten van het token.",
    tuple(_event_item(t) for t in SUBSCRIBABLE))

LISTS = (WERKSOORTEN, PLACEMENT_FORMS, PLACEMENT_END_REASONS, PROPOSAL_OUTCOMES,
         WEBHOOK_EVENT_TYPES)

