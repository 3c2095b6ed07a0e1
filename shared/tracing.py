"""W3C trace context: the traceparent of the current request, carried into its events."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_current: ContextVar[str | None] = ContextVar("traceparent", default=None)


def new_traceparent(trace_id: str | None = None) -> str:
    """A traceparent with a fresh span id (and a fresh trace id unless one is given)."""
    if trace_id:
        return f"00-{trace_id}-{secrets.token_hex(8)}-01"
    ids = secrets.token_hex(24)  # both ids from one read of the OS's randomness (a syscall)
    return f"00-{ids[:32]}-{ids[32:]}-01"


def trace_id_of(traceparent: str) -> str | None:
    """The trace id of a well-formed traceparent, else None."""
    match = _TRACEPARENT.match(traceparent.strip().lower())
    return match.group(1) if match else None


def continue_trace(incoming: str | None) -> str:
    """Start this hop's span: keep the caller's trace id if it sent a valid traceparent."""
    trace_id = trace_id_of(incoming) if incoming else None
    traceparent = new_traceparent(trace_id)
    _current.set(traceparent)
    return traceparent


def current_traceparent() -> str | None:
    """The traceparent of the work in progress."""
    return _current.get()
