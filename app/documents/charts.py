"""Charts of a round's results with matplotlib, in Chinese: as vector PDF for the printed
report and as figures for the GUI. Plain data in (RoundResult and area names), figures out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from app.scoring.types import RoundResult, UnitResult

GRADE_COLOURS = {"优秀": "#2e7d32", "良好": "#1565c0", "合格": "#f9a825", "不合格": "#c62828"}
OTHER_COLOUR = "#757575"


def pyplot() -> Any:
    """matplotlib's pyplot, loaded on first use, drawing in Chinese: every chart (the reports',
    the ledger's, the window's) starts here."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from app.documents.fonts import register_for_matplotlib

    register_for_matplotlib()
    return plt


def _short(name: str) -> str:
    return name.replace("云州市", "").replace("中共", "")[:10]


def ranking_figure(result: RoundResult) -> Any:
    """Every unit's final score as a bar, best at the top, coloured by grade."""
    plt = pyplot()
    units = list(result.units)
    # The shape of the 版心 below a title (156 x ~190 mm), so the chart fills the page.
    figure, axes = plt.subplots(figsize=(6.2, 7.6 if len(units) > 30 else 4.2))
    names = [_short(u.unit) for u in units][::-1]
    values = [float(u.final) for u in units][::-1]
    colours = [GRADE_COLOURS.get(u.grade, OTHER_COLOUR) for u in units][::-1]
    axes.barh(range(len(units)), values, color=colours, height=0.7)
    axes.set_yticks(range(len(units)), names, fontsize=4.5 if len(units) > 40 else 8)
    low = min(values, default=0)
    axes.set_xlim(max(0, low - 10), max(values, default=100) + 2)
    axes.set_xlabel("最终得分")
    axes.set_title("考核得分排名")
    for grade, colour in GRADE_COLOURS.items():
        axes.bar(0, 0, color=colour, label=grade)
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    return figure


def distribution_figure(result: RoundResult) -> Any:
    """The spread of final scores in each category (box plot with the units as points)."""
    plt = pyplot()
    categories = list(dict.fromkeys(u.category for u in result.units))
    data = [[float(u.final) for u in result.units if u.category == c] for c in categories]
    figure, axes = plt.subplots(figsize=(6.2, 4.2))
    axes.boxplot(data, showfliers=False)
    axes.set_xticks(range(1, len(categories) + 1), categories)
    for index, values in enumerate(data, start=1):
        axes.scatter([index] * len(values), values, s=8, alpha=0.6, color="#1565c0")
    axes.set_ylabel("最终得分")
    axes.set_title("各类别得分分布")
    figure.tight_layout()
    return figure


def area_rates(unit: UnitResult, area_points: dict[str, Fraction]) -> list[float]:
    return [
        float(unit.areas.get(code, Fraction(0)) / points) if points else 0.0
        for code, points in area_points.items()
    ]


def heatmap_figure(
    result: RoundResult, area_names: dict[str, str], area_points: dict[str, dict[str, Fraction]]
) -> Any:
    """得分率 of every unit (rows) in every area (columns)."""
    plt = pyplot()
    units = list(result.units)
    codes = list(area_names)
    rates = [
        area_rates(u, {c: area_points[u.unit].get(c, Fraction(0)) for c in codes}) for u in units
    ]
    figure, axes = plt.subplots(figsize=(6.2, 7.6 if len(units) > 30 else 4.2))
    image = axes.imshow(rates, aspect="auto", cmap="RdYlGn", vmin=0.6, vmax=1.0)
    axes.set_xticks(range(len(codes)), [area_names[c][:8] for c in codes], fontsize=7, rotation=20)
    axes.set_yticks(range(len(units)), [_short(u.unit) for u in units], fontsize=4.5)
    axes.set_title("各单位分领域得分率")
    figure.colorbar(image, ax=axes, fraction=0.04, label="得分率")
    figure.tight_layout()
    return figure


def radar_figure(
    labels: Sequence[str], unit_rates: Sequence[float], average: Sequence[float], unit: str
) -> Any:
    """One unit's 得分率 per area against the average of all units."""
    import math

    plt = pyplot()
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    figure = plt.figure(figsize=(4.8, 4.2))
    axes = figure.add_subplot(projection="polar")
    for values, name, colour in (
        (average, "全部单位平均", "#9e9e9e"),
        (unit_rates, unit, "#1565c0"),
    ):
        closed = [*values, values[0]]
        axes.plot([*angles, angles[0]], closed, color=colour, label=name)
        axes.fill([*angles, angles[0]], closed, color=colour, alpha=0.15)
    axes.set_xticks(angles, [label[:6] for label in labels], fontsize=8)
    axes.set_ylim(0, 1)
    axes.legend(loc="lower right", fontsize=7, bbox_to_anchor=(1.15, -0.1))
    figure.tight_layout()
    return figure


def figure_pdf(figure: Any) -> bytes:
    """The figure as a one-page vector PDF (fonts embedded), then closed."""
    from matplotlib import pyplot

    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    pyplot.close(figure)
    return buffer.getvalue()
