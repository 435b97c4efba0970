"""The 版头 and the 版记 (GB/T 9704 7.2, 7.4, 10): the red issuer mark, the 发文字号 and the
red rule of the 文件 format or the double rules of the 信函 format; on the last page 抄送 and
印发 between black rules, the last on the 版心's bottom edge. What frames the body, kept apart
from it so the body's layout reads on its own."""

from __future__ import annotations

from reportlab.lib.colors import black
from reportlab.lib.units import mm

from app.documents.fonts import BODY, TITLE, font_for
from app.documents.official.grid import (
    BODY_SIZE,
    LEFT,
    LINE_PITCH,
    LINES,
    NOTE_SIZE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TOP,
    first_line_below,
)
from app.documents.official.model import LETTER_LAYOUT, chinese_date
from app.documents.official.page import PageWriter
from app.documents.textfit import break_lines


def draw_head(writer: PageWriter) -> None:
    if writer.doc.layout == LETTER_LAYOUT:
        _letter_head(writer)
    else:
        _file_head(writer)


def _mark(writer: PageWriter, top_y: float) -> float:
    """The red 发文机关标志 centred, compressed sideways to fit; returns its bottom."""
    size = 36
    font = font_for(TITLE)
    natural = writer.width(writer.doc.issuer_mark, font, size, 0)
    scale = min(1.0, TEXT_WIDTH / natural) if natural else 1.0
    shown = natural * scale
    y = top_y - size * 0.88
    writer.c.saveState()
    writer.c.setFillColor(RED)
    writer.c.translate(LEFT + (TEXT_WIDTH - shown) / 2, y)
    writer.c.scale(scale, 1)
    writer.draw(0, 0, writer.doc.issuer_mark, font, size, 0)
    writer.c.restoreState()
    return y - size * 0.12


def _file_head(writer: PageWriter) -> None:
    mark_bottom = _mark(writer, PAGE_HEIGHT - TOP - 35 * mm)
    number_y = mark_bottom - 2 * LINE_PITCH
    font = font_for(BODY)
    if writer.doc.number:  # a 通报 may go out without one
        width = writer.width(writer.doc.number, font, BODY_SIZE, 0)
        writer.draw(
            LEFT + (TEXT_WIDTH - width) / 2, number_y, writer.doc.number, font, BODY_SIZE, 0
        )
    rule_y = number_y - BODY_SIZE * 0.2 - 4 * mm
    writer.c.setStrokeColor(RED)
    writer.c.setLineWidth(1)
    writer.c.line(LEFT, rule_y, LEFT + TEXT_WIDTH, rule_y)
    writer.c.setStrokeColor(black)
    writer.line = first_line_below(rule_y) + 1  # the title two lines below the rule


def _letter_head(writer: PageWriter) -> None:
    mark_bottom = _mark(writer, PAGE_HEIGHT - 30 * mm)
    left, right = (PAGE_WIDTH - 170 * mm) / 2, (PAGE_WIDTH + 170 * mm) / 2
    top_rule = mark_bottom - 4 * mm
    _double_rule(writer, left, right, top_rule, thick_first=True)
    bottom_rule = 20 * mm
    _double_rule(writer, left, right, bottom_rule, thick_first=False)
    font = font_for(BODY)
    width = writer.width(writer.doc.number, font, BODY_SIZE, 0)
    number_y = top_rule - 3 * mm - BODY_SIZE
    # its last character on the 版心's right edge (GB/T 9704 10.1)
    writer.draw(LEFT + TEXT_WIDTH - width, number_y, writer.doc.number, font, BODY_SIZE, 0)
    writer.line = first_line_below(number_y) + 1


def _double_rule(
    writer: PageWriter, left: float, right: float, y: float, thick_first: bool
) -> None:
    writer.c.setStrokeColor(RED)
    thick, thin, gap = 1.2 * mm / 2, 0.3 * mm, 0.8 * mm
    first, second = (thick, thin) if thick_first else (thin, thick)
    writer.c.setLineWidth(first)
    writer.c.line(left, y, right, y)
    writer.c.setLineWidth(second)
    writer.c.line(left, y - gap, right, y - gap)
    writer.c.setStrokeColor(black)


def draw_colophon(writer: PageWriter) -> None:
    """版记: 抄送 and 印发 between rules, the last rule on the 版心's bottom edge."""
    if not writer.doc.printer:
        return
    rows = 2 if writer.doc.cc else 1
    if writer.line + rows + 1 > LINES:
        writer.finish_page()
    bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
    font = font_for(BODY)
    row_height = LINE_PITCH * 0.8
    writer.c.setStrokeColor(black)
    writer.c.setLineWidth(0.35 * mm)
    writer.c.line(LEFT, bottom, LEFT + TEXT_WIDTH, bottom)
    printed = f"{chinese_date(writer.doc.issued_on)}印发"
    y = bottom + (row_height - NOTE_SIZE) / 2 + 0.2 * NOTE_SIZE
    writer.draw(LEFT + NOTE_SIZE, y, writer.doc.printer, font, NOTE_SIZE, 0)
    width = writer.width(printed, font, NOTE_SIZE, 0)
    writer.draw(LEFT + TEXT_WIDTH - NOTE_SIZE - width, y, printed, font, NOTE_SIZE, 0)
    top = bottom + row_height
    if writer.doc.cc:
        writer.c.setLineWidth(0.25 * mm)
        writer.c.line(LEFT, top, LEFT + TEXT_WIDTH, top)
        # 回行时与冒号后的首字对齐 (GB/T 9704 7.4.2)
        label = writer.width("抄送：", font, NOTE_SIZE, 0)
        cc_lines = break_lines(
            f"抄送：{writer.doc.cc}。",
            TEXT_WIDTH - 2 * NOTE_SIZE - label,
            lambda s: writer.width(s, font, NOTE_SIZE, 0),
            -label,
        )
        for index in reversed(range(len(cc_lines))):
            text = cc_lines[index]
            writer.draw(
                LEFT + NOTE_SIZE + (label if index else 0),
                top + (row_height - NOTE_SIZE) / 2 + 0.2 * NOTE_SIZE,
                text,
                font,
                NOTE_SIZE,
                0,
            )
            top += row_height
    writer.c.setLineWidth(0.35 * mm)
    writer.c.line(LEFT, top, LEFT + TEXT_WIDTH, top)
