"""Finance's handlers without HTTP: a unit of work on the real test database, the caller's
Principal, and what ends up stored and in the outbox."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from services.finance.commands import DecideGrant, ReadPaymentRun, SetBudget, StartPaymentRun
from services.finance.domain import lks
from services.finance.handlers import budgets, grant_decisions, grants, payment_runs, payments
from services.finance.store.models import Budget, Grant, PaymentLine
from services.finance.unit_of_work import FinanceRuntime
from shared.auth import Role
from shared.problems import BadRequest, Forbidden, NotFound
from shared.store import OutboxMessage
from tests.finance.conftest import BOXTEL, FAR, VUGHT, measured, pending_grant, staff

CONTROLLER = staff(BOXTEL, Role.CONTROLLER)


async def outbox(runtime: FinanceRuntime, name: str) -> list[dict[str, Any]]:
    """Envelopes of one event type in the outbox, with the NATS subject they go out on."""
    async with runtime.transaction() as session:
        rows = (await session.execute(select(OutboxMessage.subject,
                                             OutboxMessage.payload))).all()
    envelopes = [{**json.loads(payload), "natsSubject": subject} for subject, payload in rows]
    return [e for e in envelopes if e["type"] == f"nl.participatiewet.{name}"]


def decision(grant: Grant, **change: Any) -> DecideGrant:
    """The college's decision on the terms finance proposed."""
    terms: dict[str, Any] = {
        "grant_id": grant.id, "decision_number": "LKS-2026-0001", "start": grant.valid_from,
        "monthly_amount": grant.monthly_amount, "wage_value_pct": grant.wage_value_pct,
        "reassessment_date": FAR}
    return DecideGrant(**{**terms, **change})


async def test_a_budget_is_stored_and_announced(runtime: FinanceRuntime) -> None:
    async with runtime.begin(CONTROLLER) as uow:
        figures = await budgets.set_budget(uow, SetBudget(
            gemeente=BOXTEL, year=2026, funded_places=10, place_price=Decimal("12000.00"),
            lks_budget=Decimal("500000.00")))
    assert figures.guidance.budget == Decimal("120000.00")
    async with runtime.transaction() as session:
        stored = await session.get(Budget, (BOXTEL, 2026))
    assert stored is not None and stored.funded_places == 10
    (event,) = await outbox(runtime, "finance.budget-set")
    assert (event["gemeente"], event["subject"]) == (BOXTEL, f"{BOXTEL}-2026")
    assert event["data"]["fundedPlaces"] == 10


async def test_a_decision_grants_and_publishes_under_the_candidate(
        runtime: FinanceRuntime) -> None:
    grant = await pending_grant(runtime)
    async with runtime.begin(staff(BOXTEL, Role.CASEWORKER)) as uow:
        shown = await grant_decisions.decide_grant(uow, decision(grant))
    assert shown.grant.status == "active" and not shown.birth_date_known
    async with runtime.transaction() as session:
        stored = await session.get(Grant, grant.id)
    assert stored is not None
    assert (stored.status, stored.decided_by) == ("active", f"sub@{BOXTEL}")
    (event,) = await outbox(runtime, "finance.lks-granted")
    assert (event["gemeente"], event["subject"]) == (BOXTEL, str(grant.candidate_id))
    assert event["data"]["monthlyAmount"] == f"{grant.monthly_amount:.2f}"


async def test_a_role_without_the_right_is_refused(runtime: FinanceRuntime) -> None:
    with pytest.raises(Forbidden):
        async with runtime.begin(staff(BOXTEL, Role.CASEWORKER)) as uow:
            await budgets.set_budget(uow, SetBudget(
                gemeente=BOXTEL, year=2026, funded_places=1, place_price=Decimal(1),
                lks_budget=Decimal(1)))
    assert await outbox(runtime, "finance.budget-set") == []


async def test_another_gemeentes_grant_is_not_found(runtime: FinanceRuntime) -> None:
    grant = await pending_grant(runtime)
    with pytest.raises(NotFound):
        async with runtime.begin(staff(VUGHT, Role.CONTROLLER)) as uow:
            await grant_decisions.decide_grant(uow, decision(grant))
    async with runtime.transaction() as session:
        stored = await session.get(Grant, grant.id)
    assert stored is not None and stored.status == "pending"


async def test_a_decision_on_other_terms_breaks_the_rule(runtime: FinanceRuntime) -> None:
    grant = await pending_grant(runtime)
    with pytest.raises(BadRequest) as refused:
        async with runtime.begin(CONTROLLER) as uow:
            await grant_decisions.decide_grant(uow, decision(
                grant, monthly_amount=grant.monthly_amount + 1))
    assert [p.name for p in refused.value.invalid_params] == ["monthlyAmount"]
    assert await outbox(runtime, "finance.lks-granted") == []


async def test_a_payment_run_pays_the_decided_grants_once(runtime: FinanceRuntime) -> None:
    grant = await pending_grant(runtime)
    async with runtime.begin(CONTROLLER) as uow:
        await grant_decisions.decide_grant(uow, decision(grant))
    start = StartPaymentRun(gemeente=BOXTEL, month="2026-01", today=date(2026, 1, 31),
                            lead_days=0)
    async with runtime.begin(CONTROLLER) as uow:
        run_id = (await payment_runs.start_payment_run(uow, start)).id
    await payments.execute_run(runtime, run_id, batch_size=3)
    async with runtime.begin(CONTROLLER) as uow:
        run = await payment_runs.read_run(uow, ReadPaymentRun(run_id))
    assert (run.status, run.processed, run.payment_count) == ("completed", 1, 1)
    assert run.total_amount == grant.monthly_amount
    async with runtime.transaction() as session:
        lines = (await session.scalars(select(PaymentLine))).all()
    assert [(line.grant_id, line.amount) for line in lines] == [(grant.id,
                                                                 grant.monthly_amount)]
    (event,) = await outbox(runtime, "finance.payment-run-completed")
    assert (event["gemeente"], event["subject"]) == (BOXTEL, str(run_id))
    with pytest.raises(NotFound):  # another gemeente's run is not admitted to exist
        async with runtime.begin(staff(VUGHT, Role.CONTROLLER)) as uow:
            await payment_runs.read_run(uow, ReadPaymentRun(run_id))
    with pytest.raises(Exception, match="paid once"):
        async with runtime.begin(CONTROLLER) as uow:
            await payment_runs.start_payment_run(uow, start)


async def test_a_run_splits_a_grant_at_a_new_loonwaarde_read_batch_by_batch(
        runtime: FinanceRuntime) -> None:
    """The run reads a row per loonwaarde; a candidate's second one, measured mid-month, is
    paid from its date on, also when a batch ends at that grant (batches of one)."""
    decided = []
    for pct in (50, 30, 60):
        grant = await pending_grant(runtime, pct)
        async with runtime.begin(CONTROLLER) as uow:
            await grant_decisions.decide_grant(uow, decision(grant))
        decided.append(grant)
    changed = decided[0]
    async with runtime.begin() as uow:
        await grants.wage_value_measured(uow, measured(changed.candidate_id, 80,
                                                       date(2026, 1, 16), valid_until=FAR))
    async with runtime.begin(CONTROLLER) as uow:
        run_id = (await payment_runs.start_payment_run(uow, StartPaymentRun(
            gemeente=BOXTEL, month="2026-01", today=date(2026, 1, 31), lead_days=0))).id
        table = await uow.parameters.table()
    await payments.execute_run(runtime, run_id, batch_size=1)
    async with runtime.transaction() as session:
        paid = dict((await session.execute(select(PaymentLine.grant_id,
                                                  PaymentLine.amount))).all())
    periods = (lks.WageValuePeriod(date(2025, 6, 1), FAR, 50),
               lks.WageValuePeriod(date(2026, 1, 16), FAR, 80))
    split = lks.month_amount(lks.GrantTerms(
        start=changed.valid_from, end=None, hours_per_week=changed.hours_per_week,
        hourly_wage=changed.hourly_wage, wage_values=periods), date(2026, 1, 1), table)
    assert paid[changed.id] == split
    assert split < changed.monthly_amount  # a higher loonwaarde: less subsidy from the 16th
    assert [paid[grant.id] for grant in decided[1:]] == [
        grant.monthly_amount for grant in decided[1:]]


async def test_a_month_not_yet_begun_is_not_paid(runtime: FinanceRuntime) -> None:
    with pytest.raises(BadRequest, match="may not be paid yet"):
        async with runtime.begin(CONTROLLER) as uow:
            await payment_runs.start_payment_run(uow, StartPaymentRun(
                gemeente=BOXTEL, month="2026-03", today=datetime(2026, 2, 27, tzinfo=UTC).date(),
                lead_days=0))

