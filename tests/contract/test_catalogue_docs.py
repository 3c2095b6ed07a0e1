"""The README's event catalogue lists every event type the code can publish."""

from __future__ import annotations

from pathlib import Path

from shared.events import CATALOGUE
from shared.events.envelope import TYPE_PREFIX

README = Path(__file__).resolve().parents[2] / "README.md"
# Types the spine's catalogue gained for issues 12/13 whose README rows come with the merge of
# the branches that publish them (the README's catalogue is the coordinator's). Strict: once a
# row is there, remove its type from here.
UNDOCUMENTED_UNTIL_MERGE = {
    "intake.sheltered-work-indication-decided", "finance.lks-refused",
    "finance.legal-parameter-set",
}


def test_every_catalogue_event_is_documented() -> None:
    text = README.read_text()
    missing = {t.removeprefix(TYPE_PREFIX) for t in CATALOGUE
               if f"`{t.removeprefix(TYPE_PREFIX)}`" not in text}
    assert sorted(missing - UNDOCUMENTED_UNTIL_MERGE) == []
    assert sorted(UNDOCUMENTED_UNTIL_MERGE - missing) == [], "documented now: remove from the set"
