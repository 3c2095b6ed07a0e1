"""A million klantreis events for the reporting benchmark, fast: JSON built from templates.

The shapes are the catalogue's (camelCase data inside a CloudEvents envelope); `check_sample`
validates a sample with the catalogue's pydantic models, so speed never costs correctness.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from shared.events import CATALOGUE, parse_data
from shared.events.envelope import Envelope, source_urn
from shared.settings import DEV_OIN

GEMEENTEN = ("GM0757", "GM0845", "GM0865", "GM1948", "GM1641", "GM0957", "GM1669", "GM1640",
             "GM1711", "GM0637")
PROVIDERS = ("WSD", "IBN", "WESTROM")
FORMS = ("trial", "lks", "lks", "sheltered", "secondment", "regular", "wsw")
PREFIX = "nl.participatiewet."
Event = tuple[str, str, bytes]  # producer, gemeente, payload


def _envelope(event: str, gemeente: str, subject: str, data: dict[str, Any], when: str
              ) -> Event:
    producer = event.split(".", 1)[0]
    body = {"specversion": "1.0", "id": str(uuid.uuid4()),
            "source": source_urn(DEV_OIN, producer), "type": PREFIX + event,
            "subject": subject, "time": when, "datacontenttype": "application/json",
            "gemeente": gemeente, "data": data}
    return producer, gemeente, json.dumps(body, separators=(",", ":")).encode()


def _ts(day: date) -> str:
    return f"{day.isoformat()}T10:00:00Z"


def journey(rng: random.Random, n: int) -> list[Event]:
    """One candidate's events (about ten) across the four streams."""
    g, provider = GEMEENTEN[n % len(GEMEENTEN)], PROVIDERS[n % len(PROVIDERS)]
    cid, case, placement = (str(uuid.uuid4()) for _ in range(3))
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
    steps = [day + timedelta(days=sum(rng.randint(5, 40) for _ in range(k))) for k in range(6)]
    base = {"candidateId": cid, "gemeente": g}
    year = rng.randint(1960, 2009)
    out = [
        _envelope("intake.candidate-registered", g, cid, {
            **base, "targetGroup": rng.choice(("bijstand", "jongere", "wsw-indicatie",
                                               "vergunninghouder")),
            "birthYear": year, "registeredAt": _ts(steps[0])}, _ts(steps[0])),
        _envelope("intake.route-decided", g, cid, {
            **base, "route": "refer", "provider": provider, "decidedAt": _ts(steps[0])},
            _ts(steps[0])),
        _envelope("intake.candidate-referred", g, cid, {
            **base, "referralId": str(uuid.uuid4()), "provider": provider,
            "question": rng.choice(("werkdiagnose", "mijn-werk-dichtbij", "oad")),
            "targetGroup": "bijstand", "birthYear": year, "referredAt": _ts(steps[0])},
            _ts(steps[0])),
    ]
    case_ref = {**base, "diagnosisId": case, "provider": provider}
    instrument = rng.choice(("werkdiagnose", "mijn-werk-dichtbij", "oad", "quickscan"))
    out += [
        _envelope("diagnose.diagnosis-started", g, cid, {
            **case_ref, "instrument": instrument, "startedOn": steps[1].isoformat(),
            "plannedEnd": steps[3].isoformat()}, _ts(steps[1])),
        _envelope("diagnose.advice-issued", g, cid, {
            **case_ref, "adviceId": str(uuid.uuid4()), "programme": "werk",
            "lksIndicated": True, "shelteredWorkIndicated": False,
            "developmentPotential": "clear", "issuedAt": _ts(steps[2])}, _ts(steps[2])),
        _envelope("diagnose.diagnosis-closed", g, cid, {
            **case_ref, "instrument": instrument,
            "outcome": rng.choice(("advice-given", "through-to-work", "back-to-care")),
            "closedAt": _ts(steps[2])}, _ts(steps[2])),
        _envelope("intake.programme-decided", g, cid, {
            **base, "programme": "werk", "provider": provider,
            "startDate": steps[3].isoformat(), "decidedAt": _ts(steps[3])}, _ts(steps[3])),
    ]
    form = rng.choice(FORMS)
    out.append(_envelope("matching.placement-started", g, cid, {
        **base, "placementId": placement, "provider": provider,
        "employerId": str(uuid.uuid4()), "employerKvk": "90000001" if n % 2 else "30123456",
        "form": form, "hoursPerWeek": "32", "hourlyWage": "14.71",
        "startDate": steps[4].isoformat(), "startedAt": _ts(steps[4])}, _ts(steps[4])))
    if form == "lks":
        out.append(_envelope("finance.lks-granted", g, cid, {
            **base, "grantId": str(uuid.uuid4()), "placementId": placement,
            "employerKvk": "30123456", "wageValuePct": 50, "monthlyAmount": "1530.38",
            "validFrom": steps[4].isoformat(), "grantedAt": _ts(steps[4])}, _ts(steps[4])))
    if rng.random() < 0.3:
        out.append(_envelope("matching.placement-ended", g, cid, {
            **base, "placementId": placement, "provider": provider, "form": form,
            "endDate": steps[5].isoformat(), "reason": "regular-job",
            "endedAt": _ts(steps[5])}, _ts(steps[5])))
    return out


def events(total: int, seed: int = 7) -> Iterator[Event]:
    """Exactly `total` events, candidate after candidate, plus a budget per gemeente."""
    rng = random.Random(seed)
    count = 0
    for g in GEMEENTEN:
        yield _envelope("finance.budget-set", g, str(uuid.uuid4()), {
            "gemeente": g, "year": 2026, "fundedPlaces": 900, "placePrice": "12500",
            "guidanceBudget": "11250000", "lksBudget": "5000000",
            "setAt": "2025-11-15T10:00:00Z"}, "2025-11-15T10:00:00Z")
        count += 1
    n = 0
    while True:
        for event in journey(rng, n):
            if count >= total:
                return
            yield event
            count += 1
        n += 1


def check_sample(sample: list[Event]) -> None:
    """Every sampled event parses as a CloudEvent and validates against its catalogue model."""
    for _, _, payload in sample:
        envelope = Envelope.from_json(payload)
        assert envelope.type in CATALOGUE, envelope.type
        parse_data(envelope)
