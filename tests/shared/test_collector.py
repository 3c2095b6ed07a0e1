"""While an app serves, the collector skips the objects from its start and spaces young passes."""

from __future__ import annotations

import gc

from shared.http.app import YOUNG_PASS_EVERY, long_lived_objects_set_aside


def test_serving_sets_the_start_aside_and_spaces_young_passes_then_restores_both() -> None:
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    with long_lived_objects_set_aside():
        assert gc.get_freeze_count() > frozen_before
        assert gc.get_threshold() == (max(before[0], YOUNG_PASS_EVERY), *before[1:])
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_threshold_already_higher_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_PASS_EVERY * 2, *before[1:])
    try:
        with long_lived_objects_set_aside():
            assert gc.get_threshold()[0] == YOUNG_PASS_EVERY * 2
        assert gc.get_threshold()[0] == YOUNG_PASS_EVERY * 2
    finally:
        gc.set_threshold(*before)
