"""Charts drawn on the server as SVG: no script, no third-party service, and
every chart sits beside a table with the same figures (and a CSV of them).

Colours are presentation attributes, not style attributes, so the page's
Content-Security-Policy (no inline styles) holds."""

from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP, RIGHT = 40, 40, 16, 16
INK, BAR, LINE, GRID, WARN = "#1a1a1a", "#0b4f8a", "#0b4f8a", "#c8c8c8", "#a1160f"


def _n(value: float) -> str:
    return f"{value:.1f}"


def _frame(title: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" width="100%" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        WIDTH,
        HEIGHT,
        title,
        title,
        body,
    )


def _axis(top_value: int, label_every: int) -> SafeString:
    plot_height = HEIGHT - BOTTOM - TOP
    lines = []
    for value in range(0, top_value + 1, label_every):
        y = TOP + plot_height - plot_height * value / (top_value or 1)
        lines.append((LEFT, _n(y), WIDTH - RIGHT, _n(y), GRID, LEFT - 6, _n(y + 4), INK, value))
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
        '<text x="{}" y="{}" fill="{}" font-size="11" text-anchor="end">{}</text>',
        lines,
    )


def bar_chart(title: str, bars: list[tuple[str, int]], highlight_below: int | None = None) -> SafeString:
    """Vertical bars with their labels under them; bars whose band starts
    below `highlight_below` are drawn in the warning colour."""
    top = max([value for _label, value in bars] + [1])
    step = max(1, -(-top // 4))
    top = step * 4
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(bars))
    shapes = []
    for index, (label, value) in enumerate(bars):
        height = plot_height * value / top
        x = LEFT + index * slot + slot * 0.15
        low = int(label.split("-")[0]) if label[:1].isdigit() else None
        colour = WARN if highlight_below is not None and low is not None and low < highlight_below else BAR
        shapes.append(
            (
                _n(x),
                _n(TOP + plot_height - height),
                _n(slot * 0.7),
                _n(height),
                colour,
                _n(x + slot * 0.35),
                HEIGHT - BOTTOM + 16,
                label,
            )
        )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
        shapes,
    )
    return _frame(title, format_html("{}{}", _axis(top, step), body))


def line_chart(title: str, points: list[tuple[date, int]], threshold: int | None = None) -> SafeString:
    """Scores (0-100) over the school year, one point per day a score was taken."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - TOP
    if not points:
        return _frame(title, _axis(100, 25))
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)

    def x_of(day: date) -> float:
        return LEFT + plot_width * (day - first).days / span if len(points) > 1 else LEFT + plot_width / 2

    def y_of(value: int) -> float:
        return TOP + plot_height - plot_height * value / 100

    path = " ".join(f"{x_of(day):.1f},{y_of(value):.1f}" for day, value in points)
    parts = [_axis(100, 25)]
    if threshold is not None:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="6 4"/>',
                LEFT,
                _n(y_of(threshold)),
                WIDTH - RIGHT,
                _n(y_of(threshold)),
                WARN,
            )
        )
    parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', path, LINE))
    labels = [(x_of(first), first.isoformat()), (x_of(last), last.isoformat())] if len(points) > 1 else []
    parts.append(
        format_html_join(
            "",
            '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
            ((_n(x), HEIGHT - 12, text) for x, text in labels),
        )
    )
    return _frame(title, format_html_join("", "{}", ((part,) for part in parts)))
