"""A unit's 得分率 by area against the average of all units, drawn straight onto the page as
vector lines. The window draws the same comparison with matplotlib (charts.radar_figure); on
paper it sits on every unit's score sheet, and 80 matplotlib figures would take the 通报 from
about 5 s to 13 s, so here it is a few polygons per unit."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

UNIT_COLOUR = Color(0.08, 0.40, 0.75)
AVERAGE_COLOUR = Color(0.55, 0.55, 0.55)
GRID_COLOUR = Color(0.80, 0.80, 0.80)
LABEL_SIZE = 9
Draw = Callable[[float, float, str, float], float]  # x, y, text, size -> width drawn
Measure = Callable[[str, float], float]


@dataclass(frozen=True)
class Radar:
    labels: tuple[str, ...]  # area names, clockwise from the top
    unit_rates: tuple[float, ...]  # 0..1
    average_rates: tuple[float, ...]


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = math.pi / 2 - 2 * math.pi * index / count  # clockwise from twelve o'clock
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _polygon(canvas: Canvas, points: Sequence[tuple[float, float]], fill: bool) -> None:
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for x, y in points[1:]:
        path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=1, fill=1 if fill else 0)


def draw_radar(
    canvas: Canvas,
    radar: Radar,
    cx: float,
    cy: float,
    radius: float,
    draw_text: Draw,
    measure: Measure,
) -> None:
    """The chart centred at (cx, cy); labels outside the rim, a legend under it."""
    count = len(radar.labels)
    if count < 3:
        return  # two areas make a line, not a shape: the table says it all
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.setStrokeColor(GRID_COLOUR)
    for level in (0.25, 0.5, 0.75, 1.0):
        _polygon(canvas, [_point(cx, cy, radius * level, i, count) for i in range(count)], False)
    for i in range(count):
        canvas.line(cx, cy, *_point(cx, cy, radius, i, count))
    for rates, colour, width, dash in (
        (radar.average_rates, AVERAGE_COLOUR, 0.9, ([3, 2], 0)),
        (radar.unit_rates, UNIT_COLOUR, 1.3, ([], 0)),
    ):
        canvas.setStrokeColor(colour)
        canvas.setFillColor(Color(colour.red, colour.green, colour.blue, alpha=0.15))
        canvas.setLineWidth(width)
        canvas.setDash(*dash)
        points = [
            _point(cx, cy, radius * max(0.0, min(r, 1.0)), i, count) for i, r in enumerate(rates)
        ]
        _polygon(canvas, points, fill=colour is UNIT_COLOUR)
    canvas.setDash()
    canvas.setFillColor(Color(0, 0, 0))
    for i, label in enumerate(radar.labels):
        x, y = _point(cx, cy, radius + 6, i, count)
        text = label if len(label) <= 12 else label[:11] + "…"
        width = measure(text, LABEL_SIZE)
        if abs(x - cx) < 1:
            x -= width / 2
        elif x < cx:
            x -= width
        y -= LABEL_SIZE / 2 if abs(y - cy) < radius * 0.3 else (LABEL_SIZE if y < cy else 0)
        draw_text(x, y, text, LABEL_SIZE)
    legend_y = cy - radius - 2.6 * LABEL_SIZE
    x = cx - 70
    for name, colour, dash in (
        ("本单位", UNIT_COLOUR, ()),
        ("全部单位平均", AVERAGE_COLOUR, (3, 2)),
    ):
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(1.2)
        canvas.setDash(*dash)
        canvas.line(x, legend_y + 3, x + 18, legend_y + 3)
        x += 22 + draw_text(x + 22, legend_y, name, LABEL_SIZE) + 18
    canvas.restoreState()
