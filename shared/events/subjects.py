"""NATS subjects and streams: `participatiewet.<gemeente>.<service>.<event>`.

The gemeente sits in the subject so NATS permissions can confine an organisation to its own
subjects. One stream per producing service. `namespace` prefixes subjects and stream names so
that test runs (and tenants sharing one NATS) never collide; it is empty in production.
"""

from __future__ import annotations

import re

ROOT = "participatiewet"
# National data (legal parameters) belongs to no gemeente: its events use this tenant token, so
# every organisation's NATS user can be allowed to read `participatiewet.NL.>` and nothing more.
NATIONAL = "NL"
_GEMEENTE = re.compile(r"^(GM\d{4}|NL)$")


def _root(namespace: str) -> str:
    return f"{namespace}.{ROOT}" if namespace else ROOT


def subject_for(event_name: str, gemeente: str, namespace: str = "") -> str:
    """`participatiewet.GM0757.intake.candidate-registered` for `intake.candidate-registered`."""
    if not _GEMEENTE.match(gemeente):
        raise ValueError(f"not a CBS gemeente code: {gemeente!r}")
    service, _, event = event_name.partition(".")
    return f"{_root(namespace)}.{gemeente}.{service}.{event}"


def stream_name(service: str, namespace: str = "") -> str:
    """`INTAKE` (or `<NS>_INTAKE`): the stream holding one producing service's events."""
    name = service.upper().replace("-", "_")
    return f"{namespace.upper()}_{name}" if namespace else name


def stream_subjects(service: str, namespace: str = "") -> list[str]:
    """Every gemeente's subjects for one producing service."""
    return [f"{_root(namespace)}.*.{service}.>"]


def filter_subject(event_name: str, namespace: str = "") -> str:
    """All gemeenten's subjects for one event type (a consumer's filter)."""
    service, _, event = event_name.partition(".")
    return f"{_root(namespace)}.*.{service}.{event}"


def gemeente_subjects(service: str, gemeente: str, namespace: str = "") -> str:
    """One gemeente's subjects of one producing service (an organisation-scoped consumer)."""
    if not _GEMEENTE.match(gemeente):
        raise ValueError(f"not a CBS gemeente code: {gemeente!r}")
    return f"{_root(namespace)}.{gemeente}.{service}.>"
