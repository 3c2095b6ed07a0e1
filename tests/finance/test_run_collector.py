"""A payment run spaces the collector's young passes, and leaves the threshold as it found it,
also when two runs overlap in one process."""

from __future__ import annotations

import gc

from services.finance.handlers.payments import RUN_GC_THRESHOLD, collecting_new_objects_only


def test_overlapping_runs_restore_the_threshold_only_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first_run, second_run = collecting_new_objects_only(), collecting_new_objects_only()
    first_run.__enter__()
    assert gc.get_threshold()[0] == max(before[0], RUN_GC_THRESHOLD)
    assert gc.get_threshold()[1:] == before[1:]
    second_run.__enter__()
    first_run.__exit__(None, None, None)  # the first ends while the second still works
    assert gc.get_threshold()[0] == max(before[0], RUN_GC_THRESHOLD)
    second_run.__exit__(None, None, None)
    assert gc.get_threshold() == before
