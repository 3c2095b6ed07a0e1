"""Seeded synthetic candidate profiles and a vacancy for matching's bench and tests.

The mix roughly follows the seeds: most candidates in Brabant gemeenten of WSD, some with a
lifting or standing limit, some without night shifts, interests and skills from short lists.
"""

from __future__ import annotations

import random

from services.matching.domain.demands import Demand
from services.matching.domain.scoring import Job, Profile, Task, normalise_skill
from services.matching.reference import centroids
from shared.events.vocabulary import Werksoort

SKILLS = ("heftruck rijden", "scanner", "kassa", "vca basis", "groenonderhoud", "koken",
          "schoonmaken", "inpakken", "solderen", "excel", "klantcontact", "rijbewijs b")
PROGRAMMES = ("werk", "werk", "ontwikkel", "ontwikkel", "uitstroom")
PROVIDERS = ("WSD", "WSD", "WSD", "IBN")


def profiles(count: int, seed: int = 2026) -> list[Profile]:
    """`count` profiles, the same for the same seed."""
    rng = random.Random(seed)
    codes = sorted(centroids()) + ["GM9999"]  # one unknown gemeente: neutral travel
    werksoorten = [w.value for w in Werksoort]
    made = []
    for i in range(count):
        limits: dict[str, float] = {}
        if rng.random() < 0.35:
            limits["lifting-max-kg"] = float(rng.choice((5, 10, 15, 20, 25)))
        if rng.random() < 0.2:
            limits["standing-max-hours"] = float(rng.choice((2, 4, 6)))
        flags = frozenset(f for f, p in (("no-night-shifts", 0.3), ("no-noise", 0.1),
                                         ("no-customer-contact", 0.15)) if rng.random() < p)
        made.append(Profile(
            candidate_id=f"{rng.getrandbits(128):032x}-{i}", gemeente=rng.choice(codes[:12]),
            provider=rng.choice(PROVIDERS), programme=rng.choice(PROGRAMMES), limits=limits,
            flags=flags, interests=frozenset(rng.sample(werksoorten, rng.randint(0, 3))),
            skills=frozenset(normalise_skill(s) for s in rng.sample(SKILLS, rng.randint(0, 4))),
            hours_per_week=float(rng.choice((8, 12, 16, 20, 24, 28, 32, 36))),
            home_gemeente=rng.choice(codes), travel_radius_km=float(rng.choice((0, 5, 15, 30))),
            wage_value_pct=rng.randint(20, 100)))
    return made


def warehouse_job() -> Job:
    """A logistics vacancy in Boxtel: heavy, night and light tasks (so carving matters)."""
    return Job(vacancy_id="bench-vacancy", gemeente="GM0757", werksoort="logistiek", tasks=(
        Task("pallets laden", 12.0, (Demand("lifting-max-kg", 20.0),),
             ("heftruck rijden", "vca basis")),
        Task("nachtploeg", 8.0, (Demand("no-night-shifts"),), ("scanner",)),
        Task("orders picken", 12.0, (Demand("standing-max-hours", 4.0),),
             ("inpakken", "scanner")),
        Task("administratie", 4.5, (), ("excel",)),
    ))
