"""Matching's ranking at scale: 100k candidate profiles for one vacancy, measured in one run.

    .venv/bin/python bench/matching.py [--quick]

It generates seeded profiles (bench/lib/matching_profiles.py), builds the in-memory profile
matrix the service holds, and ranks them for a warehouse vacancy with four tasks (heavy,
night, standing, admin: conflicts and carvings matter):
  vectorised   numpy over all profiles (services/matching/domain/vectorised.py), full ranking
  page of 50   the same, as the API asks it (top 50 only)
  plain loop   the per-candidate reference scorer (domain/scoring.py), then a sort
and checks that both rankings have the same top 50, in the same order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bench.lib

from bench.lib.matching_profiles import profiles, warehouse_job
from bench.lib.stats import Check, progress, say
from services.matching.domain.scoring import rank_plain
from services.matching.domain.vectorised import ProfileMatrix, rank
from services.matching.matcher import context_for

T = TypeVar("T")
TOP = 50


def timed(runs: int, work: Callable[[], T]) -> tuple[list[float], T]:
    """Milliseconds of each run, and the last result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    assert result is not None
    return times, result


def main(args: argparse.Namespace) -> int:
    """Generate, build, rank both ways, compare, print the table and the target lines."""
    count = 10_000 if args.quick else 100_000
    say(f"bench/matching.py: {count} profiles (seed 2026), one vacancy of 4 tasks; "
        f"{os.cpu_count()} CPUs")
    progress("generating profiles")
    everyone = profiles(count)
    job = warehouse_job()
    context = context_for(job.gemeente, 8.0)
    progress("building the profile matrix")
    build_ms, matrix = timed(1, lambda: ProfileMatrix.build(everyone))
    progress("vectorised ranking")
    rank(matrix, job, context)  # warm-up: first-touch allocations
    full_ms, full = timed(9, lambda: rank(matrix, job, context))
    page_ms, _ = timed(9, lambda: rank(matrix, job, context, limit=TOP))
    progress("plain per-candidate loop")
    plain_ms, plain = timed(3, lambda: rank_plain(everyone, job, context))

    vectorised_top = [matrix.profiles[int(r)].candidate_id for r in full.rows[:TOP]]
    plain_top = [m.candidate_id for m in plain[:TOP]]
    agree = sum(1 for a, b in zip(vectorised_top, plain_top, strict=True) if a == b)
    scores_equal = [float(s) for s in full.scores] == [m.score for m in plain]

    say(f"\n{'measure':<34}{'runs':>6}{'median ms':>12}{'min ms':>10}{'max ms':>10}")
    for name, times in (("build profile matrix", build_ms), ("vectorised, full ranking", full_ms),
                        ("vectorised, top 50 (API page)", page_ms),
                        ("plain Python loop + sort", plain_ms)):
        say(f"{name:<34}{len(times):>6}{statistics.median(times):>12.1f}{min(times):>10.1f}"
            f"{max(times):>10.1f}")
    say(f"\neligible candidates: {full.total} of {count} "
        f"(with a suggested carving: {sum(1 for m in plain if m.carving)}); "
        f"every score identical in both rankings: {scores_equal}")
    vectorised = statistics.median(full_ms)
    checks = [Check("matching-rank-100k-ms", vectorised, "<", 100.0, ".1f", "g"),
              Check("matching-vectorised-speedup", statistics.median(plain_ms) / vectorised,
                    ">=", 20.0, ".1f", "g")]
    lines = [c.line("", True) for c in checks]
    verdict = "met" if agree == TOP else "NOT MET"
    lines.append(f"target matching-top50-agreement: {agree}/{TOP} (= {TOP}/{TOP}) {verdict}")
    if args.quick:
        say("\n(--quick: 10k profiles; the targets are for 100k)")
    for line in lines:
        say(line)
    return 0


def cli(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(prog="bench/matching.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k profiles, for a smoke run")
    return main(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(cli())
