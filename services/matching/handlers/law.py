"""What matching folds from other services for the law's checks on placements (issue 12).

- `finance.legal-parameter-set` (national, tenant "NL"): the minimum-wage rows only — the
  hourly WML and the youth shares. Another code is none of matching's business.
- `intake.candidate-registered`: the birth date (for the youth minimum wage). A date only: no
  name, no burgerservicenummer; a later registration event (a correction) wins.
- `intake.sheltered-work-indication-decided`: the college's decision, by indication id.

Each is idempotent: a redelivered or replayed event leaves the same row.
"""

from __future__ import annotations

import re

from services.matching.handlers.profiles import profile_row
from services.matching.store.models import LegalParameter, ShelteredWorkIndication
from services.matching.unit_of_work import MatchingUnitOfWork
from shared.events.finance import LegalParameterSet
from shared.events.intake import CandidateRegistered, ShelteredWorkIndicationDecided
from shared.minimum_wage import WML_HOURLY_CODE

# The codes the wage floor reads: shared.minimum_wage.youth_share_code(15 … 20).
WAGE_FLOOR_CODES = re.compile(rf"^({re.escape(WML_HOURLY_CODE)}|youth-share-pct-(1[5-9]|20))$")


async def record_legal_parameter(uow: MatchingUnitOfWork, event: LegalParameterSet) -> None:
    """Keep a minimum-wage parameter; a later setting of the same (code, date) replaces it."""
    if not WAGE_FLOOR_CODES.match(event.code):
        return
    repo = uow.legal_parameters
    row = await repo.get_for_update_unscoped((event.code, event.effective_from))
    if row is None:
        repo.add(LegalParameter(code=event.code, effective_from=event.effective_from,
                                value=event.value, source=event.source[:500],
                                set_at=event.set_at))
    elif event.set_at >= row.set_at:
        row.value, row.source, row.set_at = event.value, event.source[:500], event.set_at


async def record_birth_date(uow: MatchingUnitOfWork, event: CandidateRegistered) -> None:
    """The birth date from the registration (older events without one change nothing)."""
    if event.birth_date is None:
        return
    row = await profile_row(uow, event.candidate_id, event.gemeente)
    row.birth_date = event.birth_date


async def record_indication(uow: MatchingUnitOfWork,
                            event: ShelteredWorkIndicationDecided) -> None:
    """The college's decision on a beschut-werk indication, by its id."""
    repo = uow.indications
    row = await repo.get_for_update_unscoped(event.indication_id)
    if row is None:
        row = repo.add(ShelteredWorkIndication(
            indication_id=event.indication_id, candidate_id=event.candidate_id,
            gemeente=event.gemeente, decision=event.decision.value,
            uwv_outcome=event.uwv_outcome.value, decided_on=event.decided_on,
            valid_until=event.valid_until, decided_at=event.decided_at))
    elif event.decided_at >= row.decided_at:
        row.decision, row.uwv_outcome = event.decision.value, event.uwv_outcome.value
        row.decided_on, row.valid_until = event.decided_on, event.valid_until
        row.decided_at = event.decided_at
