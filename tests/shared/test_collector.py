"""While an app serves or a payment run works, the collector skips the objects from its start and
spaces young passes; overlapping users restore the threshold only when the last ends."""

from __future__ import annotations

import gc

from shared.collector import YOUNG_PASS_EVERY, long_lived_objects_set_aside


def test_serving_sets_the_start_aside_and_spaces_young_passes_then_restores_both() -> None:
    # As in a process starting its app: nothing frozen yet (another test's app in this worker
    # may have left objects frozen, and objects frozen already are left as they are).
    gc.unfreeze()
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


def test_overlapping_runs_restore_the_threshold_only_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first_run, second_run = long_lived_objects_set_aside(), long_lived_objects_set_aside()
    first_run.__enter__()
    assert gc.get_threshold()[0] == max(before[0], YOUNG_PASS_EVERY)
    assert gc.get_threshold()[1:] == before[1:]
    second_run.__enter__()
    first_run.__exit__(None, None, None)  # the first ends while the second still works
    assert gc.get_threshold()[0] == max(before[0], YOUNG_PASS_EVERY)
    second_run.__exit__(None, None, None)
    assert gc.get_threshold() == before
