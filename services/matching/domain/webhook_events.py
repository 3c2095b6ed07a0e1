"""Which events an outbound webhook subscription may ask for, and which organisations get them.

Matching delivers its own events, and relays `finance.budget-exceeded` (the README promised it
as a webhook event): matching already consumes finance's stream, so the relay costs one handler
instead of a second webhook machine in finance. A budget overrun is the gemeente's own financial
signal; it goes to the gemeente and to the uitvoerders that work for it (the guidance line is
their funded places), never to a werkgeversservicepunt, which works for employers, not for the
gemeente's budget.
"""

from __future__ import annotations

from shared.events.catalogue import CATALOGUE
from shared.events.finance import BudgetExceeded

OWN_TYPES: tuple[str, ...] = tuple(sorted(
    t for t, model in CATALOGUE.items() if model.producer() == "matching"))
BUDGET_EXCEEDED = BudgetExceeded.ce_type()
# Another service's event type → the organisation kinds that may subscribe to it.
RELAYED: dict[str, frozenset[str]] = {BUDGET_EXCEEDED: frozenset({"gemeente", "provider"})}
SUBSCRIBABLE: tuple[str, ...] = OWN_TYPES + tuple(sorted(RELAYED))


def may_receive(event_type: str, org_kind: str) -> bool:
    """May an organisation of this kind subscribe to (and be sent) this event type?"""
    kinds = RELAYED.get(event_type)
    return event_type in SUBSCRIBABLE and (kinds is None or org_kind in kinds)
