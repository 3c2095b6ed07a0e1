"""The README's "Who may write what" table, parsed: operation × organisation kind → roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from shared.auth import Role

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Who may write what"
COLUMNS = ("gemeente (own)", "gemeente (other)", "provider", "provider (other)", "wsp",
           "platform")


@dataclass(frozen=True)
class Cell:
    """Who of one organisation kind may: `access` is read, write, None (nobody) or n/a."""

    access: str | None
    roles: frozenset[Role]

    @property
    def tested(self) -> bool:
        return self.access != "n/a"


@dataclass(frozen=True)
class Row:
    """One operation and its cells by column."""

    method: str
    path: str
    cells: dict[str, Cell]

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def writes(self) -> bool:
        return any(cell.access == "write" for cell in self.cells.values())


def parse_cell(text: str) -> Cell:
    """`write: caseworker, admin`, `read: any role`, `—` or `n/a`."""
    text = text.strip()
    if text in {"—", "-"}:
        return Cell(None, frozenset())
    if text == "n/a":
        return Cell("n/a", frozenset())
    access, _, roles = text.partition(":")
    assert access in {"read", "write"}, f"a cell is read:/write:/—/n/a, not {text!r}"
    if roles.strip() == "any role":
        return Cell(access, frozenset(Role))
    return Cell(access, frozenset(Role(r.strip()) for r in roles.split(",")))


def authority_rows(readme: Path = README) -> list[Row]:
    """Every row of the table under the section heading, in the README's order."""
    text = readme.read_text()
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert tuple(header[1:]) == COLUMNS, header
    rows: list[Row] = []
    for line in lines[2:]:
        first, *cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(GET|POST|PUT|DELETE|PATCH) (/\S+)`", first)
        assert match, f"an operation is `METHOD /path`, not {first!r}"
        rows.append(Row(match[1], match[2], dict(zip(COLUMNS, map(parse_cell, cells),
                                                    strict=True))))
    return rows
