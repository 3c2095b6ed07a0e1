"""The demo's lokaal-plan actions of Boxtel: what the plan sets out is from the sources (WSD
Boxtel lokaal plan 2021–2025, ../shared/DOMAIN.md); their owners, statuses and notes are
illustrative, and marked so (report "lokaal-plan" in report_illustrative)."""

from __future__ import annotations

import uuid

from services.reporting.commands import CreatePlanAction, SetPlanActionNote
from services.reporting.handlers import plan_actions
from services.reporting.unit_of_work import ReportingUnitOfWork

BOXTEL = "GM0757"
PERIOD = "2026-H1"
_NAMESPACE = uuid.UUID("6f1c2d1e-4b1a-4f43-9a59-1c0de0000015")

# (action — from the sources, owner, status, note for 2026-H1 — illustrative)
ACTIONS = (
    ("MijnWerkDichtbij: werk als diagnose-instrument in de wijk (pilot nov 2020 – nov 2021)",
     "WSD en team Werk", "done",
     "Pilot afgerond: 26 verwezen, 10 gestart, 4 einddiagnose binnen 3 maanden."),
    ("OAD: meer dan 50% van de deelnemers door naar werk", "WSD", "in-progress",
     "Doel blijft > 50%; de pilot van 2018 (12 mensen) bracht er 2 aan het werk."),
    ("Werkacademie Jongeren: jongeren via scholen en het loket", "WSD en team Jeugd",
     "in-progress", "71 jongeren begeleid (stand WSD 26 april 2021)."),
    ("Plaatsen boven het begeleidingsbudget betalen uit de stimuleringsreserve van WSD",
     "gemeente Boxtel en WSD", "delayed",
     "12 plaatsen boven budget (120 bij WSD, 108 gefinancierd)."),
)


async def seed_plan_actions(uow: ReportingUnitOfWork) -> int:
    """Boxtel's demo actions with their note for 2026-H1, under fixed ids (re-seeding keeps
    one set); returns how many. `uow` is opened for Boxtel itself (the only writer)."""
    for number, (action, owner, status, note) in enumerate(ACTIONS):
        action_id = str(uuid.uuid5(_NAMESPACE, f"{BOXTEL}/{number}"))
        await plan_actions.put_action(uow, action_id, CreatePlanAction(
            gemeente=BOXTEL, action=action, owner=owner, status=status, by="seed-demo"))
        await plan_actions.set_note(uow, SetPlanActionNote(
            gemeente=BOXTEL, action_id=action_id, period=PERIOD, note=note, by="seed-demo"))
    return len(ACTIONS)
