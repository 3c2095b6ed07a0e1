"""The README's event catalogue lists every event type the code can publish."""

from __future__ import annotations

from pathlib import Path

from shared.events import CATALOGUE
from shared.events.envelope import TYPE_PREFIX

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_catalogue_event_is_documented() -> None:
    text = README.read_text()
    missing = [t for t in CATALOGUE if f"`{t.removeprefix(TYPE_PREFIX)}`" not in text]
    assert missing == []
