"""Matching's pure rules: conflicts, scoring, the vectorised ranking against the reference,
the proposal state machine, placement rules, signatures and retry timing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from standardwebhooks import Webhook

from bench.lib.matching_profiles import profiles, warehouse_job
from services.matching.domain import signing, workflow
from services.matching.domain.demands import Demand, DemandError, TaskShape, check_job
from services.matching.domain.retries import next_delay, parse_retry_after
from services.matching.domain.scoring import (
    WEIGHTS,
    Context,
    Job,
    Profile,
    Task,
    rank_plain,
    score_one,
)
from services.matching.domain.vectorised import ProfileMatrix, rank
from services.matching.domain.workflow import ProposalStatus
from services.matching.matcher import context_for
from shared.events.matching import PlacementForm

HEAVY = Task("pallets laden", 16.0, (Demand("lifting-max-kg", 25.0),))
LIGHT = Task("orders picken", 16.0, (Demand("standing-max-hours", 4.0),), ("scanner",))
NIGHT = Task("nachtploeg", 8.0, (Demand("no-night-shifts"),))


def person(**changes: object) -> Profile:
    values: dict[str, object] = dict(
        candidate_id="a", gemeente="GM0757", provider="WSD", programme="werk", limits={},
        flags=frozenset(), interests=frozenset({"logistiek"}), skills=frozenset({"scanner"}),
        hours_per_week=32.0, home_gemeente="GM0757", travel_radius_km=15.0)
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


def job(*tasks: Task) -> Job:
    return Job("v", "GM0757", "logistiek", tasks)


CONTEXT = context_for("GM0757", 8.0)


def test_a_limit_below_the_demand_conflicts_and_an_equal_one_fits() -> None:
    weak = score_one(person(limits={"lifting-max-kg": 10.0}), job(HEAVY), CONTEXT)
    assert not weak.eligible and weak.conflicts[0].demanded == 25.0
    assert score_one(person(limits={"lifting-max-kg": 25.0}), job(HEAVY), CONTEXT).eligible


def test_a_flag_forbids_the_task_that_has_it() -> None:
    match = score_one(person(flags=frozenset({"no-night-shifts"})), job(NIGHT, LIGHT), CONTEXT)
    assert [c.code for c in match.conflicts] == ["no-night-shifts"]
    assert match.carving is not None and match.carving.tasks == ("orders picken",)


def test_a_carving_below_the_minimum_hours_is_not_proposed() -> None:
    short = Task("koffie", 4.0)
    match = score_one(person(limits={"lifting-max-kg": 10.0}), job(HEAVY, short), CONTEXT)
    assert not match.eligible and match.fitting_tasks == ("koffie",)


def test_components_are_weighted_and_explained() -> None:
    match = score_one(person(hours_per_week=16.0), job(LIGHT), CONTEXT)
    parts = {c.name: c for c in match.components}
    assert (parts["skills"].value, parts["interest"].value, parts["hours"].value,
            parts["travel"].value, parts["programme"].value) == (1.0, 1.0, 1.0, 1.0, 1.0)
    assert match.score == pytest.approx(1.0)
    assert sum(c.weight for c in match.components) == pytest.approx(1.0)
    far = score_one(person(home_gemeente="GM0014"), job(LIGHT), CONTEXT)
    assert dict((c.name, c.value) for c in far.components)["travel"] == 0.0
    unknown = score_one(person(home_gemeente="GM9999"), job(LIGHT), CONTEXT)
    travel = next(c for c in unknown.components if c.name == "travel")
    assert travel.value == 0.5 and "unknown" in travel.detail


def test_programme_fit_orders_werk_ontwikkel_uitstroom() -> None:
    scores = [score_one(person(programme=p), job(LIGHT), CONTEXT).score
              for p in ("werk", "ontwikkel", "uitstroom")]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_vectorised_ranking_equals_the_reference_exactly(seed: int) -> None:
    everyone = profiles(3000, seed=seed)
    context = context_for("GM0757", 8.0)
    matrix = ProfileMatrix.build(everyone)
    plain = rank_plain(everyone, warehouse_job(), context)
    fast = rank(matrix, warehouse_job(), context)
    assert fast.total == len(plain)
    assert [matrix.profiles[int(r)].candidate_id for r in fast.rows] == [
        m.candidate_id for m in plain]
    assert [float(s) for s in fast.scores] == [m.score for m in plain]
    top = rank(matrix, warehouse_job(), context, limit=50)
    assert list(top.rows) == list(fast.rows[:50])


def test_the_tenant_mask_keeps_a_providers_own_candidates_in_its_gemeenten() -> None:
    everyone = [person(candidate_id="1"), person(candidate_id="2", provider="IBN"),
                person(candidate_id="3", gemeente="GM0865")]
    matrix = ProfileMatrix.build(everyone)
    mask = matrix.tenant_mask(gemeenten=frozenset({"GM0757"}), provider="WSD")
    ranked = rank(matrix, job(LIGHT), Context({}, 8.0, WEIGHTS), mask)
    assert [matrix.profiles[int(r)].candidate_id for r in ranked.rows] == ["1"]


def test_job_checks() -> None:
    shapes = [TaskShape("a", Decimal(8), (Demand("lifting-max-kg", 60.0),))]
    with pytest.raises(DemandError, match="runs from"):
        check_job(Decimal(8), shapes)
    with pytest.raises(DemandError, match="add up"):
        check_job(Decimal(9), [TaskShape("a", Decimal(8), ())])
    with pytest.raises(DemandError, match="flag"):
        check_job(Decimal(8), [TaskShape("a", Decimal(8), (Demand("no-noise", 1.0),))])


def test_proposal_states() -> None:
    assert workflow.transition(ProposalStatus.PROPOSED, ProposalStatus.INTERVIEW)
    assert workflow.transition(ProposalStatus.INTERVIEW, ProposalStatus.ACCEPTED)
    for closed in workflow.CLOSED_STATES:
        with pytest.raises(workflow.IllegalTransition):
            workflow.transition(closed, ProposalStatus.INTERVIEW)
    with pytest.raises(workflow.IllegalTransition):
        workflow.transition(ProposalStatus.INTERVIEW, ProposalStatus.PROPOSED)


def test_placement_rules() -> None:
    start = date(2026, 1, 31)
    workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 4, 30), Decimal(0))
    with pytest.raises(workflow.RuleViolation, match="3 months"):
        workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 5, 1), Decimal(0))
    with pytest.raises(workflow.RuleViolation, match="no wage"):
        workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 3, 1), Decimal(5))
    with pytest.raises(workflow.RuleViolation, match="paid"):
        workflow.check_placement(PlacementForm.LKS, start, None, Decimal(0))
    with pytest.raises(workflow.RuleViolation):
        workflow.check_kvk("1234567")


def test_our_signatures_and_the_reference_librarys_agree() -> None:
    secret = signing.new_secret()
    body, now = b'{"a":1}', datetime.now(UTC)
    ours = signing.sign(secret, "msg_1", int(now.timestamp()), body)
    assert ours == Webhook(secret).sign("msg_1", now, body.decode())
    headers = signing.signature_headers(secret, "msg_1", int(now.timestamp()), body)
    Webhook(secret).verify(body, headers)
    assert signing.verify({"wsp": secret}, headers, body, now.timestamp()) == ("wsp", "msg_1")
    with pytest.raises(signing.SignatureError):
        signing.verify({"wsp": secret}, headers, body, now.timestamp() + 301)


def test_retry_timing() -> None:
    rng = random.Random(7)
    schedule = (5.0, 30.0)
    delays = [next_delay(schedule, 2, rng) for _ in range(200)]
    assert all(d is not None and 0 <= d <= 60 for d in delays)
    assert next_delay(schedule, 3, rng) is None
    assert next_delay(schedule, 1, rng, retry_after_s=120) == 120
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    http_date = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(http_date, now) == 90.0
    assert parse_retry_after("soon", now) is None


@pytest.mark.parametrize("stamp", ["9" * 400, "-5", "1_7", "\u0661\u0662", "1.5", " 17"])
def test_a_timestamp_that_is_no_clock_reading_is_a_signature_error(stamp: str) -> None:
    secret = signing.new_secret()
    headers = {**signing.signature_headers(secret, "msg_1", 1_700_000_000, b"{}"),
               "webhook-timestamp": stamp}
    with pytest.raises(signing.SignatureError, match="not a number of seconds"):
        signing.verify({"wsp": secret}, headers, b"{}", 1_700_000_000.0)
