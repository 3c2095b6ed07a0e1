"""The reference lists reporting owns (GET /v1/reference): its reports, the kinds of period it
accepts, and the statuses of a lokaal-plan action. Labels are Dutch: the people reading them are
controllers, klantmanagers and council members."""

from __future__ import annotations

from services.reporting.reports import all_reports
from shared.http.reference import ReferenceItem, ReferenceList

_REPORT_LABELS = {
    "overview": ("Kerncijfers", "In-, door- en uitstroom in de periode; plaatsen, budget en "
                 "LKS aan het einde ervan."),
    "trajectories": ("Uitkomsten MWD en OAD", "MijnWerkDichtbij en OAD: verwezen, gestart, "
                     "afgerond per uitkomst, einddiagnose binnen 3 maanden, na 6 maanden nog "
                     "aan het werk."),
    "lead-times": ("Doorlooptijden", "Dagen van aanmelding tot diagnose, programmabesluit en "
                   "plaatsing (mediaan en 90e percentiel)."),
    "registrations": ("Aanmeldingen naar doelgroep", "Instroom: aangemelde kandidaten per "
                      "doelgroep."),
    "referrals": ("Verwijzingen naar uitvoerder", "Verwijzingen naar een uitvoerder, per "
                  "uitvoerder."),
    "diagnoses": ("Werkdiagnoses naar instrument en uitkomst", "Gestarte en afgeronde "
                  "werkdiagnoses per instrument en uitkomst."),
    "decisions": ("Route-, advies- en programmabesluiten", "Routebesluiten, adviezen van de "
                  "uitvoerder, indicaties, programmabesluiten en besluiten over beschut werk."),
    "outflow": ("Uitstroom", "Beëindigde plaatsingen en kandidaten die de klantreis verlaten, "
                "per reden."),
    "placements": ("Plaatsingen naar vorm", "Per vorm (proefplaatsing, LKS, regulier, beschut "
                   "werk, detachering, Wsw): gestart, beëindigd en lopend op de laatste dag."),
    "places": ("Plaatsen gerealiseerd en taakstelling", "Gerealiseerde plaatsen (SW + PW bij "
               "de uitvoerder) op elk maandeinde, tegen de taakstelling van de raad."),
    "budget": ("Realisatie begeleidingsbudget", "PW-plaatsen bij de uitvoerder op de peildag "
               "tegen de gefinancierde plaatsen van het begeleidingsbudget."),
    "lks": ("Loonkostensubsidie", "LKS-toekenningen, wijzigingen, beëindigingen en weigeringen; "
            "lopende subsidies met hun maandbedragen; betalingen in de periode."),
    "youth": ("Jongeren (16–27) naar leeftijd en subgroep", "Jongeren van 16 tot en met 27 "
              "jaar op de laatste dag, naar leeftijd en subgroep (SW, P-wet, stages)."),
}

REPORTS = ReferenceList(
    "reports", "Rapportages",
    "De rapportages onder /v1/reports/{code}, als JSON of CSV (?format=csv).",
    tuple(ReferenceItem(report.slug, *_REPORT_LABELS[report.slug]) for report in all_reports()))

PERIOD_KINDS = ReferenceList(
    "period-kinds", "Soorten perioden",
    "De perioden die ?period= aanneemt (jaren 2000–2100); standaard het lopende halfjaar.",
    (ReferenceItem("month", "Maand", "JJJJ-MM, bijvoorbeeld 2026-03."),
     ReferenceItem("quarter", "Kwartaal", "JJJJ-Qn, bijvoorbeeld 2026-Q2."),
     ReferenceItem("half-year", "Halfjaar", "JJJJ-Hn, bijvoorbeeld 2026-H1: de periode van de "
                   "halfjaarlijkse monitor voor de raad."),
     ReferenceItem("year", "Jaar", "JJJJ, bijvoorbeeld 2026.")))

STATUSES = ReferenceList(
    "lokaal-plan-action-statuses", "Status van acties uit het lokaal plan",
    "De voortgang van een actie uit het lokaal plan, zoals de gemeente die bijhoudt.",
    (ReferenceItem("planned", "Gepland", "Afgesproken, nog niet begonnen."),
     ReferenceItem("in-progress", "Loopt", "In uitvoering."),
     ReferenceItem("delayed", "Vertraagd", "Loopt achter op de planning."),
     ReferenceItem("done", "Afgerond", "Uitgevoerd."),
     ReferenceItem("stopped", "Gestopt", "Niet (verder) uitgevoerd.")))

REFERENCE_LISTS = (REPORTS, PERIOD_KINDS, STATUSES)
