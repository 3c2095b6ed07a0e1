"""W3C trace context: each hop gets a fresh span id and keeps a valid incoming trace id."""

from __future__ import annotations

from shared.tracing import continue_trace, current_traceparent, new_traceparent, trace_id_of

INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _ids(traceparent: str) -> tuple[str, str]:
    version, trace_id, span_id, flags = traceparent.split("-")
    assert (version, flags) == ("00", "01")
    return trace_id, span_id


def test_a_new_trace_has_well_formed_fresh_ids_of_its_own() -> None:
    first, second = new_traceparent(), new_traceparent()
    assert trace_id_of(first) is not None and trace_id_of(second) is not None
    (trace, span), (other_trace, other_span) = _ids(first), _ids(second)
    assert (len(trace), len(span)) == (32, 16)
    assert trace != other_trace and span != other_span
    assert not trace.startswith(span)  # the two ids come from different bytes


def test_a_hop_keeps_a_valid_incoming_trace_with_a_span_of_its_own() -> None:
    incoming = f"00-{INCOMING_TRACE}-00f067aa0ba902b7-01"
    traceparent = continue_trace(incoming)
    trace, span = _ids(traceparent)
    assert trace == INCOMING_TRACE and span != "00f067aa0ba902b7"
    assert current_traceparent() == traceparent


def test_a_malformed_incoming_trace_starts_a_new_one() -> None:
    traceparent = continue_trace("00-not-a-trace-01")
    assert trace_id_of(traceparent) is not None
    assert INCOMING_TRACE not in traceparent and "not-a-trace" not in traceparent
