"""What a measurement is and how it is reported: plan, rows, percentiles, CPU, table, targets.

No third-party imports: the load generator imports this too, and it should stay lean.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Plan:
    """How much: a warm-up, then a count or `seconds`, whichever comes first.

    The limits (bare HTTP, raw storage) get a larger count than the service so that they, too,
    run for seconds rather than a fraction of one.
    """

    warmup: int
    requests: int
    limit_ops: int
    seconds: float
    relay_rows: int
    concurrency: int
    rounds: int = 1  # the service and its limits measured in turn this often; each one's best


@dataclass
class Row:
    """One measured line of a table."""

    name: str
    count: int
    wall: float
    lat_ms: list[float] = field(default_factory=list)
    errors: int = 0
    py_cpu: float | None = None
    host_cpu: float | None = None
    load_cpu: float | None = None

    @property
    def rate(self) -> float:
        """Operations per second of wall time."""
        return self.count / self.wall if self.wall else 0.0


def say(message: str) -> None:
    """A result line on stdout, flushed so it interleaves with progress in order."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def progress(message: str) -> None:
    """A progress line on stderr, so stdout carries only results."""
    sys.stderr.write(f"  .. {message}\n")
    sys.stderr.flush()


def pct(values: Sequence[float], q: float) -> float:
    """Percentile with linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# --- CPU accounting (Linux /proc) -------------------------------------------------------------

def _host_ticks() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)  # busy, total (idle+iowait idle)


def _proc_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class CpuMeter:
    """CPU between creation and read(): one process in cores, the whole host as a share."""

    def __init__(self, pid: int) -> None:
        self.pid, self.started = pid, time.perf_counter()
        self.proc0, self.host0 = _proc_ticks(pid), _host_ticks()

    def read(self) -> tuple[float, float]:
        """(cores used by the process, busy share of the host) since creation."""
        wall = time.perf_counter() - self.started
        busy, total = _host_ticks()
        cores = (_proc_ticks(self.pid) - self.proc0) / TICK / wall
        return cores, (busy - self.host0[0]) / max(1, total - self.host0[1])


# --- reporting --------------------------------------------------------------------------------

def print_table(label: str, rows: dict[str, Row]) -> None:
    """One backend's rows under its label, fixed-width so runs can be compared by eye."""
    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    say(f"\n{label}")
    say(f"{'measure':<36}{'n':>7}{'rate/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}"
        f"{'py CPU':>8}{'load CPU':>9}{'host CPU':>9}")
    for row in rows.values():
        say(f"{row.name:<36}{row.count:>7}{row.rate:>9.1f}{pct(row.lat_ms, 0.5):>9.1f}"
            f"{pct(row.lat_ms, 0.99):>9.1f}{row.errors:>7}{num(row.py_cpu, '.2f'):>8}"
            f"{num(row.load_cpu, '.2f'):>9}{num(row.host_cpu, '.0%'):>9}")


@dataclass(frozen=True)
class Check:
    """A figure against its target; `fmt`/`limit_fmt` format the figure and the limit."""

    name: str
    value: float
    op: str  # ">=" or "<"
    limit: float
    fmt: str
    limit_fmt: str

    @property
    def met(self) -> bool:
        """Whether the figure meets the target."""
        return self.value >= self.limit if self.op == ">=" else self.value < self.limit

    def line(self, backend: str, counts: bool, counted_on: str = "Postgres") -> str:
        """`target …` if this backend counts, else an `info …` line saying where targets count."""
        shown = f"{self.value:{self.fmt}} ({self.op} {self.limit:{self.limit_fmt}})"
        if counts:
            return f"target {self.name}: {shown} {'met' if self.met else 'NOT MET'}"
        return (f"info {backend} {self.name}: {shown} {'met' if self.met else 'not met'} "
                f"(targets count on {counted_on})")
