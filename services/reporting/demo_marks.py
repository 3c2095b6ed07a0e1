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


DATES = ("The sources give totals, not a date per person: registration, decision and placement "
         "dates — so in-, door- and uitstroom per period and lead times — are illustrative; the "
         "seeds' figures are placed in 2025–2026.")
MWD_SPLIT = ("MWD pilot: the sources give its totals for a neighbourhood of Boxtel and one of "
             "Sint-Michielsgestel (26 referred, 10 started, …); which gemeente each person is in "
             "is illustrative, and its dates (Nov 2020 – Nov 2021) are moved into 2026.")


def _dates(gemeente: str) -> tuple[Illustrative, ...]:
    return tuple(Illustrative(gemeente, report, "dates", DATES)
                 for report in ("overview", "registrations", "lead-times", "outflow"))


def _member(gemeente: str, name: str, places: int, funded: int) -> tuple[Illustrative, ...]:
    note = (f"{name}: {places} beschut-werk places at WSD, {funded} funded places, the price "
            "per place (€12,500) and the LKS budget (€500,000) are illustrative: the sources "
            "give no figures for the other WSD gemeenten.")
    return tuple(Illustrative(gemeente, report, "places", note)
                 for report in ("places", "placements", "budget", "lks"))


ILLUSTRATIVE: tuple[Illustrative, ...] = (
    *_dates(BOXTEL),
    Illustrative(BOXTEL, "placements", "forms",
                 "The split of Boxtel's 140 PW places over LKS (60 at WSD, 20 directly with "
                 "employers), beschut werk (40) and trial placements (20) is illustrative: the "
                 "sources give 140 in all, 120 at WSD and 20 directly with employers. WSD's "
                 "KvK number is illustrative."),
    Illustrative(BOXTEL, "places", "wsw",
                 "350 Wsw places = the ≈470 places at WSD (SW + PW) of the sources minus the "
                 "120 PW places at WSD; their start dates are illustrative."),
    Illustrative(BOXTEL, "budget", "price",
                 "The price per funded place (€12,500), so the guidance budget (€1,350,000), is "
                 "illustrative; the 108 funded places are from the sources."),
    Illustrative(BOXTEL, "lks", "amounts",
                 "Every LKS grant at the worked example's €1,530.38 a month, 80 payments a "
                 "month and the LKS budget (€1,500,000) are illustrative."),
    Illustrative(BOXTEL, "trajectories", "mwd", MWD_SPLIT),
    Illustrative(BOXTEL, "trajectories", "oad",
                 "OAD pilot: the outcomes of the 12 are from the sources (Boxtel, 2018); its "
                 "dates are moved into 2025–2026, and the 2 who work are in a regular job with "
                 "an illustrative employer."),
    *_dates(GESTEL),
    *_member(GESTEL, "Sint-Michielsgestel", 31, 30),
    Illustrative(GESTEL, "trajectories", "mwd", MWD_SPLIT),
    *_dates(VUGHT),
    *_member(VUGHT, "Vught", 3, 10),
    *_dates(MEIERIJSTAD),
    *_member(MEIERIJSTAD, "Meierijstad", 44, 40),
    *_dates(MAASGOUW),
    Illustrative(MAASGOUW, "decisions", "routes",
                 "The 50 inflow are from the sources; their routes (30 referred to the Westrom "
                 "entity, 5 regular work, 10 exempt, 5 care) and the share of vergunninghouders "
                 "are illustrative."),
    Illustrative(MAASGOUW, "lks", "amount",
                 "The 13 durable LKS placements are from the sources; the monthly amount "
                 "(€1,412.60 per grant) and the employer are illustrative."),
)
