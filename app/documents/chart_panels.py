"""Panels of rows stacked in one figure at the 附件's printed size (the 版心's width, unit names at
9 pt), and how they are packed onto pages: what the analyses' charts are drawn on."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.documents.charts import pyplot
from app.documents.report_charts import (
    FIGURE_SIZE,
    HEAD_SIZE,
    MAX_HEIGHT,
    NAME_SIZE,
    RIGHT,
    ROW,
    WIDTH,
    text_width,
)

HEAD = 0.30  # a panel's title
FOOT = 0.36  # the rank axis under a panel
GAP = 0.12
LEGEND = 0.30  # over the first panel


@dataclass(frozen=True)
class Panel:
    """Rows drawn on one set of axes under a title (a category, or a run of units)."""

    title: str
    rows: tuple[Any, ...]

    @property
    def height(self) -> float:
        return HEAD + len(self.rows) * ROW + FOOT + GAP


def pages_of(panels: Sequence[Panel], limit: float = MAX_HEIGHT) -> list[list[Panel]]:
    """Panels packed onto pages of at most ``limit`` inches; a panel too long for a page is
    split into even runs first."""
    most = max(1, int((limit - LEGEND - HEAD - FOOT - GAP) / ROW))
    split: list[Panel] = []
    for panel in panels:
        runs = math.ceil(len(panel.rows) / most)
        size = math.ceil(len(panel.rows) / runs) if runs else 1
        for start in range(0, len(panel.rows), size):
            part = panel.rows[start : start + size]
            title = (
                panel.title if runs == 1 else f"{panel.title}（{start + 1}—{start + len(part)}）"
            )
            split.append(Panel(title, part))
    pages: list[list[Panel]] = []
    height = LEGEND
    for panel in split:
        if pages and height + panel.height <= limit:
            pages[-1].append(panel)
        else:
            pages.append([panel])
            height = LEGEND
        height += panel.height
    return pages


def page_height(panels: Sequence[Panel]) -> float:
    return LEGEND + sum(p.height for p in panels)


def name_margin(names: Sequence[str]) -> float:
    return max((text_width(n, NAME_SIZE) for n in names), default=0.5) + 0.14


def stack(panels: Sequence[Panel], names: Sequence[str]) -> tuple[Any, list[Any]]:
    """A figure of the panels' height with one axes per panel, placed in inches."""
    plt = pyplot()
    height = page_height(panels)
    figure = plt.figure(figsize=(WIDTH, height))
    left = name_margin(names)
    axes_list, top = [], LEGEND
    for panel in panels:
        rows = max(1, len(panel.rows)) * ROW
        box = (
            left / WIDTH,
            (height - top - HEAD - rows) / height,
            (WIDTH - left - RIGHT) / WIDTH,
            rows / height,
        )
        axes = figure.add_axes(box)
        axes.set_title(panel.title, loc="left", fontsize=HEAD_SIZE, pad=4)
        axes.set_ylim(len(panel.rows) - 0.5, -0.5)
        axes.tick_params(axis="x", labelsize=FIGURE_SIZE)
        axes.tick_params(axis="y", length=0, pad=4)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes_list.append(axes)
        top += panel.height
    return figure, axes_list


def legend(figure: Any, entries: Sequence[tuple[Any, str]]) -> None:
    height = figure.get_figheight()
    figure.legend(
        [handle for handle, _ in entries],
        [label for _, label in entries],
        loc="upper right",
        bbox_to_anchor=(1 - RIGHT / WIDTH, 1 - 0.03 / height),
        ncols=len(entries),
        fontsize=FIGURE_SIZE,
        frameon=False,
        borderaxespad=0,
        handlelength=1.6,
        columnspacing=1.2,
    )


def line(colour: str, **style: Any) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, **style)
