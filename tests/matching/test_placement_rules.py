"""The pure rules of issue 12, with hand-worked values (../shared/DOMAIN.md's figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.matching.domain import placement_rules as rules
from services.matching.domain import workflow
from services.matching.domain.workflow import RuleViolation
from shared.events.matching import PlacementForm

D = Decimal
WML = {"wml-hourly": [rules.ParameterValue(date(2025, 7, 1), D("14.40")),
                      rules.ParameterValue(date(2026, 1, 1), D("14.71"))],
       "youth-share-pct-18": [rules.ParameterValue(date(2026, 1, 1), D("50"))],
       "youth-share-pct-20": [rules.ParameterValue(date(2026, 1, 1), D("80"))]}


def test_the_wml_in_force_is_the_last_that_took_effect() -> None:
    assert rules.wage_floor(WML, None, date(2025, 12, 31)).minimum == D("14.40")
    assert rules.wage_floor(WML, None, date(2026, 1, 1)).minimum == D("14.71")


def test_youth_share_by_age_on_the_day_changing_on_the_birthday() -> None:
    birth = date(2007, 6, 1)
    at_18 = rules.wage_floor(WML, birth, date(2026, 1, 5))
    assert (at_18.age, at_18.minimum) == (18, D("7.355"))  # 50 % of 14.71, unrounded
    with pytest.raises(RuleViolation, match="youth-share-pct-19"):
        rules.wage_floor(WML, birth, date(2026, 6, 1))  # 19 that day; no share published
    # Born 2006-01-01: 20 on 2026-03-01, 80 % of 14.71 = 11.768
    assert rules.wage_floor(WML, date(2006, 1, 1), date(2026, 3, 1)).minimum == D("11.768")
    assert rules.wage_floor(WML, date(2005, 1, 5), date(2026, 1, 5)).age is None  # 21: adult


def test_the_floor_refuses_a_cent_below_and_names_the_minimum() -> None:
    floor = rules.wage_floor(WML, date(2007, 6, 1), date(2026, 1, 5))
    with pytest.raises(RuleViolation) as refused:
        rules.check_wage(PlacementForm.LKS, D("7.35"), floor)
    assert refused.value.field == "hourlyWage"
    assert refused.value.reason == ("€7.35 is below the minimum wage of €7.355 an hour on "
                                    "2026-01-05 (age 18: 50 % of the WML €14.71 in force from "
                                    "2026-01-01)")
    rules.check_wage(PlacementForm.LKS, D("7.36"), floor)
    rules.check_wage(PlacementForm.REGULAR, D("7.00"), floor)  # the issue asks it of lks, sheltered


def test_no_wml_for_the_day_is_a_violation_not_a_guess() -> None:
    with pytest.raises(RuleViolation, match="no statutory minimum wage .* known for 2025-06-30"):
        rules.wage_floor(WML, None, date(2025, 6, 30))
    with pytest.raises(RuleViolation):
        rules.wage_floor({}, None, date(2026, 1, 5))


def test_euros_show_every_digit_the_rule_used() -> None:
    assert [rules.euros(D(v)) for v in ("7.3550", "14.7100", "14", "0.5")] == [
        "€7.355", "€14.71", "€14.00", "€0.50"]


def booked(pid: str, form: PlacementForm, hours: str, start: date, end: date | None,
           employer: str = "A") -> rules.Booked:
    return rules.Booked(placement_id=pid, employer_id=employer, form=form,
                        hours_per_week=D(hours), start=start, end=end)


def test_hours_of_overlapping_paid_jobs_add_up() -> None:
    first = booked("first", PlacementForm.LKS, "36", date(2026, 1, 5), None)
    later = booked("later", PlacementForm.REGULAR, "22", date(2026, 2, 1), None, "B")
    with pytest.raises(rules.PlacementClash) as clash:
        rules.check_beside(later, [first], D("40"))
    assert clash.value.other_id == "first"
    assert "58 hours a week, more than the 40 allowed" in str(clash.value)
    rules.check_beside(booked("four", PlacementForm.REGULAR, "4", date(2026, 2, 1), None, "B"),
                       [first], D("40"))  # 36 + 4 = 40: allowed
    ended = booked("first", PlacementForm.LKS, "36", date(2026, 1, 5), date(2026, 1, 31))
    rules.check_beside(later, [ended], D("40"))  # no common day
    touching = booked("t", PlacementForm.REGULAR, "22", date(2026, 1, 31), None, "B")
    with pytest.raises(rules.PlacementClash):
        rules.check_beside(touching, [ended], D("40"))  # the last day is a working day


def test_a_trial_never_beside_a_paid_job_at_the_same_employer() -> None:
    paid = booked("paid", PlacementForm.LKS, "16", date(2026, 1, 5), None)
    trial = booked("trial", PlacementForm.TRIAL, "8", date(2026, 2, 2), date(2026, 4, 30))
    with pytest.raises(rules.PlacementClash, match="same employer") as clash:
        rules.check_beside(trial, [paid], D("40"))
    assert clash.value.other_id == "paid"
    rules.check_beside(booked("t", PlacementForm.TRIAL, "8", date(2026, 2, 2),
                              date(2026, 4, 30), "B"), [paid], D("40"))
    with pytest.raises(rules.PlacementClash, match="same employer"):
        rules.check_beside(booked("p", PlacementForm.SECONDMENT, "8", date(2026, 3, 1), None),
                           [trial], D("40"))
    # Two trials, or a trial beside a wsw job, are not what the rule is about.
    rules.check_beside(trial, [booked("w", PlacementForm.WSW, "16", date(2026, 1, 5), None)],
                       D("40"))


def test_sheltered_work_needs_a_granted_indication_in_force() -> None:
    day = date(2026, 1, 5)
    granted = rules.Indication(granted=True, decided_on=date(2025, 12, 1),
                               valid_until=date(2026, 12, 31))
    rules.check_indication(PlacementForm.SHELTERED, [granted], day)
    rules.check_indication(PlacementForm.LKS, [], day)
    for indications, why in (([], "decided no"),
                             ([rules.Indication(False, date(2025, 12, 1), None)], "refused"),
                             ([rules.Indication(True, date(2026, 2, 1), None)], "in force"),
                             ([rules.Indication(True, date(2025, 1, 1), date(2026, 1, 4))],
                              "in force")):
        with pytest.raises(RuleViolation, match=why):
            rules.check_indication(PlacementForm.SHELTERED, indications, day)


def test_a_trial_through_uwv_lasts_at_most_two_months() -> None:
    start = date(2026, 3, 2)
    workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 5, 2), D(0),
                             through_uwv=True)
    with pytest.raises(RuleViolation, match="through UWV lasts at most 2 months"):
        workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 5, 3), D(0),
                                 through_uwv=True)
    workflow.check_placement(PlacementForm.TRIAL, start, date(2026, 6, 2), D(0))
