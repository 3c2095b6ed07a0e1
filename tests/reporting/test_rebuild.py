"""Rebuild: replays every stream into a new generation and swaps it in, serving the old one
until then; with events arriving meanwhile, the figures equal a straight live run."""

from __future__ import annotations

import asyncio
import io
import uuid
from typing import Any

from sqlalchemy import func, select

from services.reporting.rebuild import rebuild
from services.reporting.store.models import CandidateRow, Generation
from shared.events.envelope import Envelope
from tests.conftest import delete_streams
from tests.reporting.conftest import Reporting, running_reporting, settings_for
from tests.reporting.stories import two_gemeenten
from tests.reporting.test_figures import everything
from tests.support.databases import DatabaseFactory


async def generations(reporting: Reporting) -> list[tuple[int, str]]:
    async with reporting.runtime.sessions() as session:
        rows = await session.execute(select(Generation.id, Generation.state)
                                     .order_by(Generation.id))
        return [(int(i), str(s)) for i, s in rows.all()]


async def candidate_rows(reporting: Reporting) -> dict[int, int]:
    async with reporting.runtime.sessions() as session:
        rows = await session.execute(select(CandidateRow.generation, func.count())
                                     .group_by(CandidateRow.generation))
        return {int(g): int(n) for g, n in rows.all()}


async def test_rebuild_replays_swaps_and_live_continues(reporting: Reporting) -> None:
    first, later = two_gemeenten(1).envelopes, two_gemeenten(2).envelopes
    await reporting.publish(first)
    await reporting.drained()
    before = await everything(reporting)
    progress = io.StringIO()

    result = await rebuild(reporting.settings, out=progress)

    assert (result.generation, result.replaced, result.events) == (2, 1, len(first))
    assert sum(result.positions.values()) == len(first)
    assert await generations(reporting) == [(2, "active")]
    assert await candidate_rows(reporting) == {2: 10}  # generation 1's rows are gone
    assert await everything(reporting) == before
    assert f"{len(first)} events folded" in progress.getvalue()
    assert "[" in progress.getvalue() and "100%" in progress.getvalue()
    status = (await reporting.get("/v1/reports/status",
                                  {"Authorization": _board_token()})).json()
    assert status["activeGeneration"] == 2 and sum(status["rebuiltThrough"].values()) == len(first)

    # A redelivery of what the rebuild folded is skipped by sequence; new events are folded.
    await reporting.publish(first, msg_ids=False)
    await reporting.publish(later)
    await reporting.drained()
    registrations = {(r["gemeente"], r["targetGroup"]): r["people"]
                     for r in (await everything(reporting))["registrations"]}
    assert registrations[("GM0757", "bijstand")] == 12  # 6 per copy, not 18


def _board_token() -> str:
    from tests.reporting.conftest import board_auth

    return board_auth()["Authorization"]


async def trickle(reporting: Reporting, envelopes: list[Envelope]) -> None:
    """Publish a few at a time, as services do while a rebuild runs."""
    for start in range(0, len(envelopes), 10):
        await reporting.publish(envelopes[start:start + 10])
        await asyncio.sleep(0.1)


async def test_a_rebuild_while_events_keep_coming_equals_a_straight_run(
    reporting: Reporting, reporting_databases: DatabaseFactory, nats_url: str
) -> None:
    history = [e for copy in range(1, 6) for e in two_gemeenten(copy).envelopes]
    first, during, after = history[:150], history[150:300], history[300:]
    await reporting.publish(first)
    await reporting.drained()
    slow = reporting.settings.model_copy(update={"reporting_rebuild_fetch": 5,
                                                 "reporting_rebuild_flush_events": 25})

    async def meanwhile() -> None:
        """Replayed but not swapped yet: the live consumers fold these into the old one."""
        await reporting.publish(during)
        await reporting.drained()

    # Events trickle in all along; some at a fixed point between replay and swap.
    publishing = asyncio.create_task(trickle(reporting, after[:100]))
    result = await rebuild(slow, out=None, before_swap=meanwhile)
    await publishing
    await reporting.publish(after[100:])  # after the swap: folded live into the new one
    await reporting.drained()
    assert len(first) + len(during) <= sum(result.positions.values()) < len(history)
    straight = await straight_run(reporting_databases, nats_url, history)
    assert await everything(reporting) == straight
    # And a rebuild with nothing arriving gives the same figures again.
    await rebuild(reporting.settings, out=None)
    assert await everything(reporting) == straight


async def straight_run(databases: DatabaseFactory, nats_url: str,
                       history: list[Envelope]) -> dict[str, Any]:
    """The same history folded by live consumers only, in a service of its own."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    settings = settings_for(await databases.fresh(), nats_url, namespace)
    try:
        async with running_reporting(settings) as other:
            await other.publish(history)
            await other.drained()
            return await everything(other)
    finally:
        await delete_streams(nats_url, namespace)
