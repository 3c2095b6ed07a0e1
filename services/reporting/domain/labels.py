"""Dutch words for what the dashboard, the monitor and its PDF show.

The people reading them are klantmanagers, accountmanagers, controllers and council members:
no English field name (activeAtEnd, monthlyCommitment) and no bare code reaches a page. The API
keeps its field names and codes (they are the contract); only pages translate them here.
"""

from __future__ import annotations

from collections.abc import Mapping

# Column names of the report tables, as a table header on a page.
COLUMNS: Mapping[str, str] = {
    "gemeente": "CBS-code", "gemeenteName": "Gemeente", "form": "Vorm",
    "started": "Gestart", "ended": "Beëindigd", "activeAtEnd": "Lopend op einddatum",
    "granted": "Toegekend", "adjusted": "Bedrag gewijzigd", "refused": "Geweigerd",
    "running": "Lopend", "monthlyCommitment": "Maandverplichting (€)",
    "payments": "Betalingen", "paidAmount": "Betaald (€)", "lksBudget": "LKS-budget (€)",
    "instrument": "Instrument", "measure": "Meting", "people": "Personen",
    "step": "Stap", "medianDays": "Mediaan (dagen)", "p90Days": "90e percentiel (dagen)",
    "source": "Bron", "reason": "Reden", "targetGroup": "Doelgroep",
    "provider": "Code", "providerName": "Uitvoerder",
}

# Codes inside the tables (placement forms, outcomes, reasons, steps, target groups).
CODES: Mapping[str, str] = {
    # placement forms
    "trial": "Proefplaatsing", "lks": "Dienstverband met LKS", "regular": "Regulier werk",
    "sheltered": "Beschut werk", "secondment": "Detachering", "wsw": "Wsw",
    # trajectories and instruments
    "mijn-werk-dichtbij": "MijnWerkDichtbij (MWD)", "oad": "OAD", "werkdiagnose": "Werkdiagnose",
    "quickscan": "Quick Scan", "gids": "GIDS-diagnose",
    "referred": "Verwezen", "started": "Gestart", "went-to-work": "Naar werk",
    "measurable-after-6-months": "Na 6 maanden te meten",
    "still-working-after-6-months": "Na 6 maanden nog aan het werk",
    "final-diagnosis-within-3-months": "Einddiagnose binnen 3 maanden",
    "closed:advice-given": "Afgerond: advies gegeven",
    "closed:through-to-work": "Afgerond: doorgestroomd naar werk",
    "closed:regular-work": "Afgerond: regulier werk",
    "closed:other-trajectory": "Afgerond: ander traject",
    "closed:back-to-care": "Afgerond: terug naar Wmo/zorg",
    "closed:volunteering": "Afgerond: vrijwilligerswerk", "closed:moved": "Afgerond: verhuisd",
    "closed:no-benefit": "Afgerond: geen uitkering", "closed:starts-later": "Start later",
    "closed:withdrawn": "Afgerond: teruggetrokken",
    # lead-time steps
    "registration-to-diagnosis": "Aanmelding → diagnose",
    "diagnosis-to-programme": "Diagnose → programma",
    "programme-to-placement": "Programma → plaatsing",
    "registration-to-placement": "Aanmelding → plaatsing",
    # uitstroom
    "placement": "Plaatsing beëindigd", "candidate": "Klantreis verlaten",
    "completed": "Afgelopen", "regular-job": "Naar regulier werk",
    "contract-not-renewed": "Contract niet verlengd", "employer-ended": "Door werkgever beëindigd",
    "candidate-left": "Door kandidaat beëindigd", "sickness": "Ziekte", "moved": "Verhuisd",
    "other": "Anders", "work": "Werk", "care": "Zorg", "no-benefit": "Geen uitkering",
    "deceased": "Overleden",
    # target groups
    "bijstand": "Bijstand", "vergunninghouder": "Vergunninghouders", "jongere": "Jongeren",
    "wsw-indicatie": "Wsw-indicatie",
}


def column_label(name: str) -> str:
    """The Dutch header of a column (the name itself if it has none yet)."""
    return COLUMNS.get(name, name)


def code_label(code: str) -> str:
    """The Dutch word for a code in a table cell (the code itself if it has none)."""
    return CODES.get(code, code)
