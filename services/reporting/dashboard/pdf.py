"""The monitor as a PDF: its own HTML rendered on the server by WeasyPrint (pinned in
pyproject.toml; it needs Debian's pango), so no browser is needed at run time.

The document is self-contained (inline CSS and SVG): the fetcher refuses every URL, so a page
can never make the server fetch anything.
"""

from __future__ import annotations

import asyncio
from typing import Any

from weasyprint import HTML  # type: ignore[import-untyped]


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the monitor PDF fetches nothing: {url}")


def _render(document: str) -> bytes:
    pdf = HTML(string=document, url_fetcher=_no_fetching).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


async def render_pdf(document: str) -> bytes:
    """The HTML document as PDF bytes; in a worker thread (rendering takes a second or so)."""
    return await asyncio.to_thread(_render, document)
