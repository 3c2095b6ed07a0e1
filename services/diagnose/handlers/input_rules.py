"""How a broken input rule is answered: a 400 naming the field, and for an unknown code the list.

Built on the spine's `domain_rules` (detail = the rule's message, invalidParam = its field and
reason). The one addition: a code that is not on its reference list names the list and where to
read it, not only "unknown", which is why this is more than `domain_rules` alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from services.diagnose.domain import rules
from services.diagnose.reference_lists import lists_for
from services.diagnose.store.models import DiagnosisCase
from shared.dutch_time import dutch_day
from shared.http.reference import unknown_code_reason
from shared.problems import BadRequest, InvalidParam, domain_rules


@contextmanager
def input_rules(methods: Sequence[str] = ()) -> Iterator[None]:
    """Within: a RuleViolation becomes a 400 (`methods`: the deployment's loonwaarde methods)."""
    with domain_rules(rules.RuleViolation, problem=BadRequest):
        try:
            yield
        except rules.RuleViolation as exc:
            if exc.code_list is None:
                raise
            lists = {r.name: r for r in lists_for(methods)}
            reason = unknown_code_reason(lists[exc.code_list], exc.value)
            raise BadRequest(str(exc), invalid_params=[InvalidParam(exc.field, reason)]) from exc


def check_after_referral(case: DiagnosisCase, field: str, day: date, migrated: bool) -> None:
    """A step is not dated before the referral, unless migrated history."""
    # Cases opened before the referral moment was kept fall back to when diagnose opened them.
    referred_on = dutch_day(case.referred_at or case.opened_at)
    rules.check_not_before(field=field, day=day, step="referral", step_day=referred_on,
                           migrated=migrated)
