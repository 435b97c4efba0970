"""Official documents (公文) drawn to GB/T 9704-2012: the 文件/通知 format and the 信函 format.

Everything is placed on the standard's grid: 版心 156 × 225 mm at 37 mm from the top and 28 mm
from the left, 22 lines of 28 characters of 3号 (16 pt) 仿宋. The document arrives as plain data
(OfficialDocument); the services decide the wording.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import (
    BODY,
    HEADING1,
    HEADING2,
    SONG,
    TITLE,
    font_for,
    font_runs,
    missing_characters,
)
from app.documents.radar import Radar, draw_radar
from app.documents.textfit import break_lines
from app.errors import UserError

COMPRESSION_LEVEL = 3


def _compress(text: str | bytes) -> bytes:
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, COMPRESSION_LEVEL)


# reportlab deflates every stream at zlib's default level 6. The fonts' glyph outlines make
# up most of each notice, and level 3 deflates them in half the time for files about 5 %
# larger: 80 notices spend 0.4 s less. Only Kaoping draws PDFs in this process.
pdfdoc.PDFZCompress.encode = _compress  # type: ignore[method-assign]

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, LEFT = 37 * mm, 28 * mm
TEXT_WIDTH, TEXT_HEIGHT = 156 * mm, 225 * mm
LINES, CHARS = 22, 28
LINE_PITCH = TEXT_HEIGHT / LINES  # 10.227 mm
BODY_SIZE, TITLE_SIZE, NOTE_SIZE = 16, 22, 14  # 三号, 二号, 四号
TABLE_SIZE, TABLE_LEADING, TABLE_PADDING = 12, 16, 4  # 小四 in attachment tables
CHAR_SPACE = TEXT_WIDTH / CHARS - BODY_SIZE  # so 28 characters fill the 版心 exactly
RED = Color(1, 0, 0)
FILE_LAYOUT, LETTER_LAYOUT = "文件", "信函"
Layout = Literal["文件", "信函"]
BlockKind = Literal["para", "h1", "h2", "h3", "plain", "table"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    table: AttachmentTable | None = None  # kind "table": a ruled table in the body


@dataclass(frozen=True)
class AttachmentTable:
    title: str
    header: tuple[str, ...]
    widths_mm: tuple[float, ...]  # adding up to 156
    rows: list[tuple[str, ...]]
    # A continuation (e.g. the next unit's score sheet) starts on a new page under its own
    # title but is not another 附件 of its own.
    continues: bool = False
    note: str = ""  # one line under the title (e.g. the unit's total and grade)
    radar: Radar | None = None  # drawn between the note and the table
    after: tuple[Block, ...] = ()  # tables and paragraphs under the table (e.g. a calculation)
    title_parts: tuple[str, ...] = ()  # the title's words: a line breaks only between them


@dataclass(frozen=True)
class ChartAttachment:
    """A matplotlib figure saved as a one-page PDF, placed as vector graphics in the 版心."""

    title: str
    figure_pdf: bytes
    continues: bool = False


Attachment = AttachmentTable | ChartAttachment


@dataclass(frozen=True)
class Overlay:
    """Where a chart's page goes: page index (0-based) and box in points."""

    page: int
    figure_pdf: bytes
    x: float
    y: float
    width: float
    height: float


@dataclass
class OfficialDocument:
    layout: Layout
    issuer_mark: str  # 发文机关标志, e.g. "云州市全面依法治市委员会办公室文件"
    number: str  # 发文字号, e.g. "云法办〔2026〕3号"
    title: str
    addressee: str  # 主送, without the colon
    blocks: list[Block]
    signature: str  # 发文机关署名
    issued_on: date
    attachments: list[Attachment] = field(default_factory=list)
    cc: str = ""  # 抄送
    printer: str = ""  # 印发机关 (版记); blank: no 版记
    check_code: str = ""  # the change log's chain head, printed small on every page
    seal_png: bytes | None = None  # the office's seal (印章) as a PNG with transparency
    # The title's words in order (joined they give ``title``): a title line breaks only
    # between them, so a word is never split over two lines (GB/T 9704 7.3.1: 词意完整).
    title_parts: tuple[str, ...] = ()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def baseline(line: int) -> float:
    """The baseline of grid line ``line`` (0 = first line of the 版心), in reportlab's y-up."""
    top_of_line = PAGE_HEIGHT - TOP - line * LINE_PITCH
    return top_of_line - LINE_PITCH + (LINE_PITCH - BODY_SIZE) / 2 + 0.2 * BODY_SIZE


@dataclass(frozen=True)
class _Line:
    """One body line, broken and positioned but not yet drawn."""

    text: str
    font: str
    x: float


_WIDTHS: dict[tuple[str, str, float], float] = {}  # (text, font, size) -> width in points
RADAR_LINES = 8  # a unit's radar on its score sheet: about 82 mm of the 版心
SIGNATURE_LINES = 4  # two lines of room for the seal, then 署名 and 成文日期
KEEP_WITH_SIGNATURE = 2  # body lines that go to the next page with the signature


class _Writer:
    """Draws one document onto a canvas, keeping the grid line and the page count."""

    def __init__(self, canvas: Canvas, document: OfficialDocument) -> None:
        self.c = canvas
        self.doc = document
        self.page = 1
        self.line = 0
        self.overlays: list[Overlay] = []

    # -- text primitives ----------------------------------------------------------------
    def width(self, text: str, font: str, size: float, space: float) -> float:
        key = (text, font, size)
        known = _WIDTHS.get(key)
        if known is None:
            known = sum(stringWidth(run, f, size) for run, f in font_runs(text, font))
            if len(text) <= 4:  # characters and short words recur; whole lines do not
                _WIDTHS[key] = known
        return known + space * len(text)

    def draw(self, x: float, y: float, text: str, font: str, size: float, space: float) -> None:
        for run, run_font in font_runs(text, font):
            t = self.c.beginText(x, y)
            t.setFont(run_font, size)
            t.setCharSpace(space)
            t.textOut(run)
            self.c.drawText(t)
            x += stringWidth(run, run_font, size) + space * len(run)

    # -- pages ----------------------------------------------------------------------------
    def finish_page(self) -> None:
        self.page_number()
        if self.doc.check_code:
            self.c.setFillColor(Color(0.45, 0.45, 0.45))
            self.c.setFont(font_for(SONG), 7)
            # the same 12 characters `audit verify` prints as the chain head's check code
            self.c.drawString(LEFT, 12 * mm, f"变更记录校验码 {self.doc.check_code[:12].upper()}")
            self.c.setFillColor(black)
        self.c.showPage()
        self.page += 1
        self.line = 0

    def page_number(self) -> None:
        if self.doc.layout == LETTER_LAYOUT and self.page == 1:
            return  # 信函格式: no number on the first page
        text = f"— {self.page} —"
        font = font_for(SONG)
        y = PAGE_HEIGHT - TOP - TEXT_HEIGHT - 7 * mm - NOTE_SIZE * 0.8
        width = stringWidth(text, font, NOTE_SIZE)
        one_char = NOTE_SIZE
        x = LEFT + TEXT_WIDTH - one_char - width if self.page % 2 else LEFT + one_char
        self.c.setFont(font, NOTE_SIZE)
        self.c.drawString(x, y, text)

    def need(self, lines: int) -> None:
        if self.line + lines > LINES:
            self.finish_page()

    # -- 版头 -----------------------------------------------------------------------------
    def head(self) -> None:
        if self.doc.layout == LETTER_LAYOUT:
            self.letter_head()
        else:
            self.file_head()

    def mark(self, top_y: float) -> float:
        """The red 发文机关标志 centred, compressed sideways to fit; returns its bottom."""
        size = 36
        font = font_for(TITLE)
        natural = self.width(self.doc.issuer_mark, font, size, 0)
        scale = min(1.0, TEXT_WIDTH / natural) if natural else 1.0
        shown = natural * scale
        y = top_y - size * 0.88
        self.c.saveState()
        self.c.setFillColor(RED)
        self.c.translate(LEFT + (TEXT_WIDTH - shown) / 2, y)
        self.c.scale(scale, 1)
        self.draw(0, 0, self.doc.issuer_mark, font, size, 0)
        self.c.restoreState()
        return y - size * 0.12

    def file_head(self) -> None:
        mark_bottom = self.mark(PAGE_HEIGHT - TOP - 35 * mm)
        number_y = mark_bottom - 2 * LINE_PITCH
        font = font_for(BODY)
        if self.doc.number:  # a 通报 may go out without one
            width = self.width(self.doc.number, font, BODY_SIZE, 0)
            self.draw(
                LEFT + (TEXT_WIDTH - width) / 2, number_y, self.doc.number, font, BODY_SIZE, 0
            )
        rule_y = number_y - BODY_SIZE * 0.2 - 4 * mm
        self.c.setStrokeColor(RED)
        self.c.setLineWidth(1)
        self.c.line(LEFT, rule_y, LEFT + TEXT_WIDTH, rule_y)
        self.c.setStrokeColor(black)
        self.line = self.first_line_below(rule_y) + 1  # the title two lines below the rule

    def letter_head(self) -> None:
        mark_bottom = self.mark(PAGE_HEIGHT - 30 * mm)
        left, right = (PAGE_WIDTH - 170 * mm) / 2, (PAGE_WIDTH + 170 * mm) / 2
        top_rule = mark_bottom - 4 * mm
        self.double_rule(left, right, top_rule, thick_first=True)
        bottom_rule = 20 * mm
        self.double_rule(left, right, bottom_rule, thick_first=False)
        font = font_for(BODY)
        width = self.width(self.doc.number, font, BODY_SIZE, 0)
        number_y = top_rule - 3 * mm - BODY_SIZE
        # its last character on the 版心's right edge (GB/T 9704 10.1)
        self.draw(LEFT + TEXT_WIDTH - width, number_y, self.doc.number, font, BODY_SIZE, 0)
        self.line = self.first_line_below(number_y) + 1

    def double_rule(self, left: float, right: float, y: float, thick_first: bool) -> None:
        self.c.setStrokeColor(RED)
        thick, thin, gap = 1.2 * mm / 2, 0.3 * mm, 0.8 * mm
        first, second = (thick, thin) if thick_first else (thin, thick)
        self.c.setLineWidth(first)
        self.c.line(left, y, right, y)
        self.c.setLineWidth(second)
        self.c.line(left, y - gap, right, y - gap)
        self.c.setStrokeColor(black)

    def first_line_below(self, y: float) -> int:
        line = 0
        while baseline(line) + BODY_SIZE > y and line < LINES:
            line += 1
        return line

    # -- 主体 -----------------------------------------------------------------------------
    def title(self) -> None:
        self.title_line(self.doc.title, self.doc.title_parts)

    def paragraph(
        self, text: str, role: str, indent_chars: int = 2, align_right_chars: int = -1
    ) -> None:
        cell = BODY_SIZE + CHAR_SPACE
        if align_right_chars >= 0:
            font = font_for(role)
            lines = self.paragraph_lines(text, role, indent_chars * cell, 0)
            for line in lines:
                width = self.width(line.text, font, BODY_SIZE, CHAR_SPACE)
                x = LEFT + TEXT_WIDTH - align_right_chars * cell - width
                self.place([_Line(line.text, line.font, x)])
            return
        self.place(self.paragraph_lines(text, role, indent_chars * cell, 0))

    def paragraph_lines(self, text: str, role: str, first: float, rest: float) -> list[_Line]:
        """The lines of a paragraph whose first line starts ``first`` points in and the
        others ``rest`` points in (a hanging indent aligns 附件 names after their number)."""
        font = font_for(role)
        lines = break_lines(
            text,
            TEXT_WIDTH - rest,
            lambda s: self.width(s, font, BODY_SIZE, CHAR_SPACE),
            first - rest,
        )
        return [
            _Line(line, font, LEFT + (first if index == 0 else rest))
            for index, line in enumerate(lines)
        ]

    def place(self, lines: Sequence[_Line | None]) -> None:
        """Draw lines on the grid, a new page when one is full; None is a blank line."""
        for line in lines:
            if line is None:
                if 0 < self.line < LINES:  # no blank line at the top of a page
                    self.line += 1
                continue
            self.need(1)
            self.draw(line.x, baseline(self.line), line.text, line.font, BODY_SIZE, CHAR_SPACE)
            self.line += 1

    def place_before_signature(self, lines: list[_Line | None], keep_from: int) -> None:
        """The body's last lines: if the signature would land on a page without any text,
        the lines from ``keep_from`` on (the last lines of the body and the 附件说明) move to
        the next page with it, as GB/T 9704 asks (署名 and date never stand alone)."""
        line = self.line
        for item in lines:  # where place() would leave the last line
            if item is None:
                line += 1 if 0 < line < LINES else 0
                continue
            if line >= LINES:
                line = 0
            line += 1
        if line + SIGNATURE_LINES <= LINES:
            self.place(lines)
            return
        self.place(lines[:keep_from])
        if self.line > 0:
            self.finish_page()
        self.place(lines[keep_from:])

    def body(self) -> None:
        self.paragraph(f"{self.doc.addressee}：", BODY, indent_chars=0)
        roles = {"h1": HEADING1, "h2": HEADING2, "h3": BODY, "para": BODY, "plain": BODY}
        blocks = self.doc.blocks
        last_table = max((i for i, b in enumerate(blocks) if b.table is not None), default=-1)
        for index, block in enumerate(blocks[: last_table + 1]):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if block.kind in ("h1", "h2") and following is not None and following.table:
                self.need(5)  # a heading stays with its table's first rows
            if block.table is not None:
                self.table(block.table)
                self.line += 1
            else:
                self.paragraph(block.text, roles[block.kind], indent_chars=2)
        # The text after the last table is laid out first, so that the signature can take
        # the last lines with it to a new page.
        cell = BODY_SIZE + CHAR_SPACE
        tail: list[_Line | None] = []
        for block in blocks[last_table + 1 :]:
            tail += self.paragraph_lines(block.text, roles[block.kind], 2 * cell, 0)
        texts = [i for i, line in enumerate(tail) if line is not None]
        keep_from = texts[-KEEP_WITH_SIGNATURE] if len(texts) >= KEEP_WITH_SIGNATURE else 0
        names = [a.title for a in self.doc.attachments if not a.continues]
        if names:
            tail.append(None)  # 附件说明 one line below the body, names aligned after "1."
            body_font = font_for(BODY)
            if len(names) == 1:
                label = "附件："
                hang = 2 * cell + self.width(label, body_font, BODY_SIZE, CHAR_SPACE)
                tail += self.paragraph_lines(f"{label}{names[0]}", BODY, 2 * cell, hang)
            else:
                for number, name in enumerate(names, start=1):
                    label = f"{number}."
                    start = 2 * cell if number == 1 else 5 * cell
                    prefix = "附件：" if number == 1 else ""
                    hang = 5 * cell + self.width(label, body_font, BODY_SIZE, CHAR_SPACE)
                    tail += self.paragraph_lines(f"{prefix}{label}{name}", BODY, start, hang)
        self.place_before_signature(tail, keep_from)

    def signature(self) -> None:
        """署名 centred over the date, the date 右空四字, room for the seal above them."""
        self.line += 2
        self.need(2)
        cell = BODY_SIZE + CHAR_SPACE
        font = font_for(BODY)
        day = chinese_date(self.doc.issued_on)
        day_width = self.width(day, font, BODY_SIZE, CHAR_SPACE)
        day_x = LEFT + TEXT_WIDTH - 4 * cell - day_width
        name_width = self.width(self.doc.signature, font, BODY_SIZE, CHAR_SPACE)
        centre = day_x + day_width / 2
        name_x = min(centre - name_width / 2, LEFT + TEXT_WIDTH - name_width)
        name_y, day_y = baseline(self.line), baseline(self.line + 1)
        if self.doc.seal_png:
            from reportlab.lib.utils import ImageReader

            size = 42 * mm  # a 4.2 cm seal over signature and date (GB/T 9704 7.3.5.1)
            self.c.drawImage(
                ImageReader(io.BytesIO(self.doc.seal_png)),
                centre - size / 2,
                # 署名 and date sit in the seal's lower middle (下压署名和成文日期)
                (name_y + day_y) / 2 + BODY_SIZE / 2 + size * 0.12 - size / 2,
                size,
                size,
                mask="auto",
            )
        self.draw(name_x, name_y, self.doc.signature, font, BODY_SIZE, CHAR_SPACE)
        self.draw(day_x, day_y, day, font, BODY_SIZE, CHAR_SPACE)
        self.line += 2

    # -- 附件 and 版记 ----------------------------------------------------------------------
    def attachment(self, number: int | None, item: Attachment) -> None:
        """A new page: 附件N at the top left (not for a continuation), the title, the content."""
        self.finish_page()
        self.attachment_page(number, item)

    def attachment_page(self, number: int | None, item: Attachment) -> None:
        if number is not None:
            labelled = sum(1 for a in self.doc.attachments if not a.continues)
            label = "附件" if labelled == 1 else f"附件{number}"
            self.draw(LEFT, baseline(0), label, font_for(HEADING1), BODY_SIZE, CHAR_SPACE)
            self.line = 2
        self.title_line(item.title, item.title_parts if isinstance(item, AttachmentTable) else ())
        if isinstance(item, ChartAttachment):
            top = PAGE_HEIGHT - TOP - self.line * LINE_PITCH
            bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
            self.overlays.append(
                Overlay(self.page - 1, item.figure_pdf, LEFT, bottom, TEXT_WIDTH, top - bottom)
            )
            self.line = LINES
            return
        if item.note:
            self.paragraph(item.note, BODY, indent_chars=0)
        if item.radar is not None:
            self.radar(item.radar)
        self.table(item)
        self.after_table(item.after)

    def radar(self, radar: Radar) -> None:
        """A radar chart in the next RADAR_LINES lines of the grid, centred in the 版心."""
        self.need(RADAR_LINES + 3)
        font = font_for(BODY)
        top = PAGE_HEIGHT - TOP - self.line * LINE_PITCH
        height = RADAR_LINES * LINE_PITCH
        radius = height * 0.36

        def text(x: float, y: float, value: str, size: float) -> float:
            self.draw(x, y, value, font, size, 0)
            return self.width(value, font, size, 0)

        draw_radar(
            self.c,
            radar,
            LEFT + TEXT_WIDTH / 2,
            top - height * 0.47,
            radius,
            text,
            lambda value, size: self.width(value, font, size, 0),
        )
        self.line += RADAR_LINES

    def table(self, table: AttachmentTable) -> None:
        """A ruled table from the current line, drawn row by row and continued on the next
        page under a repeated header. Drawn directly (not with platypus): a batch of notices
        spends most of its time here, and each character still gets a face that has it."""
        widths = [w * mm for w in table.widths_mm]
        body, head = font_for(BODY), font_for(HEADING1)

        def layout(cells: Sequence[str], font: str) -> tuple[list[list[str]], float]:
            return self._row_layout(cells, font, widths)

        header, header_height = layout(table.header, head)
        bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
        top = PAGE_HEIGHT - TOP - self.line * LINE_PITCH
        first = layout(table.rows[0], body)[1] if table.rows else 0
        if top - header_height - first < bottom:  # never a header alone at a page's foot
            self.finish_page()
            top = PAGE_HEIGHT - TOP
        self.c.setLineWidth(0.5)
        self.c.setStrokeColor(black)
        top = self._table_row(header, header_height, widths, top, head, centred=True)
        for row in table.rows:
            wrapped, height = layout(row, body)
            if top - height < bottom:
                self.finish_page()
                self.c.setLineWidth(0.5)
                top = self._table_row(
                    header, header_height, widths, PAGE_HEIGHT - TOP, head, centred=True
                )
            top = self._table_row(wrapped, height, widths, top, body)
        self.line = LINES - int((top - bottom) // LINE_PITCH)

    def _row_layout(
        self, cells: Sequence[str], font: str, widths: Sequence[float]
    ) -> tuple[list[list[str]], float]:
        """A row's cells broken into lines, and the row's height."""
        size, pad = TABLE_SIZE, TABLE_PADDING
        wrapped = [
            break_lines(c, w - 2 * pad, lambda s: self.width(s, font, size, 0))
            for c, w in zip(cells, widths, strict=False)
        ]
        return wrapped, max(len(w) for w in wrapped) * TABLE_LEADING + 2 * pad

    def table_height(self, table: AttachmentTable) -> float:
        widths = [w * mm for w in table.widths_mm]
        rows = [(table.header, font_for(HEADING1))] + [(r, font_for(BODY)) for r in table.rows]
        return sum(self._row_layout(cells, font, widths)[1] for cells, font in rows)

    def after_table(self, blocks: Sequence[Block]) -> None:
        """What goes under an attachment's table (a calculation and its note) stays together:
        on a new page when it does not fit on this one (and fits on a page at all)."""
        cell = BODY_SIZE + CHAR_SPACE
        height = 0.0
        for block in blocks:
            if block.table is not None:
                height += LINE_PITCH + self.table_height(block.table)
            else:
                lines = self.paragraph_lines(block.text, BODY, 2 * cell, 0)
                height += len(lines) * LINE_PITCH
        top = PAGE_HEIGHT - TOP - self.line * LINE_PITCH
        if top - height < PAGE_HEIGHT - TOP - TEXT_HEIGHT and height <= TEXT_HEIGHT:
            self.finish_page()
        for block in blocks:
            if block.table is not None:
                if self.line:
                    self.line += 1  # a line's space, so two tables never read as one
                self.table(block.table)
            else:
                self.paragraph(block.text, BODY, indent_chars=2)

    def _table_row(
        self,
        wrapped: list[list[str]],
        height: float,
        widths: list[float],
        top: float,
        font: str,
        centred: bool = False,
    ) -> float:
        """One row: its cells' lines (vertically centred) and its rules; returns its bottom."""
        size, leading = TABLE_SIZE, TABLE_LEADING
        x = LEFT
        self.c.line(LEFT, top, LEFT + sum(widths), top)
        self.c.line(LEFT, top - height, LEFT + sum(widths), top - height)
        for lines, width in zip(wrapped, widths, strict=False):
            self.c.line(x, top, x, top - height)
            block = len(lines) * leading
            y = top - (height - block) / 2 - leading + (leading - size) / 2 + 0.2 * size
            for text in lines:
                free = width - self.width(text, font, size, 0)
                offset = free / 2 if centred else TABLE_PADDING
                self.draw(x + offset, y, text, font, size, 0)
                y -= leading
            x += width
        self.c.line(x, top, x, top - height)
        return top - height

    def title_line(self, text: str, parts: Sequence[str] = ()) -> None:
        """A centred 2号小标宋 title; several lines are balanced (no lone last character)
        and, given the title's words, broken only between words."""
        font = font_for(TITLE)
        for piece in balanced_lines(text, TEXT_WIDTH - 2 * TITLE_SIZE, font, TITLE_SIZE, parts):
            self.need(1)
            width = self.width(piece, font, TITLE_SIZE, 0)
            self.draw(
                LEFT + (TEXT_WIDTH - width) / 2, baseline(self.line), piece, font, TITLE_SIZE, 0
            )
            self.line += 1
        self.line += 1  # 主送 (or the table) one line below

    def colophon(self) -> None:
        """版记: 抄送 and 印发 between rules, the last rule on the 版心's bottom edge."""
        if not self.doc.printer:
            return
        rows = 2 if self.doc.cc else 1
        if self.line + rows + 1 > LINES:
            self.finish_page()
        bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
        font = font_for(BODY)
        row_height = LINE_PITCH * 0.8
        self.c.setStrokeColor(black)
        self.c.setLineWidth(0.35 * mm)
        self.c.line(LEFT, bottom, LEFT + TEXT_WIDTH, bottom)
        printed = f"{chinese_date(self.doc.issued_on)}印发"
        y = bottom + (row_height - NOTE_SIZE) / 2 + 0.2 * NOTE_SIZE
        self.draw(LEFT + NOTE_SIZE, y, self.doc.printer, font, NOTE_SIZE, 0)
        width = self.width(printed, font, NOTE_SIZE, 0)
        self.draw(LEFT + TEXT_WIDTH - NOTE_SIZE - width, y, printed, font, NOTE_SIZE, 0)
        top = bottom + row_height
        if self.doc.cc:
            self.c.setLineWidth(0.25 * mm)
            self.c.line(LEFT, top, LEFT + TEXT_WIDTH, top)
            # 回行时与冒号后的首字对齐 (GB/T 9704 7.4.2)
            label = self.width("抄送：", font, NOTE_SIZE, 0)
            cc_lines = break_lines(
                f"抄送：{self.doc.cc}。",
                TEXT_WIDTH - 2 * NOTE_SIZE - label,
                lambda s: self.width(s, font, NOTE_SIZE, 0),
                -label,
            )
            for index in reversed(range(len(cc_lines))):
                text = cc_lines[index]
                self.draw(
                    LEFT + NOTE_SIZE + (label if index else 0),
                    top + (row_height - NOTE_SIZE) / 2 + 0.2 * NOTE_SIZE,
                    text,
                    font,
                    NOTE_SIZE,
                    0,
                )
                top += row_height
        self.c.setLineWidth(0.35 * mm)
        self.c.line(LEFT, top, LEFT + TEXT_WIDTH, top)


def balanced_lines(
    text: str, width: float, font: str, size: float, parts: Sequence[str] = ()
) -> list[str]:
    """The fewest lines, made about equally long: an official title is a trapezoid or a
    diamond, never a long line over a stray word. With ``parts`` (the title's words) lines
    break only between words; a word longer than a line is broken where it must be."""

    def measure(s: str) -> float:
        return sum(stringWidth(run, f, size) for run, f in font_runs(s, font))

    if parts and "".join(parts) == text:
        words: list[str] = []
        for part in (p for p in parts if p):
            words += break_lines(part, width, measure) if measure(part) > width else [part]
        return _balanced_words(words, [measure(w) for w in words], width)
    lines = break_lines(text, width, measure)
    if len(lines) < 2:
        return lines
    target = measure(text) / len(lines)
    step = size / 2
    narrower = target
    while narrower <= width:
        attempt = break_lines(text, narrower, measure)
        if len(attempt) == len(lines):
            return attempt
        narrower += step
    return lines


MAX_BALANCED_WORDS = 40


def _filled_words(words: list[str], widths: list[float], width: float) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for word, size in zip(words, widths, strict=True):
        if line and used + size > width + 0.01:
            lines.append(line)
            line, used = "", 0.0
        line, used = line + word, used + size
    return [*lines, line] if line else lines


def _balanced_words(words: list[str], widths: list[float], width: float) -> list[str]:
    """Words grouped into the fewest lines no wider than ``width``, the longest line as short
    as it can be; among equal groupings the one with the earliest breaks. A dynamic
    programme over where each line starts: trying every grouping took minutes for a title
    made long by a long name (issue 15 §2)."""
    from functools import cache

    count = len(words)
    if count > MAX_BALANCED_WORDS:  # not a title but a text: fill each line in turn
        return _filled_words(words, widths, width)

    def span(a: int, b: int) -> float:
        return sum(widths[a:b])

    @cache
    def longest(start: int, lines: int) -> float:
        """The shortest possible longest line for words[start:] in exactly ``lines`` lines."""
        if lines == 1:
            return span(start, count)
        return min(
            (
                max(span(start, cut), longest(cut, lines - 1))
                for cut in range(start + 1, count - lines + 2)
            ),
            default=float("inf"),
        )

    for lines in range(1, count + 1):
        best = longest(0, lines)
        if best > width + 0.01:
            continue
        result, start = [], 0
        for left in range(lines, 1, -1):
            cut = next(
                c
                for c in range(start + 1, count - left + 2)
                if max(span(start, c), longest(c, left - 1)) <= best
            )
            result.append("".join(words[start:cut]))
            start = cut
        result.append("".join(words[start:]))
        return result
    return words


def draw_document(canvas: Canvas, document: OfficialDocument, first_page: int = 0) -> list[Overlay]:
    """Draw one document from a fresh page; returns the charts still to be placed (page
    indexes counted from ``first_page``, the document's first page in the file)."""
    writer = _Writer(canvas, document)
    writer.head()
    writer.title()
    writer.body()
    writer.signature()
    number = 0
    for item in document.attachments:
        if not item.continues:
            number += 1
        writer.attachment(None if item.continues else number, item)
    writer.colophon()
    writer.finish_page()
    document_pages = writer.page - 1
    return [
        Overlay(first_page + o.page, o.figure_pdf, o.x, o.y, o.width, o.height)
        for o in writer.overlays
    ] + [Overlay(first_page + document_pages, b"", 0, 0, 0, 0)]  # marks the next start


def new_canvas(path: Path, title: str, subject: str = "") -> Canvas:
    from app.version_info import program_version

    canvas = Canvas(
        str(path),
        pagesize=A4,
        pageCompression=1,
        initialFontName=font_for(BODY),
        initialFontSize=16,
    )
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setCreator(f"考评 Kaoping {program_version()}")
    canvas.setAuthor("")
    return canvas


def document_texts(document: OfficialDocument) -> list[str]:
    texts = [
        document.issuer_mark,
        document.number,
        document.title,
        document.addressee,
        document.signature,
        document.cc,
        document.printer,
    ]
    for block in document.blocks:
        texts.append(block.text)
        if block.table is not None:
            texts += [cell for row in block.table.rows for cell in row]
    for item in document.attachments:
        texts.append(item.title)
        if isinstance(item, AttachmentTable):
            for table in (item, *(b.table for b in item.after if b.table is not None)):
                texts += [table.note, *table.header, *(cell for row in table.rows for cell in row)]
            texts += [b.text for b in item.after]
    return texts


def check_drawable(documents: Sequence[OfficialDocument]) -> None:
    """Refuse, before anything is drawn, a character no available face has: on paper it would
    be an empty box, and an official document may not lose a character of a name or reason."""
    lacking: set[str] = set()
    for document in documents:
        lacking |= missing_characters("".join(document_texts(document)), font_for(BODY))
    if lacking:
        shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in sorted(lacking))
        raise UserError(
            f"文书中有字体无法显示的字符：{shown}。请在 Windows 字体文件夹中安装包含这些字的"
            "字体，或修改相应的文字后重试；未生成文书。"
        )


def write_documents(path: Path, documents: Sequence[OfficialDocument], title: str) -> None:
    """Several documents in one PDF (a combined batch), each starting on its own page."""
    check_drawable(documents)
    canvas = new_canvas(path, title)
    overlays: list[Overlay] = []
    next_page = 0
    for document in documents:
        placed = draw_document(canvas, document, next_page)
        next_page = placed[-1].page
        overlays += placed[:-1]
    canvas.save()
    if overlays:
        place_charts(path, overlays)


def write_tables(
    path: Path, tables: Sequence[AttachmentTable], title: str, check_code: str = ""
) -> None:
    """Tables that go out on their own (e.g. a unit's score sheet), each from a new page under
    its title, on the same grid as a 公文's 附件: no 版头, 署名 or 版记; page numbers and the
    change log's check code as in the 通报."""
    document = OfficialDocument(
        FILE_LAYOUT, "", "", title, "", [], "", date.today(), list(tables), check_code=check_code
    )
    check_drawable([document])
    canvas = new_canvas(path, title)
    writer = _Writer(canvas, document)
    for index, table in enumerate(tables):
        if index:
            writer.finish_page()
        writer.attachment_page(None, table)
    writer.finish_page()
    canvas.save()


def place_charts(path: Path, overlays: Sequence[Overlay]) -> None:
    """Put each chart (a vector PDF page from matplotlib) into its box, scaled to fit."""
    import io

    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(path))
    for overlay in overlays:
        chart = PdfReader(io.BytesIO(overlay.figure_pdf)).pages[0]
        width, height = float(chart.mediabox.width), float(chart.mediabox.height)
        scale = min(overlay.width / width, overlay.height / height)
        x = overlay.x + (overlay.width - width * scale) / 2
        y = overlay.y + overlay.height - height * scale
        writer.pages[overlay.page].merge_transformed_page(
            chart, Transformation().scale(scale).translate(x, y)
        )
    writer.compress_identical_objects()
    with path.open("wb") as handle:
        writer.write(handle)
