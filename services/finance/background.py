"""Work the finance app does besides answering requests: payment runs and the re-assessment scan.

Tasks are held here so they are not garbage-collected mid-run and are stopped with the app; a
payment run stopped that way resumes at the next start (it is committed batch by batch).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import date
from typing import Any

from services.finance.handlers import grants, parameters, payments
from services.finance.settings import FinanceSettings
from services.finance.unit_of_work import FinanceRuntime
from shared.db import is_sqlite
from shared.dutch_time import dutch_today
from shared.logging import get_logger

log = get_logger(__name__)
__all__ = ["Background"]


class Background:
    """The app's own tasks."""

    def __init__(self, runtime: FinanceRuntime) -> None:
        self.runtime = runtime
        self.settings: FinanceSettings = runtime.settings
        # Postgres: rows are locked so that two replicas never do the same work.
        self.lock = not is_sqlite(runtime.database_url)
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `work` in the background, logging (not losing) a failure."""
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("finance.background_failed", task=task.get_name(),
                      error=repr(task.exception()))

    def run_payments(self, run_id: Any) -> None:
        """Work a payment run to its end."""
        self.spawn(payments.execute_run(
            self.runtime, run_id, batch_size=self.settings.finance_payment_batch_size),
            name=f"payment-run-{run_id}")

    async def start(self) -> None:
        """Announce legal parameters not yet announced (the seeded rows, once); resume
        unfinished runs; start the re-assessment scan if it has an interval."""
        async with self.runtime.begin() as uow:
            announced = await parameters.publish_unpublished(uow, lock=self.lock)
        if announced:
            log.info("finance.legal_parameters_announced", count=announced)
        for run_id in await payments.unfinished_runs(self.runtime):
            self.run_payments(run_id)
        if self.settings.finance_reassessment_interval_s > 0:
            self.spawn(self._scan_forever(), name="reassessment-scan")

    async def scan_once(self, on: date | None = None) -> int:
        """One re-assessment scan; how many reassessment-due events it wrote."""
        async with self.runtime.begin() as uow:
            return await grants.due_reassessments(
                uow, today=on or dutch_today(),
                lead_days=self.settings.finance_reassessment_lead_days, lock=self.lock)

    async def _scan_forever(self) -> None:
        while True:
            try:
                found = await self.scan_once()
                if found:
                    log.info("finance.reassessments_due", count=found)
            except Exception as exc:  # noqa: BLE001 — the next round tries again
                log.warning("finance.reassessment_scan_failed", error=repr(exc))
            await asyncio.sleep(self.settings.finance_reassessment_interval_s)

    async def stop(self) -> None:
        """Cancel what still runs and wait for it (bounded)."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5.0)
