"""Matching's route dependencies: the request's unit of work, the role checks that run before
the body is validated (403 before 400), and the app's settings and profile matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.matching.handlers import KEEPER_KINDS, MANAGERS, STAFF, WRITERS
from services.matching.matcher import MatchIndex
from services.matching.settings import MatchingSettings
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.auth import Principal, requires
from shared.http.deps import REQUEST_UNIT_OF_WORK

# The request's unit of work: committed before the response is sent, rolled back when the
# handler raises (a 4xx writes nothing).
Uow = Annotated[MatchingUnitOfWork, REQUEST_UNIT_OF_WORK]
# Every write route takes its caller through one of these: the role check runs as a dependency,
# before the body is validated, so a caller without the role gets 403 whatever it sends. The
# handlers check again (defence in depth).
Writer = Annotated[Principal, Depends(requires(*WRITERS, kinds=STAFF))]
# Accountmanagers (and admins) of an uitvoerder, a gemeente or a WSP: the keepers of employers
# and vacancies. Matching's other writes stay with the uitvoerder and the gemeente.
Keeper = Annotated[Principal, Depends(requires(*WRITERS, kinds=KEEPER_KINDS))]
Manager = Annotated[Principal, Depends(requires(*MANAGERS))]


async def _settings(request: Request) -> MatchingSettings:
    settings: MatchingSettings = request.app.state.settings
    return settings


async def _match_index(request: Request) -> MatchIndex:
    index: MatchIndex = request.app.state.match_index
    return index


Settings = Annotated[MatchingSettings, Depends(_settings)]
Index = Annotated[MatchIndex, Depends(_match_index)]
