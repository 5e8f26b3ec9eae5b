"""Server-rendered SVG bar charts: no JavaScript, no library, readable by screen readers."""
from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 8, 40, 24


def bar_chart(title: str, points: list[tuple[str, float]], show=str) -> Markup:
    """Return an inline SVG of one bar per ``(label, value)``; ``show`` formats a value for people."""
    if not points:
        return Markup("")
    top = max(value for _, value in points) or 1
    slot = (WIDTH - PAD_LEFT) / len(points)
    bar = max(min(slot * 0.7, 64), 2)
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH}" '
             f'y2="{HEIGHT - PAD_BOTTOM}" class="chart-axis"/>']
    step = max(1, len(points) // 12)  # at most ~12 labels under the bars
    for index, (label, value) in enumerate(points):
        height = plot * (value / top)
        x = PAD_LEFT + index * slot + (slot - bar) / 2
        y = HEIGHT - PAD_BOTTOM - height
        parts.append(f'<g><title>{escape(label)}: {escape(show(value))}</title>'
                     f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                     f'height="{height:.1f}"/></g>')
        if len(points) <= 12:
            parts.append(f'<text class="chart-value" x="{x + bar / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{escape(show(value))}</text>')
        if index % step == 0:
            parts.append(f'<text class="chart-label" x="{x + bar / 2:.1f}" '
                         f'y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
