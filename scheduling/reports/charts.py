"""Charts of the SLA report as SVG, drawn on the server (pure Python, no Django).

Readable for colour-blind readers and on black-and-white paper: the colours
are the Okabe–Ito palette, every series also has its own hatch pattern, axes
carry numbers, and each chart is paired with a table of the same figures in
the page. Text is escaped; the result is a standalone ``<svg>`` element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

#: Okabe–Ito: distinguishable with every common form of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: One hatch per series, so series stay apart in greyscale print.
HATCHES = (
    "",
    '<path d="M0,6 l6,-6" stroke="#000" stroke-opacity=".45" stroke-width="1"/>',
    '<circle cx="3" cy="3" r="1.1" fill="#000" fill-opacity=".45"/>',
    '<path d="M0,3 h6" stroke="#000" stroke-opacity=".45" stroke-width="1"/>',
    '<path d="M3,0 v6" stroke="#000" stroke-opacity=".45" stroke-width="1"/>',
    '<path d="M0,0 l6,6 M0,6 l6,-6" stroke="#000" stroke-opacity=".45" stroke-width=".8"/>',
    "",
)

FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def nice_max(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _fmt(value: float, decimal: str = ".") -> str:
    """A figure as the reader writes it: ``2.5`` in English, ``2,5`` with ``decimal=","``."""
    return f"{value:g}".replace(".", decimal)


def _defs(chart_id: str, count: int) -> str:
    patterns = []
    for index in range(count):
        colour = PALETTE[index % len(PALETTE)]
        hatch = HATCHES[index % len(HATCHES)]
        patterns.append(
            f'<pattern id="{chart_id}-s{index}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>'
            f"{hatch}</pattern>"
        )
    return f"<defs>{''.join(patterns)}</defs>"


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>'
    )


def _legend(chart_id: str, names: Sequence[str], x: int, y: int) -> str:
    parts = []
    for index, name in enumerate(names):
        left = x + index * 130
        parts.append(
            f'<rect x="{left}" y="{y - 9}" width="12" height="12" '
            f'fill="url(#{chart_id}-s{index})" stroke="#333" stroke-width=".5"/>'
            f'<text x="{left + 16}" y="{y + 1}" {FONT}>{escape(name)}</text>'
        )
    return "".join(parts)


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    description: str = "",
    decimal: str = ".",
    width: int = 720,
    height: int = 260,
    stacked: bool = True,
    max_value: float | None = None,
) -> str:
    """Vertical bars per category; several series are stacked (or side by side)."""
    left, right, top, bottom = 44, 10, 28, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [
        sum(values[i] for _, values in series)
        if stacked
        else max((values[i] for _, values in series), default=0)
        for i in range(len(categories))
    ]
    top_value = max_value if max_value is not None else nice_max(max(totals, default=0))
    parts = [_open(chart_id, width, height, title, description), _defs(chart_id, len(series))]
    for step in range(5):
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ccc" stroke-width=".5"/><text x="{left - 4}" y="{y + 4:.1f}" '
            f'text-anchor="end" {FONT}>{_fmt(value, decimal)}</text>'
        )
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.7
    label_every = max(1, -(-len(categories) // 12))
    for i, category in enumerate(categories):
        x0 = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for s, (name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / top_value
            if stacked:
                base -= h
                x, w, y = x0, bar_w, base
            else:
                w = bar_w / len(series)
                x, y = x0 + w * s, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="url(#{chart_id}-s{s})" stroke="#333" stroke-width=".3">'
                f"<title>{escape(category)} · {escape(name)}: {_fmt(value, decimal)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x0 + bar_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f"{FONT}>{escape(category)}</text>"
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#333"/>'
    )
    if len(series) > 1:
        parts.append(_legend(chart_id, [name for name, _ in series], left, height - 10))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, float]],
    *,
    description: str = "",
    decimal: str = ".",
    width: int = 720,
    height: int = 240,
) -> str:
    """One line through the points, each marked and labelled on the x axis."""
    left, right, top, bottom = 44, 14, 20, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_max(max((v for _, v in points), default=0))
    parts = [_open(chart_id, width, height, title, description)]
    for step in range(5):
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ccc" stroke-width=".5"/><text x="{left - 4}" y="{y + 4:.1f}" '
            f'text-anchor="end" {FONT}>{_fmt(value, decimal)}</text>'
        )
    if points:
        step_x = plot_w / max(len(points) - 1, 1)
        coords = [
            (left + step_x * i, top + plot_h - plot_h * value / top_value)
            for i, (_, value) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
        label_every = max(1, -(-len(points) // 12))
        for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
            parts.append(
                f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{PALETTE[0]}">'
                f"<title>{escape(label)}: {_fmt(value, decimal)}</title></rect>"
            )
            if i % label_every == 0:
                parts.append(
                    f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                    f"{FONT}>{escape(label)}</text>"
                )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    chart_id: str,
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Mapping[tuple[int, int], int],
    *,
    description: str = "",
) -> str:
    """A grid of counts (row index, column index → count), darker for more; numbers printed."""
    cell_w, cell_h, left, top = 26, 22, 84, 22
    width, height = left + cell_w * len(columns) + 8, top + cell_h * len(rows) + 8
    peak = max(values.values(), default=0)
    parts = [_open(chart_id, width, height, title, description)]
    for c, column in enumerate(columns):
        parts.append(
            f'<text x="{left + cell_w * c + cell_w / 2}" y="{top - 6}" text-anchor="middle" '
            f"{FONT}>{escape(column)}</text>"
        )
    for r, row in enumerate(rows):
        y = top + cell_h * r
        parts.append(
            f'<text x="{left - 6}" y="{y + cell_h / 2 + 4}" text-anchor="end" {FONT}>'
            f"{escape(row)}</text>"
        )
        for c in range(len(columns)):
            count = values.get((r, c), 0)
            # A single-hue ramp (light to dark blue) stays ordered for every reader.
            strength = 0 if peak == 0 else count / peak
            lightness = 97 - 62 * strength
            fill = f"hsl(205, 70%, {lightness:.0f}%)"
            ink = "#fff" if strength > 0.55 else "#000"
            x = left + cell_w * c
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}" fill="{fill}" '
                f'stroke="#bbb" stroke-width=".4"><title>{escape(row)} {escape(columns[c])}: '
                f"{count}</title></rect>"
            )
            if count:
                parts.append(
                    f'<text x="{x + cell_w / 2 - 0.5}" y="{y + cell_h / 2 + 4}" '
                    f'text-anchor="middle" fill="{ink}" {FONT}>{count}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)
