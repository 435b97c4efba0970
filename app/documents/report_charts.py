"""The 通报's charts drawn at the size they are printed (the 版心's width, placed 1:1): every
unit's score as a horizontal bar by category, the spread of each category, and every unit's
得分率 by area as a table of coloured cells. Categories are packed onto pages and a long one is
split, so that every unit's full name is printed at 9 pt and no label is under 8 pt or overlaps
another. Plain data in (RoundResult, area names and points), figures out."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from app.documents.charts import GRADE_COLOURS, OTHER_COLOUR, pyplot
from app.documents.textfit import break_lines
from app.scoring.types import RoundResult, UnitResult

PT = 1 / 72  # inches
WIDTH = 156 / 25.4  # the 版心's width: the figure is placed at its own size
MAX_HEIGHT = 180 / 25.4  # the 版心 under "附件1" and a one-line title (184 mm), less a margin
ROW = 13 * PT  # one unit: a bar, or a row of cells
NAME_SIZE, FIGURE_SIZE, HEAD_SIZE = 9.0, 8.0, 10.5  # unit names; figures and ticks; headings
TOP = 0.36  # the grades' legend over the bars (and the first page's heading)
PLAIN_TOP = 0.04  # over the other charts
BLOCK_HEAD = 0.30  # a category's title over its bars or cells
RANKING_FOOT = 0.32  # the score axis under the bars
RATES_FOOT = 0.06
GAP = 0.12
RIGHT = 0.08
Kind = Literal["ranking", "spread", "rates"]
FIRST_HEADING = "各单位考核得分排名"
PAGE_TITLES = {
    "ranking": "考核得分排名",
    "spread": "各类别得分分布",
    "rates": "各单位分领域得分率",
}
FIRST_TITLE_NOTE = {"rates": "（%）"}  # said once, on the chart's first page


@dataclass(frozen=True)
class ChartBlock:
    """One category's units in rank order (or a run of them when it is longer than a page)."""

    title: str
    units: tuple[UnitResult, ...]


@dataclass(frozen=True)
class ChartPage:
    """One printed page of a chart: what is drawn on it, and its title over it in the 附件."""

    kind: Kind
    title: str
    heading: str  # over the chart inside the figure, on the 附件's first page only
    blocks: tuple[ChartBlock, ...]
    height: float  # inches, never more than MAX_HEIGHT


def text_width(text: str, size: float) -> float:
    """A label's width in inches, on the generous side (Chinese is one em, the rest less)."""
    ems = sum(1.08 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)
    return ems * size * PT


def _name_margin(units: Sequence[UnitResult]) -> float:
    return max((text_width(u.unit, NAME_SIZE) for u in units), default=0.5) + 0.14


def _area_labels(area_names: dict[str, str], column: float) -> list[str]:
    """Each area's name broken into lines that fit its column (with a little air)."""

    def measure(text: str) -> float:
        return text_width(text, FIGURE_SIZE)

    return ["\n".join(break_lines(name, column - 6 * PT, measure)) for name in area_names.values()]


def _rates_head(units: Sequence[UnitResult], area_names: dict[str, str]) -> float:
    """The height of the areas' names over a block of cells."""
    labels = _area_labels(area_names, _rates_column(units, area_names))
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    return (lines * 1.25 * FIGURE_SIZE + 6) * PT


def _rates_column(units: Sequence[UnitResult], area_names: dict[str, str]) -> float:
    return (WIDTH - _name_margin(units) - RIGHT) / max(len(area_names), 1)


def _blocks(result: RoundResult, overhead: float, top: float) -> list[ChartBlock]:
    """Each category in rank order; one too long for a page split into even runs."""
    most = max(1, int((MAX_HEIGHT - top - overhead) / ROW))
    blocks = []
    for category in dict.fromkeys(u.category for u in result.units):
        units = sorted(
            (u for u in result.units if u.category == category),
            key=lambda u: (u.category_rank, u.order),
        )
        runs = math.ceil(len(units) / most)
        size = math.ceil(len(units) / runs)
        for start in range(0, len(units), size):
            run = tuple(units[start : start + size])
            title = (
                f"{category}（{len(units)}个单位）"
                if runs == 1
                else f"{category}（第{start + 1}—{start + len(run)}位，共{len(units)}个单位）"
            )
            blocks.append(ChartBlock(title, run))
    return blocks


def _pack(kind: Kind, blocks: list[ChartBlock], overhead: float, top: float) -> list[ChartPage]:
    pages: list[ChartPage] = []
    current: list[ChartBlock] = []
    height = top
    for block in blocks:
        needed = overhead + len(block.units) * ROW
        if current and height + needed > MAX_HEIGHT:
            pages.append(_page(kind, len(pages), current, height))
            current, height = [], top
        current.append(block)
        height += needed
    if current:
        pages.append(_page(kind, len(pages), current, height))
    return pages


def _page(kind: Kind, index: int, blocks: list[ChartBlock], height: float) -> ChartPage:
    more = "（续）" if index else ""
    # Only the first page of all is titled for the 附件 as a whole: it names its chart.
    heading = FIRST_HEADING if kind == "ranking" and not index else ""
    title = PAGE_TITLES[kind] + (more or FIRST_TITLE_NOTE.get(kind, ""))
    return ChartPage(kind, title, heading, tuple(blocks), height)


def chart_pages(result: RoundResult, area_names: dict[str, str]) -> list[ChartPage]:
    """The 通报's chart pages, planned from the data alone (nothing drawn): what the page count
    before printing and the drawing both follow."""
    ranking = BLOCK_HEAD + RANKING_FOOT + GAP
    pages = _pack("ranking", _blocks(result, ranking, TOP), ranking, TOP)
    categories = list(dict.fromkeys(u.category for u in result.units))
    spread = ChartBlock("", tuple(result.units))
    pages.append(
        ChartPage(
            "spread",
            PAGE_TITLES["spread"],
            "",
            (spread,),
            PLAIN_TOP + 0.45 * len(categories) + 0.55,
        )
    )
    if area_names:
        rates = BLOCK_HEAD + _rates_head(result.units, area_names) + RATES_FOOT + GAP
        pages += _pack("rates", _blocks(result, rates, PLAIN_TOP), rates, PLAIN_TOP)
    return pages


def draw_chart_page(
    page: ChartPage,
    result: RoundResult,
    area_names: dict[str, str],
    area_points: dict[str, dict[str, Fraction]],
) -> Any:
    """One chart page as a matplotlib figure the size it is printed."""
    plt = pyplot()
    figure = plt.figure(figsize=(WIDTH, page.height))
    if page.heading:
        figure.text(0.0, 1 - 0.06 / page.height, page.heading, fontsize=HEAD_SIZE, va="top")
    if page.kind == "ranking":
        _ranking(figure, page, result)
    elif page.kind == "spread":
        _spread(figure, page, result)
    else:
        _rates(figure, page, result, area_names, area_points)
    return figure


def _axes(figure: Any, page: ChartPage, left: float, top: float, width: float, rows: float) -> Any:
    """Axes placed in inches from the figure's top left (matplotlib counts from the bottom)."""
    height = page.height
    return figure.add_axes(
        (left / WIDTH, (height - top - rows) / height, width / WIDTH, rows / height)
    )


def _ranking(figure: Any, page: ChartPage, result: RoundResult) -> None:
    values = [float(u.final) for u in result.units]
    low = max(0.0, 5 * math.floor((min(values) - 2) / 5))
    high = max((max(values) - 0.13 * low) / 0.87, low + 10)  # room for the figure at its end
    left = _name_margin(result.units)
    y = TOP
    for block in page.blocks:
        rows = len(block.units) * ROW
        axes = _axes(figure, page, left, y + BLOCK_HEAD, WIDTH - left - RIGHT, rows)
        finals = [float(u.final) for u in block.units]
        colours = [GRADE_COLOURS.get(u.grade, OTHER_COLOUR) for u in block.units]
        positions = range(len(block.units))
        axes.barh(positions, [f - low for f in finals], left=low, color=colours, height=0.68)
        axes.set_ylim(len(block.units) - 0.5, -0.5)
        axes.set_xlim(low, high)
        axes.set_xticks(_ticks(low, high))
        axes.set_yticks(positions, [u.unit for u in block.units], fontsize=NAME_SIZE)
        axes.tick_params(axis="x", labelsize=FIGURE_SIZE)
        axes.tick_params(axis="y", length=0, pad=4)
        for position, final, unit in zip(positions, finals, block.units, strict=True):
            axes.text(
                final + (high - low) * 0.006,
                position,
                f"{unit.final:.2f}",
                va="center",
                fontsize=FIGURE_SIZE,
            )
        axes.set_title(block.title, loc="left", fontsize=HEAD_SIZE, pad=4)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        y += BLOCK_HEAD + rows + RANKING_FOOT + GAP
    grades = list(dict.fromkeys(u.grade for u in result.units))
    handles = [_patch(GRADE_COLOURS.get(g, OTHER_COLOUR)) for g in grades]
    figure.legend(
        handles,
        grades,
        loc="upper right",
        bbox_to_anchor=(1 - RIGHT / WIDTH, 1 - 0.03 / page.height),
        ncols=len(grades),
        fontsize=FIGURE_SIZE,
        frameon=False,
        borderaxespad=0,
        borderpad=0,
        handlelength=1.2,
        columnspacing=1.2,
    )


def _patch(colour: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(color=colour)


def _spread(figure: Any, page: ChartPage, result: RoundResult) -> None:
    categories = list(dict.fromkeys(u.category for u in result.units))
    left = max(text_width(c, NAME_SIZE) for c in categories) + 0.14
    rows = 0.45 * len(categories)
    axes = _axes(figure, page, left, PLAIN_TOP, WIDTH - left - RIGHT, rows)
    data = [[float(u.final) for u in result.units if u.category == c] for c in categories]
    axes.boxplot(data, orientation="horizontal", showfliers=False, widths=0.5)
    for index, values in enumerate(data, start=1):
        # a fixed spread of the dots across the box's height, so they do not hide each other
        offsets = [((i * 7) % 11 - 5) * 0.035 for i in range(len(values))]
        axes.scatter(values, [index + o for o in offsets], s=7, alpha=0.6, color="#1565c0")
    axes.set_yticks(range(1, len(categories) + 1), categories, fontsize=NAME_SIZE)
    axes.set_ylim(len(categories) + 0.5, 0.5)
    low = 5 * math.floor(min(min(v) for v in data if v) / 5 - 0.2)
    high = 5 * math.ceil(max(max(v) for v in data if v) / 5 + 0.2)
    axes.set_xlim(low, high)
    axes.set_xticks(_ticks(low, high))
    axes.tick_params(axis="x", labelsize=FIGURE_SIZE)
    axes.set_xlabel("最终得分", fontsize=NAME_SIZE)


def _ticks(low: float, high: float) -> list[int]:
    """Every 5 points within the axis (never a label past its end)."""
    return list(range(5 * math.ceil(low / 5), int(high) + 1, 5))


def _rates(
    figure: Any,
    page: ChartPage,
    result: RoundResult,
    area_names: dict[str, str],
    area_points: dict[str, dict[str, Fraction]],
) -> None:
    import numpy

    plt = pyplot()
    codes = list(area_names)
    left = _name_margin(result.units)
    column = _rates_column(result.units, area_names)
    labels = _area_labels(area_names, column)
    head = _rates_head(result.units, area_names)
    colours = plt.get_cmap("RdYlGn")
    y = PLAIN_TOP
    for block in page.blocks:
        rates = [[_rate(u, area_points.get(u.unit, {}), c) for c in codes] for u in block.units]
        rows = len(block.units) * ROW
        axes = _axes(figure, page, left, y + BLOCK_HEAD + head, column * len(codes), rows)
        grid = numpy.ma.masked_invalid(numpy.array(rates, dtype=float))
        # cells as vector shapes (pcolormesh, not a picture), an area that does not apply grey
        edges_x = numpy.arange(len(codes) + 1) - 0.5
        edges_y = numpy.arange(len(block.units) + 1) - 0.5
        axes.set_facecolor("#e0e0e0")
        axes.pcolormesh(
            edges_x,
            edges_y,
            grid,
            cmap=colours,
            vmin=0.6,
            vmax=1.0,
            edgecolors="white",
            linewidth=0.4,
        )
        axes.set_xlim(-0.5, len(codes) - 0.5)
        axes.set_ylim(len(block.units) - 0.5, -0.5)
        axes.set_yticks(range(len(block.units)), [u.unit for u in block.units], fontsize=NAME_SIZE)
        axes.xaxis.tick_top()
        axes.set_xticks(range(len(codes)), labels, fontsize=FIGURE_SIZE)
        axes.tick_params(length=0, pad=3)
        for row, values in enumerate(rates):
            for col, rate in enumerate(values):
                text = "—" if math.isnan(rate) else f"{rate * 100:.1f}"
                dark = not math.isnan(rate) and not 0.68 <= rate <= 0.93
                axes.text(
                    col,
                    row,
                    text,
                    ha="center",
                    va="center",
                    fontsize=FIGURE_SIZE,
                    color="white" if dark else "black",
                )
        axes.set_title(block.title, loc="left", fontsize=HEAD_SIZE, pad=head * 72 + 2)
        y += BLOCK_HEAD + head + rows + RATES_FOOT + GAP


def _rate(unit: UnitResult, points: dict[str, Fraction], code: str) -> float:
    """得分率 of one area; NaN where none of its leaves apply to the unit."""
    total = points.get(code, Fraction(0))
    return float(unit.areas.get(code, Fraction(0)) / total) if total else math.nan
