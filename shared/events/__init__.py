"""Event envelope, catalogue and subjects; importing this registers every event type."""

# Importing the producers' modules registers their catalogue entries.
from shared.events import diagnose as diagnose  # noqa: F401
from shared.events import finance as finance  # noqa: F401
from shared.events import intake as intake  # noqa: F401
from shared.events import matching as matching  # noqa: F401
from shared.events.catalogue import CATALOGUE, EventData, parse_data, register
from shared.events.envelope import Envelope, EnvelopeError, source_urn

__all__ = ["CATALOGUE", "Envelope", "EnvelopeError", "EventData", "parse_data", "register",
           "source_urn"]
