"""Reports from the monthly counters: in-stroom, decisions, door- and uit-stroom."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from services.reporting.reports import Column, Context, Report, Row, gemeente_columns
from services.reporting.store.queries import Figures

PEOPLE = Column("people", "people", "number of people (events) in the period")


def _by_key(measure: str, key_name: str) -> Callable[..., object]:
    async def build(figures: Figures, context: Context) -> list[Row]:
        return [{"gemeente": g, key_name: key, "people": n}
                for g, _, key, n, _ in await figures.counts([measure])]
    return build


async def _diagnoses(figures: Figures, context: Context) -> list[Row]:
    rows: list[Row] = []
    for g, measure, key, n, _ in await figures.counts(["diagnoses-started",
                                                       "diagnoses-closed"]):
        if measure == "diagnoses-started":
            rows.append({"gemeente": g, "instrument": key, "stage": "started", "outcome": "",
                         "people": n})
        else:
            instrument, _, outcome = key.partition("/")
            rows.append({"gemeente": g, "instrument": instrument, "stage": "closed",
                         "outcome": outcome, "people": n})
    return rows


_DECISIONS = {"advices": "advice", "advice-indications": "indication",
              "programmes": "programme", "routes": "route",
              "sheltered-indications": "sheltered-indication"}


async def _decisions(figures: Figures, context: Context) -> list[Row]:
    return [{"gemeente": g, "decision": _DECISIONS[m], "value": key, "people": n}
            for g, m, key, n, _ in await figures.counts(list(_DECISIONS))]


async def _outflow(figures: Figures, context: Context) -> list[Row]:
    source = {"placements-ended": "placement", "closures": "candidate"}
    return [{"gemeente": g, "source": source[m], "reason": key, "people": n}
            for g, m, key, n, _ in await figures.counts(list(source))]


def _table(slug: str, title: str, summary: str, columns: Sequence[Column],
           build: Callable[..., object]) -> Report:
    return Report(slug, title, summary, (*gemeente_columns(), *columns, PEOPLE),
                  build)  # type: ignore[arg-type]


FLOW_REPORTS = (
    _table("registrations", "Registrations by target group",
           "In-stroom: candidates registered in the period, per target group (doelgroep).",
           [Column("targetGroup", "text", "target group at registration")],
           _by_key("registrations", "targetGroup")),
    _table("referrals", "Referrals by uitvoerder",
           "Referrals to an uitvoerder in the period, per uitvoerder.",
           [Column("provider", "text", "code of the uitvoerder referred to"),
            Column("providerName", "text", "name of the uitvoerder")],
           _by_key("referrals", "provider")),
    _table("diagnoses", "Diagnoses by instrument and outcome",
           "Werkdiagnoses started (per instrument) and closed (per instrument and outcome).",
           [Column("instrument", "text", "werkdiagnose, mijn-werk-dichtbij, oad, quickscan …"),
            Column("stage", "text", "started or closed"),
            Column("outcome", "text", "how a closed case ended (empty for started)")],
           _diagnoses),
    _table("decisions", "Route, advice and programme decisions",
           "Route decisions, the uitvoerder's advice (and LKS/beschut indications), the "
           "gemeente's programme decisions and its beschut-werk indication decisions (granted, "
           "refused) in the period.",
           [Column("decision", "text",
                   "route, advice, indication, programme or sheltered-indication"),
            Column("value", "text", "what was decided")],
           _decisions),
    _table("outflow", "Uit-stroom",
           "Placements ended (per reason) and candidates leaving the klantreis (per reason).",
           [Column("source", "text", "placement or candidate"),
            Column("reason", "text", "why it ended")],
           _outflow),
)
