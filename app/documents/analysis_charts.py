"""The analyses' charts (issue 20), drawn at the size the 通报's 附件 prints them (the 版心's
width; unit names at 9 pt, nothing under 8 pt) and shown as they are in the window: how each
unit's category rank moved since the round before (arrows by category), each unit's rank
interval over the simulations, each assessor's leniency with its interval, and α by area and
leaf. Long lists are split into pages the 附件 can take. Plain data in, figures out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from app.documents.chart_panels import (
    FOOT,
    LEGEND,
    Panel,
    legend,
    line,
    name_margin,
    stack,
)
from app.documents.charts import pyplot
from app.documents.report_charts import FIGURE_SIZE, NAME_SIZE, RIGHT, WIDTH
from app.scoring.analysis.agreement import AgreementResult, Leniency
from app.scoring.analysis.compare import Comparison, UnitComparison
from app.scoring.analysis.robustness import UnitRobustness

UP, DOWN, SAME, NEW_COLOUR = "#2e7d32", "#c62828", "#757575", "#1565c0"
BAND, SENSITIVE = "#90caf9", "#c62828"
LENIENT, STRICT = "#ef6c00", "#1565c0"
# 与上年比较 -------------------------------------------------------------------------------


def rank_change_panels(c: Comparison) -> list[Panel]:
    """One panel per category, its units by this round's category rank."""
    categories = list(dict.fromkeys(u.category for u in c.units))
    panels = []
    for category in categories:
        rows = sorted(
            (u for u in c.units if u.category == category),
            key=lambda u: (u.category_rank[-1] or 10**6, u.unit),
        )
        panels.append(Panel(f"{category}（{len(rows)}个单位）", tuple(rows)))
    return panels


def draw_rank_changes(panels: Sequence[Panel], previous: str) -> Any:
    """Each unit's category rank in ``previous`` → now as an arrow (right: moved up)."""
    names = [u.unit for p in panels for u in p.rows]
    figure, axes_list = stack(panels, names)
    for panel, axes in zip(panels, axes_list, strict=True):
        rows: tuple[UnitComparison, ...] = panel.rows
        size = max(
            [r for u in rows for r in (u.category_rank[-1], _before(u)) if r is not None] or [1]
        )
        for y, u in enumerate(rows):
            now, then = u.category_rank[-1], _before(u)
            if now is None:
                continue
            if then is None:
                word = "新增" if not u.matches or not u.matches[-1].sources else "合并"
                axes.plot([now], [y], "o", color=NEW_COLOUR, markersize=4)
                axes.text(now - 0.35, y, word, va="center", fontsize=FIGURE_SIZE, color=NEW_COLOUR)
                continue
            change = then - now
            colour = UP if change > 0 else DOWN if change < 0 else SAME
            if change:
                axes.annotate(
                    "",
                    xy=(now, y),
                    xytext=(then, y),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "color": colour,
                        "lw": 1.3,
                        "shrinkA": 0,
                        "shrinkB": 0,
                        "mutation_scale": 8,
                    },
                )
            else:
                axes.plot([now], [y], "o", color=colour, markersize=3)
            label = f"{change:+d}" if change else "0"
            axes.text(
                min(now, then) - 0.35, y, label, va="center", fontsize=FIGURE_SIZE, color=colour
            )
        axes.set_xlim(size + 0.8, -0.5)  # first place on the right: up points right
        axes.set_xticks(_rank_ticks(size))
        axes.set_yticks(range(len(rows)), [u.unit for u in rows], fontsize=NAME_SIZE)
        axes.set_xlabel(f"类别名次（{previous} → 本批次）", fontsize=FIGURE_SIZE)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.5)
    legend(
        figure,
        [
            (line(UP, lw=1.5), "名次上升"),
            (line(DOWN, lw=1.5), "名次下降"),
            (line(NEW_COLOUR, marker="o", ls=""), "新增或合并"),
        ],
    )
    return figure


def _before(u: UnitComparison) -> int | None:
    return u.category_rank[-2] if len(u.category_rank) > 1 else None


def _rank_ticks(size: int) -> list[int]:
    step = 1 if size <= 12 else 2 if size <= 24 else 5 if size <= 60 else 10
    return [1, *range(step, size + 1, step)] if step > 1 else list(range(1, size + 1))


# 结果稳健性 -------------------------------------------------------------------------------


def interval_panels(units: Sequence[UnitRobustness]) -> list[Panel]:
    """All units in the published order, as one panel (split by pages_of when printed)."""
    return [Panel(f"全部{len(units)}个单位，按公布名次", tuple(units))]


def draw_rank_intervals(panels: Sequence[Panel], total: int) -> Any:
    """Per unit: the 5 %–95 % band of its rank over the runs, the median and the published
    rank; 名次敏感 units in red."""
    names = [u.unit for p in panels for u in p.rows]
    figure, axes_list = stack(panels, names)
    for panel, axes in zip(panels, axes_list, strict=True):
        rows: tuple[UnitRobustness, ...] = panel.rows
        for y, u in enumerate(rows):
            colour = SENSITIVE if u.sensitive else BAND
            axes.plot(
                [u.low_rank, u.high_rank],
                [y, y],
                color=colour,
                lw=4,
                solid_capstyle="butt",
                alpha=0.8,
            )
            axes.plot([u.median_rank], [y], "|", color="black", markersize=7, mew=1.5)
            axes.plot([u.nominal_rank], [y], "D", color="black", markersize=3)
        axes.set_xlim(0.3, total + 0.7)
        axes.set_xticks(_rank_ticks(total))
        axes.set_yticks(range(len(rows)), [u.unit for u in rows], fontsize=NAME_SIZE)
        for label, u in zip(axes.get_yticklabels(), rows, strict=True):
            if u.sensitive:
                label.set_color(SENSITIVE)
        axes.set_xlabel("名次（模拟中的 5%—95% 区间）", fontsize=FIGURE_SIZE)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.5)
    legend(
        figure,
        [
            (line("black", marker="D", ls="", markersize=3), "公布名次"),
            (line("black", marker="|", ls="", markersize=7, mew=1.5), "中位名次"),
            (line(BAND, lw=4), "5%—95% 区间"),
            (line(SENSITIVE, lw=4), "名次敏感"),
        ],
    )
    return figure


# 评分一致性 -------------------------------------------------------------------------------


def draw_leniency(assessors: Sequence[Leniency]) -> Any:
    """Each assessor's mean difference from the others on shared cells, in points, with its
    95 % interval; 偏宽 orange, 偏严 blue."""
    plt = pyplot()
    names = [a.assessor for a in assessors]
    left = name_margin(names)
    rows = max(1, len(assessors)) * 0.32
    height = LEGEND + rows + FOOT + 0.1
    figure = plt.figure(figsize=(WIDTH, height))
    axes = figure.add_axes(
        (left / WIDTH, FOOT / height, (WIDTH - left - RIGHT - 0.9) / WIDTH, rows / height)
    )
    colours = [
        LENIENT if a.flag == "偏宽" else STRICT if a.flag == "偏严" else SAME for a in assessors
    ]
    values = [a.points for a in assessors]
    lows = [a.points - a.interval[0] if math.isfinite(a.interval[0]) else 0 for a in assessors]
    highs = [a.interval[1] - a.points if math.isfinite(a.interval[1]) else 0 for a in assessors]
    positions = range(len(assessors))
    axes.barh(positions, values, color=colours, height=0.55)
    axes.errorbar(
        values, positions, xerr=[lows, highs], fmt="none", ecolor="black", elinewidth=0.8, capsize=3
    )
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_ylim(len(assessors) - 0.5, -0.5)
    axes.set_yticks(positions, names, fontsize=NAME_SIZE)
    reach = max(
        [abs(v) + max(lo, hi) for v, lo, hi in zip(values, lows, highs, strict=True)] or [0.1]
    )
    axes.set_xlim(-reach * 1.15, reach * 1.15)
    axes.tick_params(axis="x", labelsize=FIGURE_SIZE)
    axes.tick_params(axis="y", length=0, pad=4)
    axes.set_xlabel("与其他考核组相比的平均偏差（分，正数为偏宽）", fontsize=FIGURE_SIZE)
    for y, a in enumerate(assessors):
        word = f"{a.points:+.2f} 分 {a.flag}".rstrip()
        axes.text(reach * 1.2, y, word, va="center", fontsize=FIGURE_SIZE, color=colours[y])
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend(
        figure,
        [
            (line(LENIENT, lw=5), "偏宽"),
            (line(STRICT, lw=5), "偏严"),
            (line(SAME, lw=5), "未超过阈值"),
            (line("black", lw=0.8), "95% 区间"),
        ],
    )
    return figure


ALPHA_COLOURS = ("#d73027", "#fee08b", "#1a9850")  # below 0.667, to 0.8, from 0.8
WRAP = 12  # leaves on one line of the grid; an area with more goes on below


def draw_alpha(
    agreement: AgreementResult, area_names: dict[str, str], leaf_areas: dict[str, str]
) -> Any:
    """α by area (the first column) and by each of its leaves scored by several assessors
    (the next columns, in code order, wrapping after WRAP), coloured as the sentences judge
    it: 良好 from 0.8, 尚可 from 0.667, 偏低 below; grey where there is nothing to measure."""
    import numpy
    from matplotlib.colors import BoundaryNorm, ListedColormap

    plt = pyplot()
    areas = [code for code in area_names if code in agreement.areas]
    lines: list[tuple[str, list[float]]] = []  # (label, values: the area's α, then leaves')
    for area in areas:
        values = [
            _value(agreement.leaves[c].value)
            for c, a in leaf_areas.items()
            if a == area and c in agreement.leaves
        ]
        for start in range(0, max(1, len(values)), WRAP):
            first = start == 0
            head = _value(agreement.areas[area].value) if first else math.nan
            label = f"{area} {area_names[area]}" if first else ""
            lines.append((label, [head, *values[start : start + WRAP]]))
    columns = 1 + min(WRAP, max((len(v) - 1 for _, v in lines), default=0))
    grid = numpy.full((max(1, len(lines)), columns), numpy.nan)
    for row, (_, values) in enumerate(lines):
        grid[row, : len(values)] = values
    left = name_margin([label for label, _ in lines])
    cell = min(0.5, (WIDTH - left - RIGHT) / columns)
    rows = max(1, len(lines)) * 0.3
    height = LEGEND + 0.25 + rows + FOOT
    figure = plt.figure(figsize=(WIDTH, height))
    axes = figure.add_axes((left / WIDTH, FOOT / height, cell * columns / WIDTH, rows / height))
    axes.set_facecolor("#e0e0e0")
    norm = BoundaryNorm([-1.0, 0.667, 0.8, 1.0], 3)
    axes.pcolormesh(
        numpy.arange(columns + 1) - 0.5,
        numpy.arange(len(lines) + 1) - 0.5,
        numpy.ma.masked_invalid(grid),
        cmap=ListedColormap(ALPHA_COLOURS),
        norm=norm,
        edgecolors="white",
        linewidth=0.8,
    )
    for (row, col), value in numpy.ndenumerate(grid):
        if not math.isnan(value):
            colour = "white" if value < 0.667 or value >= 0.8 else "black"
            axes.text(
                col,
                row,
                f"{value:.2f}".replace("-0.00", "0.00"),
                ha="center",
                va="center",
                fontsize=FIGURE_SIZE,
                color=colour,
            )
    axes.set_xlim(-0.5, columns - 0.5)
    axes.set_ylim(len(lines) - 0.5, -0.5)
    axes.set_yticks(range(len(lines)), [label for label, _ in lines], fontsize=NAME_SIZE)
    axes.xaxis.tick_top()
    axes.set_xticks(
        [0, *range(1, columns)],
        ["一级指标", *("" for _ in range(1, columns))],
        fontsize=FIGURE_SIZE,
    )
    axes.tick_params(length=0, pad=3)
    axes.set_xlabel(
        "第一格为该一级指标的 α，其后各格为其中多个考核组共同评分的各项指标（按编号顺序）",
        fontsize=FIGURE_SIZE,
        loc="left",
    )
    for side in axes.spines.values():
        side.set_visible(False)
    legend(
        figure,
        [
            (line(ALPHA_COLOURS[2], lw=6), "α≥0.8 良好"),
            (line(ALPHA_COLOURS[1], lw=6), "0.667—0.8 尚可"),
            (line(ALPHA_COLOURS[0], lw=6), "<0.667 偏低"),
            (line("#e0e0e0", lw=6), "无法计算"),
        ],
    )
    return figure


def _value(value: float | None) -> float:
    return math.nan if value is None else value
