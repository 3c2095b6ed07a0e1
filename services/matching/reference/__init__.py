"""Reference data shipped with matching: approximate gemeente centroids (CBS code → lat/lon).

The centroids are approximate town-centre coordinates, good to a few kilometres: enough to
compare a commute with a travel radius, not for routing. Haaren (GM0788) is left out: it was
dissolved on 1 January 2021 into Boxtel, Oisterwijk, Tilburg and Vught. A gemeente missing
here gives an unknown distance and a neutral travel score (see domain/scoring.py).
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from services.matching.domain.geo import Centroid

CENTROIDS_CSV = Path(__file__).parent / "gemeenten.csv"


@functools.cache
def centroids() -> dict[str, Centroid]:
    """CBS gemeente code → centroid, read once per process."""
    with CENTROIDS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: Centroid(float(row["lat"]), float(row["lon"]))
                for row in csv.DictReader(handle)}
