"""The monitor as a PDF: its own HTML rendered on the server by WeasyPrint (pinned in
pyproject.toml; it needs Debian's pango), so no browser is needed at run time.

The document is self-contained (inline CSS and SVG): the fetcher refuses every URL, so a page
can never make the server fetch anything.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from shared.problems import ServiceUnavailable

PANGO_HINT = ("the monitor PDF needs WeasyPrint's system libraries (Debian: libpango-1.0-0 "
              "libpangoft2-1.0-0); the HTML monitor works without them")


@functools.cache
def _weasyprint_html() -> Any:
    # Imported on first use, not at start-up: WeasyPrint loads pango through cffi when imported,
    # and a machine without pango must still run reporting (everything but the PDF).
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as missing:
        raise ServiceUnavailable(PANGO_HINT) from missing
    return HTML


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the monitor PDF fetches nothing: {url}")


def _render(document: str) -> bytes:
    html = _weasyprint_html()
    pdf = html(string=document, url_fetcher=_no_fetching).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


async def render_pdf(document: str) -> bytes:
    """The HTML document as PDF bytes; in a worker thread (rendering takes a second or so)."""
    return await asyncio.to_thread(_render, document)
