"""Charts as inline SVG, drawn on the server: no script, no CDN, nothing fetched.

Values may be "<5" (a suppressed cell): drawn as an empty bar with that label, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

Value = int | float | str | None
COLOURS = ("#1f5fa8", "#e07b00", "#3a9a4a", "#8a3ea8", "#b02a37")


def _number(value: Value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _label(value: Value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


# Presentation attributes on the text itself: WeasyPrint (the PDF) does not apply the page's
# stylesheet inside an SVG, and without them its labels grew and were cut off at the left.
_TEXT = {'class="lbl"': 'class="lbl" font-size="11" fill="#333"',
         'class="val"': 'class="val" font-size="11" fill="#111"'}


def _svg(width: int, height: int, title: str, body: str) -> str:
    for plain, styled in _TEXT.items():
        body = body.replace(plain, styled)
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{body}</svg>")


def bars(title: str, items: Sequence[tuple[str, Value]], *, width: int = 560) -> str:
    """Horizontal bars, one per (label, value)."""
    row, left, right = 28, 190, 70
    top = max((_number(v) for _, v in items), default=0.0) or 1.0
    parts: list[str] = []
    for i, (label, value) in enumerate(items):
        y = 8 + i * row
        length = (width - left - right) * _number(value) / top
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" class="lbl">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y}" width="{max(length, 1):.1f}" height="20" '
            f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15}" class="val">'
            f"{escape(_label(value))}</text>")
    return _svg(width, 16 + row * max(len(items), 1), title, "".join(parts))


def places_over_time(title: str, points: Sequence[tuple[str, Value, Value]], *,
                     width: int = 560, height: int = 220) -> str:
    """Monthly places realised (bars) against the target (a line)."""
    left, bottom, top_pad = 50, 30, 14
    top = max([_number(r) for _, r, _ in points] + [_number(t) for _, _, t in points] + [1.0])
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    step = plot_w / max(len(points), 1)
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
             f'y2="{height - bottom}" stroke="#555"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" class="val">'
             f"{escape(_label(int(top)))}</text>"]
    target_points: list[str] = []
    for i, (month, realised, target) in enumerate(points):
        x = left + i * step + step * 0.15
        h = plot_h * _number(realised) / top
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{max(h, 1):.1f}" fill="{COLOURS[0]}"><title>{escape(month)}: '
                     f"{escape(_label(realised))}</title></rect>"
                     f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" class="lbl">{escape(month[5:])}</text>')
        if target is not None:
            target_points.append(
                f"{x + step * 0.35:.1f},{height - bottom - plot_h * _number(target) / top:.1f}")
    if target_points:
        parts.append(f'<polyline points="{" ".join(target_points)}" fill="none" '
                     f'stroke="{COLOURS[4]}" stroke-width="3" stroke-dasharray="6 4"/>')
    return _svg(width, height, title, "".join(parts))


def stacked(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]],
            *, width: int = 560, height: int = 220) -> str:
    """Vertical stacked bars per category (e.g. age), one colour per series (subgroup)."""
    left, bottom, top_pad = 40, 44, 10
    totals = [sum(_number(values[i]) for _, values in series) for i in range(len(categories))]
    top = max(totals + [1.0])
    plot_h = height - bottom - top_pad
    step = (width - left - 10) / max(len(categories), 1)
    parts: list[str] = []
    for i, category in enumerate(categories):
        x, base = left + i * step + step * 0.15, float(height - bottom)
        for s, (name, values) in enumerate(series):
            h = plot_h * _number(values[i]) / top
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{step * 0.7:.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"><title>'
                         f"{escape(category)} {escape(name)}: {escape(_label(values[i]))}"
                         f"</title></rect>")
        parts.append(f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" class="lbl">{escape(category)}</text>')
    for s, (name, _) in enumerate(series):
        x = left + s * 120
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" '
                     f'fill="{COLOURS[s % len(COLOURS)]}"/><text x="{x + 16}" y="{height - 8}" '
                     f'class="lbl">{escape(name)}</text>')
    return _svg(width, height, title, "".join(parts))
