"""Charts drawn as inline SVG on the server: no JavaScript, nothing to build."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 720, 220, 36
BAR_COLOUR, LINE_COLOUR = "#1f5fa8", "#b3261e"


def daily_chart(
    days: list[date], bars: list[int], line: list[int], bar_label: str, line_label: str, title: str
) -> Markup:
    """Bars for one daily count and a line for another, with a title and a text alternative."""
    top = max([*bars, *line, 1])
    inner_width, inner_height = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    step = inner_width / max(len(days), 1)

    def y(value: int) -> float:
        return MARGIN + inner_height * (1 - value / top)

    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {WIDTH} {HEIGHT + 20}" width="100%">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{MARGIN}" y1="{MARGIN + inner_height}" x2="{WIDTH - MARGIN}" y2="{MARGIN + inner_height}" stroke="#555"/>',
        f'<text x="4" y="{MARGIN}" font-size="11" fill="#222">{top}</text>',
        f'<text x="4" y="{MARGIN + inner_height}" font-size="11" fill="#222">0</text>',
    ]
    for index, (day, value) in enumerate(zip(days, bars, strict=True)):
        x = MARGIN + index * step
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{y(value):.1f}" width="{step * 0.7:.1f}" '
            f'height="{MARGIN + inner_height - y(value):.1f}" fill="{BAR_COLOUR}"><title>{day}: {value}</title></rect>'
        )
    if len(days) <= 31:
        for index, day in enumerate(days):
            if index % max(1, len(days) // 8) == 0:
                parts.append(
                    f'<text x="{MARGIN + index * step:.1f}" y="{HEIGHT - 8}" font-size="10" fill="#222">{day:%d/%m}</text>'
                )
    points = " ".join(f"{MARGIN + (index + 0.5) * step:.1f},{y(value):.1f}" for index, value in enumerate(line))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>')
    parts.append(
        f'<rect x="{MARGIN}" y="{HEIGHT + 4}" width="12" height="12" fill="{BAR_COLOUR}"/>'
        f'<text x="{MARGIN + 16}" y="{HEIGHT + 14}" font-size="11" fill="#222">{escape(bar_label)}</text>'
        f'<line x1="{MARGIN + 200}" y1="{HEIGHT + 10}" x2="{MARGIN + 214}" y2="{HEIGHT + 10}" stroke="{LINE_COLOUR}" stroke-width="2"/>'
        f'<text x="{MARGIN + 218}" y="{HEIGHT + 14}" font-size="11" fill="#222">{escape(line_label)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def rates_chart(rates: list[tuple[str, int, int]], title: str) -> Markup:
    """One horizontal bar per rate (label, part, whole), its percentage written beside it."""
    row, label_width, bar_width = 28, 260, 360
    parts = [
        f'<svg role="img" aria-labelledby="rates-title" viewBox="0 0 {label_width + bar_width + 140} {row * len(rates) + 10}" width="100%">',
        f'<title id="rates-title">{escape(title)}</title>',
    ]
    for index, (label, part, whole) in enumerate(rates):
        share = part / whole if whole else 0.0
        y = 5 + index * row
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="#222">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="16" fill="#e4e4e4"/>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * share:.1f}" height="16" fill="{BAR_COLOUR}"/>'
            f'<text x="{label_width + bar_width + 6}" y="{y + 16}" font-size="12" fill="#222">'
            f"{100 * share:.1f} % ({part}/{whole})</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
