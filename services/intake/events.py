"""The events intake publishes (from the shared catalogue). It consumes none yet."""

from shared.events.intake import (
    CandidateClosed,
    CandidateReferred,
    CandidateRegistered,
    ProgrammeDecided,
    RouteDecided,
)

PUBLISHES = (CandidateRegistered, RouteDecided, CandidateReferred, ProgrammeDecided,
             CandidateClosed)
