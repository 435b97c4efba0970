"""Official documents (公文) drawn to GB/T 9704-2012: the 文件/通知 format and the 信函 format.

Everything is placed on the standard's grid: 版心 156 × 225 mm at 37 mm from the top and 28 mm
from the left, 22 lines of 28 characters of 3号 (16 pt) 仿宋. The document arrives as plain data
(OfficialDocument); the services decide the wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import BODY, HEADING1, HEADING2, SONG, TITLE, font_for, font_runs
from app.documents.textfit import break_lines

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
    seal_image: Path | None = None


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def baseline(line: int) -> float:
    """The baseline of grid line ``line`` (0 = first line of the 版心), in reportlab's y-up."""
    top_of_line = PAGE_HEIGHT - TOP - line * LINE_PITCH
    return top_of_line - LINE_PITCH + (LINE_PITCH - BODY_SIZE) / 2 + 0.2 * BODY_SIZE


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
        return sum(stringWidth(run, f, size) for run, f in font_runs(text, font)) + space * len(
            text
        )

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
            self.c.drawString(LEFT, 12 * mm, f"变更记录校验码 {self.doc.check_code[:12]}")
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
        self.draw(right - width - BODY_SIZE, number_y, self.doc.number, font, BODY_SIZE, 0)
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
        self.title_line(self.doc.title)

    def paragraph(
        self, text: str, role: str, indent_chars: int = 2, align_right_chars: int = -1
    ) -> None:
        font = font_for(role)
        cell = BODY_SIZE + CHAR_SPACE
        lines = break_lines(
            text,
            TEXT_WIDTH,
            lambda s: self.width(s, font, BODY_SIZE, CHAR_SPACE),
            indent_chars * cell,
        )
        for index, line_text in enumerate(lines):
            self.need(1)
            x = LEFT + (indent_chars * cell if index == 0 else 0)
            if align_right_chars >= 0:
                width = self.width(line_text, font, BODY_SIZE, CHAR_SPACE)
                x = LEFT + TEXT_WIDTH - align_right_chars * cell - width
            self.draw(x, baseline(self.line), line_text, font, BODY_SIZE, CHAR_SPACE)
            self.line += 1

    def body(self) -> None:
        self.paragraph(f"{self.doc.addressee}：", BODY, indent_chars=0)
        roles = {"h1": HEADING1, "h2": HEADING2, "h3": BODY, "para": BODY, "plain": BODY}
        for index, block in enumerate(self.doc.blocks):
            following = self.doc.blocks[index + 1] if index + 1 < len(self.doc.blocks) else None
            if block.kind in ("h1", "h2") and following is not None and following.table:
                self.need(5)  # a heading stays with its table's first rows
            if block.table is not None:
                self.table(block.table)
                self.line += 1
            else:
                self.paragraph(block.text, roles[block.kind], indent_chars=2)
        if self.doc.attachments:
            self.line += 1
            names = [a.title for a in self.doc.attachments if not a.continues]
            if len(names) == 1:
                self.paragraph(f"附件：{names[0]}", BODY)
            else:
                self.paragraph(f"附件：1.{names[0]}", BODY)
                for number, name in enumerate(names[1:], start=2):
                    self.paragraph(f"{number}.{name}", BODY, indent_chars=5)

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
        if self.doc.seal_image is not None and self.doc.seal_image.is_file():
            size = 42 * mm  # a 4.2 cm seal over signature and date
            self.c.drawImage(
                str(self.doc.seal_image),
                centre - size / 2,
                day_y - size / 2 + BODY_SIZE / 2,
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
        if number is not None:
            labelled = sum(1 for a in self.doc.attachments if not a.continues)
            label = "附件" if labelled == 1 else f"附件{number}"
            self.draw(LEFT, baseline(0), label, font_for(HEADING1), BODY_SIZE, CHAR_SPACE)
            self.line = 2
        self.title_line(item.title)
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
        self.table(item)

    def table(self, table: AttachmentTable) -> None:
        """A ruled table from the current line, drawn row by row and continued on the next
        page under a repeated header. Drawn directly (not with platypus): a batch of notices
        spends most of its time here, and each character still gets a face that has it."""
        size, leading, pad = TABLE_SIZE, TABLE_LEADING, TABLE_PADDING
        widths = [w * mm for w in table.widths_mm]
        body, head = font_for(BODY), font_for(HEADING1)

        def lines_of(text: str, font: str, width: float) -> list[str]:
            return break_lines(text, width - 2 * pad, lambda s: self.width(s, font, size, 0))

        def layout(cells: Sequence[str], font: str) -> tuple[list[list[str]], float]:
            wrapped = [lines_of(c, font, w) for c, w in zip(cells, widths, strict=False)]
            height = max(len(w) for w in wrapped) * leading + 2 * pad
            return wrapped, height

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

    def title_line(self, text: str) -> None:
        """A centred 2号小标宋 title; several lines are balanced (no lone last character)."""
        font = font_for(TITLE)
        for piece in balanced_lines(text, TEXT_WIDTH - 2 * TITLE_SIZE, font, TITLE_SIZE):
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
            cc_lines = break_lines(
                f"抄送：{self.doc.cc}。",
                TEXT_WIDTH - 2 * NOTE_SIZE,
                lambda s: self.width(s, font, NOTE_SIZE, 0),
            )
            for text in reversed(cc_lines):
                self.draw(
                    LEFT + NOTE_SIZE,
                    top + (row_height - NOTE_SIZE) / 2 + 0.2 * NOTE_SIZE,
                    text,
                    font,
                    NOTE_SIZE,
                    0,
                )
                top += row_height
        self.c.setLineWidth(0.35 * mm)
        self.c.line(LEFT, top, LEFT + TEXT_WIDTH, top)


def balanced_lines(text: str, width: float, font: str, size: float) -> list[str]:
    """The fewest lines, made about equally long: an official title is a trapezoid or a
    diamond, never a long line over a stray word."""

    def measure(s: str) -> float:
        return sum(stringWidth(run, f, size) for run, f in font_runs(s, font))

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


def write_documents(path: Path, documents: Sequence[OfficialDocument], title: str) -> None:
    """Several documents in one PDF (a combined batch), each starting on its own page."""
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
