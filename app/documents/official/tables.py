"""Ruled tables on the grid (an attachment's score table, a calculation under it) and a unit's
radar above its table. Drawn directly, not with platypus: a batch of notices spends most of its
time here, and each character still gets a face that has it. Rows continue on the next page
under a repeated header; what goes under a table stays together."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib.colors import black
from reportlab.lib.units import mm

from app.documents.fonts import BODY, HEADING1, font_for
from app.documents.official.grid import (
    BODY_SIZE,
    CHAR_SPACE,
    LEFT,
    LINE_PITCH,
    LINES,
    PAGE_HEIGHT,
    RADAR_LINES,
    TABLE_LEADING,
    TABLE_PADDING,
    TABLE_SIZE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TOP,
)
from app.documents.official.lines import text_width
from app.documents.official.model import AttachmentTable, Block
from app.documents.official.page import PageWriter
from app.documents.radar import Radar, draw_radar
from app.documents.textfit import break_lines


def draw_unit_radar(writer: PageWriter, radar: Radar) -> None:
    """A radar chart in the next RADAR_LINES lines of the grid, centred in the 版心."""
    writer.need(RADAR_LINES + 3)
    font = font_for(BODY)
    top = PAGE_HEIGHT - TOP - writer.line * LINE_PITCH
    height = RADAR_LINES * LINE_PITCH
    radius = height * 0.36

    def text(x: float, y: float, value: str, size: float) -> float:
        writer.draw(x, y, value, font, size, 0)
        return writer.width(value, font, size, 0)

    draw_radar(
        writer.c,
        radar,
        LEFT + TEXT_WIDTH / 2,
        top - height * 0.47,
        radius,
        text,
        lambda value, size: writer.width(value, font, size, 0),
    )
    writer.line += RADAR_LINES


def draw_table(writer: PageWriter, table: AttachmentTable) -> None:
    """A ruled table from the current line, drawn row by row and continued on the next
    page under a repeated header. Drawn directly (not with platypus): a batch of notices
    spends most of its time here, and each character still gets a face that has it."""
    widths = [w * mm for w in table.widths_mm]
    body, head = font_for(BODY), font_for(HEADING1)

    def layout(cells: Sequence[str], font: str) -> tuple[list[list[str]], float]:
        return _row_layout(writer, cells, font, widths)

    header, header_height = layout(table.header, head)
    bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
    top = PAGE_HEIGHT - TOP - writer.line * LINE_PITCH
    first = layout(table.rows[0], body)[1] if table.rows else 0
    if top - header_height - first < bottom:  # never a header alone at a page's foot
        writer.finish_page()
        top = PAGE_HEIGHT - TOP
    writer.c.setLineWidth(0.5)
    writer.c.setStrokeColor(black)
    top = _table_row(writer, header, header_height, widths, top, head, centred=True)
    for row in table.rows:
        wrapped, height = layout(row, body)
        if top - height < bottom:
            writer.finish_page()
            writer.c.setLineWidth(0.5)
            top = _table_row(
                writer, header, header_height, widths, PAGE_HEIGHT - TOP, head, centred=True
            )
        top = _table_row(writer, wrapped, height, widths, top, body)
    writer.line = LINES - int((top - bottom) // LINE_PITCH)


def _row_layout(
    writer: PageWriter, cells: Sequence[str], font: str, widths: Sequence[float]
) -> tuple[list[list[str]], float]:
    """A row's cells broken into lines, and the row's height."""
    wrapped, height = row_layout(tuple(cells), font, tuple(widths))
    return [list(lines) for lines in wrapped], height


@lru_cache(maxsize=1 << 15)
def row_layout(
    cells: tuple[str, ...], font: str, widths: tuple[float, ...]
) -> tuple[tuple[tuple[str, ...], ...], float]:
    """A row's cells broken into lines, and its height: kept, so that the page count shown
    before printing and the printing itself break the same rows only once."""
    size, pad = TABLE_SIZE, TABLE_PADDING
    wrapped = tuple(
        tuple(break_lines(c, w - 2 * pad, lambda s: text_width(s, font, size, 0)))
        for c, w in zip(cells, widths, strict=False)
    )
    return wrapped, max(len(w) for w in wrapped) * TABLE_LEADING + 2 * pad


def table_height(writer: PageWriter, table: AttachmentTable) -> float:
    widths = [w * mm for w in table.widths_mm]
    rows = [(table.header, font_for(HEADING1))] + [(r, font_for(BODY)) for r in table.rows]
    return sum(_row_layout(writer, cells, font, widths)[1] for cells, font in rows)


def draw_after_table(writer: PageWriter, blocks: Sequence[Block]) -> None:
    """What goes under an attachment's table (a calculation and its note) stays together:
    on a new page when it does not fit on this one (and fits on a page at all)."""
    cell = BODY_SIZE + CHAR_SPACE
    height = 0.0
    for block in blocks:
        if block.table is not None:
            height += LINE_PITCH + table_height(writer, block.table)
        else:
            lines = writer.paragraph_lines(block.text, BODY, 2 * cell, 0)
            height += len(lines) * LINE_PITCH
    top = PAGE_HEIGHT - TOP - writer.line * LINE_PITCH
    if top - height < PAGE_HEIGHT - TOP - TEXT_HEIGHT and height <= TEXT_HEIGHT:
        writer.finish_page()
    for block in blocks:
        if block.table is not None:
            if writer.line:
                writer.line += 1  # a line's space, so two tables never read as one
            draw_table(writer, block.table)
        else:
            writer.paragraph(block.text, BODY, indent_chars=2)


def _table_row(
    writer: PageWriter,
    wrapped: list[list[str]],
    height: float,
    widths: list[float],
    top: float,
    font: str,
    centred: bool = False,
) -> float:
    """One row: its cells' lines (vertically centred) and its rules; returns its bottom."""
    if writer.dry:
        return top - height
    size, leading = TABLE_SIZE, TABLE_LEADING
    x = LEFT
    writer.c.line(LEFT, top, LEFT + sum(widths), top)
    writer.c.line(LEFT, top - height, LEFT + sum(widths), top - height)
    for lines, width in zip(wrapped, widths, strict=False):
        writer.c.line(x, top, x, top - height)
        block = len(lines) * leading
        y = top - (height - block) / 2 - leading + (leading - size) / 2 + 0.2 * size
        for text in lines:
            free = width - writer.width(text, font, size, 0)
            offset = free / 2 if centred else TABLE_PADDING
            writer.draw(x + offset, y, text, font, size, 0)
            y -= leading
        x += width
    writer.c.line(x, top, x, top - height)
    return top - height
