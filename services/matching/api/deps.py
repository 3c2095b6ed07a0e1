"""Matching's route dependencies: the request's unit of work, the role checks that run before
the body is validated (403 before 400), and the app's settings and profile matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.matching.handlers import KEEPER_KINDS, MANAGERS, STAFF, WRITERS
from services.matching.matcher import MatchIndex
from services.matching.settings import MatchingSettings
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.http.deps import REQUEST_UNIT_OF_WORK, unit_of_work_for

# The request's unit of work: committed before the response is sent, rolled back when the
# handler raises (a 4xx writes nothing).
Uow = Annotated[MatchingUnitOfWork, REQUEST_UNIT_OF_WORK]
# Every write route takes one of these instead: the same unit of work, for a caller holding the
# role. The role is checked before the transaction opens and before the body is validated, so a
# caller without it gets 403 whatever it sends; one dependency, not a role dependency beside the
# unit of work. The handlers check again (defence in depth); `uow.principal` is the caller.
WriterUow = Annotated[MatchingUnitOfWork, unit_of_work_for(*WRITERS, kinds=STAFF)]
# Accountmanagers (and admins) of an uitvoerder, a gemeente or a WSP: the keepers of employers
# and vacancies. Matching's other writes stay with the uitvoerder and the gemeente.
KeeperUow = Annotated[MatchingUnitOfWork, unit_of_work_for(*WRITERS, kinds=KEEPER_KINDS)]
ManagerUow = Annotated[MatchingUnitOfWork, unit_of_work_for(*MANAGERS)]

async def _settings(request: Request) -> MatchingSettings:
    settings: MatchingSettings = request.app.state.settings
    return settings


async def _match_index(request: Request) -> MatchIndex:
    index: MatchIndex = request.app.state.match_index
    return index


Settings = Annotated[MatchingSettings, Depends(_settings)]
Index = Annotated[MatchIndex, Depends(_match_index)]
