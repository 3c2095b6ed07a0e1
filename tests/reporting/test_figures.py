"""A sequence of events gives the expected figures; redelivery changes nothing; an unknown
event type is skipped and counted."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from services.reporting.history import envelope_of
from shared.events.envelope import Envelope, source_urn
from shared.events.matching import VacancyClosed
from shared.settings import DEV_OIN
from shared.store import InboxMessage
from tests.reporting.conftest import BOXTEL, GESTEL, Reporting, board_auth, gemeente_auth
from tests.reporting.stories import two_gemeenten


async def table(reporting: Reporting, report: str, headers: dict[str, str] | None = None,
                period: str = "2026-H1") -> list[dict[str, Any]]:
    response = await reporting.get(f"/v1/reports/{report}", headers or gemeente_auth(),
                                   period=period)
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


def pick(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], Any]:
    """{(key values…): people}."""
    return {tuple(r[k] for k in keys): r["people"] for r in rows}


async def everything(reporting: Reporting) -> dict[str, Any]:
    names = ("overview", "registrations", "referrals", "diagnoses", "decisions", "outflow",
             "placements", "places", "budget", "lks", "youth", "trajectories", "lead-times")
    return {name: await table(reporting, name, board_auth()) for name in names}


async def test_a_sequence_of_events_gives_the_figures(reporting: Reporting) -> None:
    await reporting.publish(two_gemeenten().envelopes)
    await reporting.drained()

    assert pick(await table(reporting, "registrations"), "targetGroup") == {
        ("bijstand",): 6, ("vergunninghouder",): 1}
    assert pick(await table(reporting, "referrals"), "provider") == {("WSD",): 7}
    assert pick(await table(reporting, "diagnoses"), "instrument", "stage", "outcome") == {
        ("mijn-werk-dichtbij", "started", ""): 7,
        ("mijn-werk-dichtbij", "closed", "advice-given"): 7}
    assert pick(await table(reporting, "decisions"), "decision", "value") == {
        ("advice", "werk"): 7, ("indication", "lks"): 5, ("programme", "werk"): 7,
        ("route", "refer"): 7}
    assert pick(await table(reporting, "outflow"), "source", "reason") == {
        ("candidate", "work"): 1, ("placement", "regular-job"): 1}
    placements = {r["form"]: (r["started"], r["ended"], r["activeAtEnd"])
                  for r in await table(reporting, "placements")}
    assert placements == {"lks": (5, 0, 5), "trial": (2, 1, 1)}
    (budget,) = await table(reporting, "budget")
    assert (budget["atProvider"], budget["direct"], budget["fundedPlaces"],
            budget["aboveBudget"], budget["guidanceBudget"]) == (5, 1, 4, 1, "50000.00")
    (lks,) = await table(reporting, "lks")
    assert (lks["granted"], lks["adjusted"], lks["running"], lks["monthlyCommitment"],
            lks["payments"], lks["paidAmount"]) == (5, 1, 5, "8264.05", 5, "7651.90")
    lead = {r["step"]: (r["people"], r["medianDays"], r["p90Days"])
            for r in await table(reporting, "lead-times")}
    assert lead == {"registration-to-diagnosis": (7, 20.0, 20.0),
                    "diagnosis-to-programme": (7, 40.0, 40.0),
                    "programme-to-placement": (7, 20.0, 20.0),
                    "registration-to-placement": (7, 80.0, 80.0)}
    trajectories = pick(await table(reporting, "trajectories"), "instrument", "measure")
    assert trajectories == {("mijn-werk-dichtbij", "referred"): 7,
                            ("mijn-werk-dichtbij", "started"): 7,
                            ("mijn-werk-dichtbij", "closed:advice-given"): 7,
                            ("mijn-werk-dichtbij", "final-diagnosis-within-3-months"): 7}
    (overview,) = await table(reporting, "overview")
    assert {k: overview[k] for k in ("registrations", "placementsStarted", "placementsEnded",
                                     "closures", "placesRealised", "atProvider",
                                     "aboveBudget", "lksPaid")} == {
        "registrations": 7, "placementsStarted": 7, "placementsEnded": 1, "closures": 1,
        "placesRealised": 5, "atProvider": 5, "aboveBudget": 1, "lksPaid": "7651.90"}
    youth = await table(reporting, "youth", gemeente_auth(GESTEL))
    assert [(r["age"], r["stages"], r["total"]) for r in youth] == [(21, 3, 3)]
    # Before the placements started (March), none of it shows yet.
    (january,) = await table(reporting, "overview", period="2026-01")
    assert (january["registrations"], january["placesRealised"]) == (7, 0)


async def test_redelivered_events_change_nothing(reporting: Reporting) -> None:
    history = two_gemeenten().envelopes
    await reporting.publish(history)
    await reporting.drained()
    before = await everything(reporting)
    # Past JetStream's de-duplication (no Nats-Msg-Id): every event delivered a second time.
    await reporting.publish(history, msg_ids=False)
    await reporting.drained()
    assert await everything(reporting) == before
    async with reporting.runtime.sessions() as session:
        inbox = await session.scalar(select(func.count()).select_from(InboxMessage))
    assert inbox == len(history)
    assert sum(c.stats.duplicates for c in reporting.runtime.consumers) == len(history)


def made_up(event_id: str) -> Envelope:
    return Envelope(type="nl.participatiewet.matching.something-new",
                    source=source_urn(DEV_OIN, "matching"), subject=str(uuid.uuid4()),
                    gemeente=BOXTEL, data={"whatever": 1}, id=event_id)


async def test_an_unknown_event_type_is_skipped_and_counted(reporting: Reporting) -> None:
    unknown = made_up(str(uuid.uuid4()))
    after = two_gemeenten().envelopes
    await reporting.publish([unknown])
    await reporting.publish([unknown], msg_ids=False)  # redelivered: counted once
    await reporting.publish([made_up(str(uuid.uuid4()))])
    closed = VacancyClosed(vacancy_id=uuid.uuid4(), gemeente=BOXTEL, reason="filled",
                           closed_at=after[0].time)  # known, but no figure needs it
    await reporting.publish([envelope_of(closed, gemeente=BOXTEL, subject=closed.vacancy_id,
                                         event_id=str(uuid.uuid4())), *after])
    await reporting.drained()

    status = (await reporting.get("/v1/reports/status", gemeente_auth())).json()
    assert [(s["eventType"], s["count"]) for s in status["skippedEventTypes"]] == [
        ("nl.participatiewet.matching.something-new", 2)]
    (matching,) = [c for c in reporting.runtime.consumers if c.producer == "matching"]
    assert matching.stats.unknown == 2 and matching.stats.parked == 0
    # The events behind it were folded as usual.
    assert pick(await table(reporting, "registrations"), "targetGroup")[("bijstand",)] == 6
