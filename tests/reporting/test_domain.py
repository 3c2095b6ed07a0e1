"""Pure rules: periods, the fold (complete, order-independent), suppression, statistics."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting.demo import demo_events, run_seed_demo
from services.reporting.domain.facts import FoldState
from services.reporting.domain.figures import (
    add_months,
    percentile,
    subgroup_of,
    suppress,
)
from services.reporting.domain.fold import FOLDS, InvalidEvent, fold
from services.reporting.domain.periods import parse_period
from services.reporting.domain.places import tally_places
from services.reporting.settings import ReportingSettings
from shared.events import CATALOGUE, parse_data
from shared.events.subjects import subject_for
from shared.figures import guidance_figures, running_on
from tests.reporting.stories import two_gemeenten


@pytest.mark.parametrize(("label", "first", "last", "months"), [
    ("2026-03", date(2026, 3, 1), date(2026, 3, 31), 1),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), 6),
    ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), 6),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31), 3),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), 12)])
def test_periods(label: str, first: date, last: date, months: int) -> None:
    period = parse_period(label)
    assert (period.first, period.last, len(period.month_ends())) == (first, last, months)
    assert period.month_ends()[-1] == last


@pytest.mark.parametrize("label", ["2026-H3", "2026-13", "26", "2026-Q5", "H1-2026", ""])
def test_bad_periods(label: str) -> None:
    with pytest.raises(ValueError):
        parse_period(label)


def test_every_catalogue_event_has_a_fold() -> None:
    """A new event type in the catalogue must be folded or explicitly ignored here."""
    assert set(FOLDS) == set(CATALOGUE)


def test_an_unknown_type_is_counted_and_bad_data_refused() -> None:
    state = FoldState()
    assert fold(state, "nl.participatiewet.matching.something-new", {}) is False
    assert state.skipped == {"nl.participatiewet.matching.something-new": 1}
    with pytest.raises(InvalidEvent):
        fold(state, "nl.participatiewet.intake.candidate-registered", {"gemeente": "GM0757"})


def folded(order: list[int]) -> FoldState:
    envelopes = two_gemeenten().envelopes
    state = FoldState()
    for index in order:
        body = json.loads(envelopes[index].to_json())
        fold(state, body["type"], body["data"])
    return state


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(len(two_gemeenten().envelopes)))))
def test_the_fold_does_not_depend_on_the_order(order: list[int]) -> None:
    """Streams replay in any interleaving: every order gives the same facts and counters."""
    straight = folded(sorted(order))
    shuffled = folded(order)
    for facts in ("candidates", "diagnoses", "placements", "grants", "budgets", "counts"):
        assert getattr(shuffled, facts) == getattr(straight, facts), facts


def test_suppression() -> None:
    assert [suppress(n, exact=False) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert [suppress(n, exact=True) for n in (0, 1, 4)] == [0, 1, 4]


def test_statistics_and_calendar() -> None:
    assert percentile([], 0.5) is None
    assert percentile([10, 20, 30, 40], 0.5) == 20.0
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 8, 15), 6) == date(2026, 2, 15)
    assert [subgroup_of(g) for g in ("wsw-indicatie", "jongere", "bijstand", None)] == [
        "sw", "stages", "p-wet", "p-wet"]


def test_seed_demo_refuses_production() -> None:
    production = ReportingSettings(environment="production", auth_dev_secret="x" * 40,
                                   database_url="postgresql+asyncpg://nowhere/none")
    assert run_seed_demo(production) == 2


def test_a_registration_without_birth_year_leaves_the_age_unknown() -> None:
    """No invented age: absent in the registration, the birth year stays unknown — unless a
    referral carries it, in whichever order the two arrive."""
    registered = {"candidateId": "c-1", "gemeente": "GM0845", "targetGroup": "bijstand",
                  "registeredAt": "2026-02-02T12:00:00+00:00"}
    referred = {"candidateId": "c-1", "gemeente": "GM0845", "provider": "WSD",
                "question": "werkdiagnose", "targetGroup": "bijstand", "birthYear": 2004,
                "referredAt": "2026-02-09T12:00:00+00:00"}
    alone = FoldState()
    fold(alone, "nl.participatiewet.intake.candidate-registered", registered)
    assert alone.candidates["c-1"].birth_year is None
    for order in ((registered, referred), (referred, registered)):
        state = FoldState()
        for data in order:
            name = "candidate-registered" if "registeredAt" in data else "candidate-referred"
            fold(state, f"nl.participatiewet.intake.{name}", data)
        assert state.candidates["c-1"].birth_year == 2004


def test_the_demo_events_come_without_a_bus() -> None:
    """demo_events(): catalogue-valid envelopes with a tenant, folded in memory to the seeds'
    figures — what a cross-service test feeds to finance's consumers as well."""
    events = demo_events()
    assert len(events) == len({e.id for e in events}) == 1614  # ids unique, stable count
    tenants = {e.gemeente for e in events}
    assert tenants == {"GM0757", "GM0845", "GM0865", "GM1948", "GM1641"}
    assert all(parse_data(e) is not None for e in events)  # every one a catalogue model
    assert subject_for(events[0].event_name, events[0].gemeente) == (
        "participatiewet.GM0757.intake.candidate-registered")
    state = FoldState()
    for envelope in events:
        body = json.loads(envelope.to_json())
        fold(state, body["type"], body["data"])
    day = date(2026, 6, 30)
    running = Counter(
        (p.gemeente, p.form, p.provider, p.employer_kvk) for p in state.placements.values()
        if p.start_date is not None and running_on(day, start=p.start_date, end=p.end_date))
    boxtel = tally_places([(*key, n) for key, n in running.items()],
                          ReportingSettings().reporting_provider_kvks)["GM0757"]
    # Boxtel, end of March 2021 in the sources: 120 at WSD, 20 direct; ≈470 at WSD with Wsw.
    assert (boxtel.pw_at_provider, boxtel.pw_direct, boxtel.sw, boxtel.realised) == (
        120, 20, 350, 470)
    funded = state.budgets[("GM0757", 2026)].funded_places
    figures = guidance_figures(funded, boxtel.kinds())
    assert (figures.funded, figures.at_provider, figures.above_budget) == (108, 120, 12)
