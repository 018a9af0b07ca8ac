"""Charts as SVG written on the server: no charting script, the browser lays out the text (so
Arabic shapes and Chinese renders with the page's fonts). Each chart is an image with a title,
described by the table beside it that carries the same numbers for screen readers and copying.

Right-to-left pages mirror the charts: bars grow from the right, periods run from the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
VALUE_WIDTH = 70


@dataclass(frozen=True)
class Point:
    """One bar: its label, its value (None: no value, drawn as nothing) and the value as shown."""

    label: str
    value: float | None


def shown(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return str(
        number_format(
            value, decimal_pos=decimals if value != int(value) else 0, use_l10n=True, force_grouping=True
        )
    )


def bars(
    points: Sequence[Point], *, title: str, rtl: bool = False, width: int = 640, table_id: str = ""
) -> SafeString:
    """Horizontal bars, one per point, longest scaled to the width left after the labels."""
    top = max((point.value or 0 for point in points), default=0) or 1
    track = width - LABEL_WIDTH - VALUE_WIDTH
    height = max(len(points), 1) * (BAR_HEIGHT + GAP) + GAP
    rows = []
    for index, point in enumerate(points):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(track * (point.value or 0) / top, 1)
        if rtl:
            label_x, anchor = width, "start"
            bar_x = width - LABEL_WIDTH - length
            value_x = bar_x - 6
        else:
            label_x, anchor = 0, "start"
            bar_x = LABEL_WIDTH
            value_x = bar_x + length + 6
        rows.append(
            (
                label_x,
                y + BAR_HEIGHT * 0.7,
                anchor,
                _fit(point.label),
                bar_x,
                y,
                length,
                BAR_HEIGHT,
                value_x,
                y + BAR_HEIGHT * 0.7,
                shown(point.value),
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="#2f6f4f"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        rows,
    )
    return _svg(title, width, height, body, rtl=rtl, table_id=table_id)


def columns(
    points: Sequence[Point],
    *,
    title: str,
    target: float | None = None,
    rtl: bool = False,
    width: int = 640,
    height: int = 220,
    table_id: str = "",
) -> SafeString:
    """Vertical columns over periods (a trend), with the target as a dashed line when given."""
    top = max([point.value or 0 for point in points] + [target or 0]) or 1
    plot_top, plot_bottom = 24, height - 28
    slot = width / max(len(points), 1)
    bar = min(slot * 0.6, 60)
    shapes = []
    for index, point in enumerate(points):
        position = (len(points) - 1 - index) if rtl else index
        centre = slot * position + slot / 2
        length = (plot_bottom - plot_top) * (point.value or 0) / top
        shapes.append(
            (
                round(centre - bar / 2, 1),
                round(plot_bottom - length, 1),
                round(bar, 1),
                round(length, 1),
                round(centre, 1),
                round(plot_bottom - length - 6, 1),
                shown(point.value),
                round(centre, 1),
                height - 8,
                _fit(point.label, 16),
            )
        )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="#2f6f4f"></rect>'
        '<text x="{}" y="{}" text-anchor="middle" class="chart-value">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
        shapes,
    )
    if target is not None:
        y = round(plot_bottom - (plot_bottom - plot_top) * target / top, 1)
        body = format_html(
            '{}<line x1="0" x2="{}" y1="{}" y2="{}" class="chart-target"'
            ' stroke="#b3441e" stroke-width="2" stroke-dasharray="6 4"></line>',
            body,
            width,
            y,
            y,
        )
    return _svg(title, width, height, body, rtl=rtl, table_id=table_id)


def _fit(label: str, limit: int = 34) -> str:
    """A label short enough for its place; the table beside the chart has it whole."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(title: str, width: int, height: int, body: SafeString, *, rtl: bool, table_id: str) -> SafeString:
    described = format_html(' aria-describedby="{}"', table_id) if table_id else ""
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet"'
        ' direction="{}"{}><title>{}</title>{}</svg>',
        width,
        height,
        "rtl" if rtl else "ltr",
        described,
        title,
        body,
    )
