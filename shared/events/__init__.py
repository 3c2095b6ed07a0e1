"""Event envelope, catalogue and subjects; importing this registers every event type."""

from shared.events import intake as intake  # noqa: F401  (registers the catalogue entries)
from shared.events.catalogue import CATALOGUE, EventData, parse_data, register
from shared.events.envelope import Envelope, EnvelopeError, source_urn

__all__ = ["CATALOGUE", "Envelope", "EnvelopeError", "EventData", "parse_data", "register",
           "source_urn"]
