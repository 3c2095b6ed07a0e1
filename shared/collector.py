"""The garbage collector while a process serves or works a long job: the objects it started
with set aside, and the young generation walked less often.

Every service's app serves inside `long_lived_objects_set_aside()`, and finance's payment run
works inside it too (in the app's process, or alone in the bench's or the CLI's).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_PASS_EVERY = 50_000
"""New container objects between two passes of the collector over the young generation
(CPython's default: 700)."""


@contextmanager
def long_lived_objects_set_aside() -> Iterator[None]:
    """While the work goes on, the collector skips what existed at its start and walks the
    young generation less often.

    The modules, the app, its schemas, the engine and the bus live as long as the process; a
    full pass walked all of them again (intake's bench: 5 passes in 3,000 requests, some
    180 ms each, 0.3 ms of CPU per request, and each a pause in the tail; a payment run's four
    or five passes cost 0.7–1 s of its 5 s of CPU). gc.freeze() moves them to a generation the
    collector never walks; they are freed as usual when their last reference goes, and cyclic
    garbage among them waits until the work ends (gc.unfreeze). Objects frozen already (by
    the app a run works in) are left so.

    A pass every 700 new objects walked the objects of the requests in flight, or the batches
    of a run, and promoted them, only for their reference counts to free them a moment later.
    Every `YOUNG_PASS_EVERY` instead, most are gone before a pass sees them; cyclic garbage
    waits a little longer. Measured served, up to 16,000 registrations per run, the settings
    taken in turn (2 cores, 2026-11-30): intake's CPU per request averaged 0.49 ms with the
    default (7 runs), 0.45 at 20,000 (10 runs) and 0.43 at 50,000 (3 runs); bench/intake.py's
    least app 0.375 with the default and 0.359 at 20,000 (4 runs each). In the payment run the
    collector had taken 0.36–0.54 s of the run on the bench's 100k grants; about 0.4 s went.
    """
    froze = not gc.get_freeze_count()
    if froze:
        gc.freeze()
    try:
        with _YOUNG_PASSES.spaced():
            yield
    finally:
        if froze:
            gc.unfreeze()


class _YoungPassesSpaced:
    """The young-generation threshold, raised while any work that asked for it goes on: the
    first to start raises it, the last to end restores it (they may overlap in one process)."""

    def __init__(self) -> None:
        self.working = 0
        self.before = gc.get_threshold()

    @contextmanager
    def spaced(self) -> Iterator[None]:
        if not self.working:
            self.before = gc.get_threshold()
            first, *older = self.before
            gc.set_threshold(max(first, YOUNG_PASS_EVERY), *older)
        self.working += 1
        try:
            yield
        finally:
            self.working -= 1
            if not self.working:
                gc.set_threshold(*self.before)


_YOUNG_PASSES = _YoungPassesSpaced()
