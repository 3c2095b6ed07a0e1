"""What in the demo is illustrative: every demo figure not in ../shared/DOMAIN.md, per gemeente
and report, with the reason. `seed-demo` stores these beside its events (report_illustrative);
the reports return them (`illustrative`) and the dashboard marks the figures with a footnote.
"""

from __future__ import annotations

from dataclasses import dataclass

BOXTEL, GESTEL, VUGHT, MEIERIJSTAD, MAASGOUW = "GM0757", "GM0845", "GM0865", "GM1948", "GM1641"


@dataclass(frozen=True)
class Illustrative:
    """One illustrative figure: whose, in which report, what, and why."""

    gemeente: str
    report: str  # a report's slug (the dashboard section showing it)
    figure: str
    note: str


# The notes are Dutch: councils and controllers read them on the dashboard and in the PDF.
DATES = ("De bronnen geven totalen, geen datum per persoon: de data van aanmelding, besluit en "
         "plaatsing — dus in-, door- en uitstroom per periode en de doorlooptijden — zijn "
         "illustratief; de cijfers uit de bronnen zijn in 2025–2026 geplaatst.")
MWD_SPLIT = ("MWD-pilot: de bronnen geven de totalen voor een wijk in Boxtel en een in "
             "Sint-Michielsgestel (26 verwezen, 10 gestart, …); in welke gemeente elke persoon "
             "woont is illustratief, en de data (nov 2020 – nov 2021) zijn naar 2026 verschoven.")


def _dates(gemeente: str) -> tuple[Illustrative, ...]:
    return tuple(Illustrative(gemeente, report, "dates", DATES)
                 for report in ("overview", "registrations", "lead-times", "outflow"))


def _member(gemeente: str, name: str, funded: int) -> tuple[Illustrative, ...]:
    # The note names no count of people: beyond the gemeente a small one is shown as "<5",
    # and a note must not give it away (Vught's 3).
    note = (f"{name}: het aantal plaatsen beschut werk bij WSD, de {funded} gefinancierde "
            "plaatsen, de prijs per plaats (€ 12.500) en het LKS-budget (€ 500.000) zijn "
            "illustratief: de bronnen geven geen cijfers voor de andere WSD-gemeenten.")
    return tuple(Illustrative(gemeente, report, "places", note)
                 for report in ("places", "placements", "budget", "lks"))


ILLUSTRATIVE: tuple[Illustrative, ...] = (
    *_dates(BOXTEL),
    Illustrative(BOXTEL, "placements", "forms",
                 "De verdeling van Boxtels 140 PW-plaatsen over LKS (60 bij WSD, 20 direct bij "
                 "werkgevers), beschut werk (40) en proefplaatsingen (20) is illustratief: de "
                 "bronnen geven 140 in totaal, 120 bij WSD en 20 direct bij werkgevers. Het "
                 "KvK-nummer van WSD is illustratief."),
    Illustrative(BOXTEL, "places", "wsw",
                 "350 Wsw-plaatsen = de ≈470 plaatsen bij WSD (SW + PW) uit de bronnen min de "
                 "120 PW-plaatsen bij WSD; hun startdata zijn illustratief."),
    Illustrative(BOXTEL, "budget", "price",
                 "De prijs per gefinancierde plaats (€ 12.500), en dus het begeleidingsbudget "
                 "(€ 1.350.000), is illustratief; de 108 gefinancierde plaatsen komen uit de "
                 "bronnen."),
    Illustrative(BOXTEL, "lks", "amounts",
                 "Elke LKS-toekenning op de € 1.530,38 per maand van het rekenvoorbeeld, 80 "
                 "betalingen per maand en het LKS-budget (€ 1.500.000) zijn illustratief."),
    Illustrative(BOXTEL, "trajectories", "mwd", MWD_SPLIT),
    Illustrative(BOXTEL, "lokaal-plan", "actions",
                 "Lokaal plan: de acties komen uit het lokaal plan 2021–2025 van Boxtel; wie ze "
                 "uitvoert, hun status en de toelichting per periode zijn illustratief."),
    Illustrative(BOXTEL, "trajectories", "oad",
                 "OAD-pilot: de uitkomsten van de 12 komen uit de bronnen (Boxtel, 2018); de "
                 "data zijn naar 2025–2026 verschoven, en de 2 die werken hebben een reguliere "
                 "baan bij een illustratieve werkgever."),
    *_dates(GESTEL),
    *_member(GESTEL, "Sint-Michielsgestel", 30),
    Illustrative(GESTEL, "trajectories", "mwd", MWD_SPLIT),
    *_dates(VUGHT),
    *_member(VUGHT, "Vught", 10),
    *_dates(MEIERIJSTAD),
    *_member(MEIERIJSTAD, "Meierijstad", 40),
    *_dates(MAASGOUW),
    Illustrative(MAASGOUW, "decisions", "routes",
                 "De instroom van 50 komt uit de bronnen; hun routes (30 verwezen naar de "
                 "Westrom-entiteit, 5 regulier werk, 10 vrijgesteld, 5 zorg) en het aandeel "
                 "vergunninghouders zijn illustratief."),
    Illustrative(MAASGOUW, "lks", "amount",
                 "De 13 duurzame LKS-plaatsingen komen uit de bronnen; het maandbedrag "
                 "(€ 1.412,60 per toekenning) en de werkgever zijn illustratief."),
)
