"""Accessible charts drawn on the server as SVG: a title and description for screen readers, role="img", and
always a data table beside them on the page (the table is the accessible source; the chart is a picture of it)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BLUE = "#1d70b8"
TEXT = "#0b0c0c"
GREY = "#b1b4b6"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: str):
    return mark_safe(  # noqa: S308 - every piece of text below is escaped  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{body}</svg>")


def horizontal_bars(*, chart_id: str, title: str, desc: str, labels: list[str], values: list[int]):
    """One bar per label, longest first as given. Labels on the left, the number at the end of each bar."""
    label_width, bar_area, row = 330, 330, 26
    height = max(row * len(labels), row) + 10
    top = max(values) if values and max(values) else 1
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row
        width = round(bar_area * value / top)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="14" fill="{TEXT}" '
            f'font-family="Arial, sans-serif">{escape(label[:48])}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{max(width, 1)}" height="18" fill="{BLUE}"></rect>'
            f'<text x="{label_width + width + 6}" y="{y + 16}" font-size="14" fill="{TEXT}" '
            f'font-family="Arial, sans-serif">{value}</text>')
    return _svg(chart_id, title, desc, label_width + bar_area + 50, height, "".join(parts))


def columns(*, chart_id: str, title: str, desc: str, labels: list[str], values: list[int]):
    """One column per period, left to right, with the count above each column and the period below."""
    col, gap, plot_h, base = 46, 18, 180, 210
    width = max(len(labels) * (col + gap) + gap + 10, 200)
    top = max(values) if values and max(values) else 1
    parts = [f'<line x1="5" y1="{base}" x2="{width - 5}" y2="{base}" stroke="{GREY}" stroke-width="1"></line>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = gap + i * (col + gap)
        h = round(plot_h * value / top)
        parts.append(
            f'<rect x="{x}" y="{base - h}" width="{col}" height="{max(h, 1)}" fill="{BLUE}"></rect>'
            f'<text x="{x + col / 2}" y="{base - h - 6}" text-anchor="middle" font-size="14" fill="{TEXT}" '
            f'font-family="Arial, sans-serif">{value}</text>'
            f'<text x="{x + col / 2}" y="{base + 18}" text-anchor="middle" font-size="12" fill="{TEXT}" '
            f'font-family="Arial, sans-serif">{escape(label)}</text>')
    return _svg(chart_id, title, desc, width, base + 30, "".join(parts))
