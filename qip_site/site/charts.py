"""Static SVG charts drawn at build time: no JavaScript, readable in print and in any browser.

A chart never stands alone: the page shows the same numbers as a table next to it, and the SVG
carries a title naming what it shows (role="img"), so a screen reader gets the text instead.
Labels are plan text, so everything is escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..domain.money import format_vnd

# Drawn about as wide as a phone's screen, so that its 13 px text stays near 11 px there; the
# stylesheet caps its width on larger screens (.qip-chart), where it would otherwise grow huge.
WIDTH = 400
LABEL_WIDTH = 100  # room for "Tiêu chuẩn 5" or "2024-2025" at 13 px
BAR_AREA = 190  # and 110 px after the bar for "150.000.000 đ"
ROW = 30
LABEL_CHARS = 15  # longer labels (area names) are cut with "…"; the table beside gives them whole


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, int, str]]) -> Markup:
    """Horizontal bars: (label, value, value as written on the chart) each; `title` names the chart."""
    if not bars:
        return Markup("")
    top = max(value for _, value, _ in bars) or 1
    height = ROW * len(bars) + 8
    parts = [
        f'<svg class="qip-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value, shown) in enumerate(bars):
        y = 4 + index * ROW
        length = round(BAR_AREA * value / top) if value > 0 else 0
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"
        parts.append(f'<text class="qip-chart-label" x="0" y="{y + 19}">{escape(short)}</text>')
        parts.append(f'<rect class="qip-chart-bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 10}"/>')
        parts.append(f'<text class="qip-chart-value" x="{LABEL_WIDTH + length + 6}" y="{y + 19}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def budget_chart(chart_id: str, summary) -> Markup:
    """Budget per standard, from a `budgets.BudgetSummary`."""
    bars = [(group.label, group.vnd, format_vnd(group.vnd)) for group in summary.groups]
    return bar_chart(chart_id, "Biểu đồ kinh phí theo tiêu chuẩn; số liệu ở bảng dưới biểu đồ", bars)


def years_chart(chart_id: str, counts) -> Markup:
    """Actions per school year of a multi-year plan: (school year, count) pairs."""
    bars = [(str(year), count, f"{count} việc") for year, count in counts]
    return bar_chart(chart_id, "Biểu đồ số việc theo năm học; số liệu ở bảng dưới biểu đồ", bars)
