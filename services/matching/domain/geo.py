"""Distances between gemeenten, from their centroids (great-circle, in km)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Centroid:
    """An approximate centre of a gemeente."""

    lat: float
    lon: float


def haversine_km(a: Centroid, b: Centroid) -> float:
    """Great-circle distance; commuting distance is larger, the radius is a rough cut anyway."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distances_from(gemeente: str, centroids: Mapping[str, Centroid]) -> dict[str, float]:
    """Distance from one gemeente to every known one; empty when it has no centroid itself.

    Computed once per ranking in plain Python and then looked up, so the vectorised and the
    per-candidate scorer use the very same floats.
    """
    origin = centroids.get(gemeente)
    if origin is None:
        return {}
    return {code: haversine_km(origin, point) for code, point in centroids.items()}
