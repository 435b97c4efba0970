"""The page writer: a canvas with a cursor on the GB/T 9704 grid (page, line) and what every
part of a document draws with: text in the faces that have its characters, paragraphs broken
and placed line by line, centred titles, a new page when one is full, and on each finished page
its number (— 1 —) and the change log's check code. The parts (版头, body, tables, 版记) are
drawn by the modules named for them; this one keeps only the shared cursor and primitives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import SONG, TITLE, font_for, font_runs
from app.documents.official.grid import (
    BODY_SIZE,
    CHAR_SPACE,
    LEFT,
    LINES,
    NOTE_SIZE,
    PAGE_HEIGHT,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TITLE_SIZE,
    TOP,
    baseline,
)
from app.documents.official.lines import balanced_lines, text_width
from app.documents.official.model import LETTER_LAYOUT, OfficialDocument, Overlay
from app.documents.textfit import break_lines


@dataclass(frozen=True)
class BodyLine:
    """One body line, broken and positioned but not yet drawn."""

    text: str
    font: str
    x: float


class PageWriter:
    """Draws onto a canvas for one document, keeping the grid line and the page count."""

    def __init__(self, canvas: Canvas, document: OfficialDocument) -> None:
        self.c = canvas
        self.doc = document
        self.page = 1
        self.line = 0
        self.overlays: list[Overlay] = []
        # laid out only, to count the pages (dry_run): text is placed but not drawn
        self.dry = bool(getattr(canvas, "dry", False))

    # -- text primitives ----------------------------------------------------------------
    def width(self, text: str, font: str, size: float, space: float) -> float:
        return text_width(text, font, size, space)

    def draw(self, x: float, y: float, text: str, font: str, size: float, space: float) -> None:
        if self.dry:
            return
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
                self.place([BodyLine(line.text, line.font, x)])
            return
        self.place(self.paragraph_lines(text, role, indent_chars * cell, 0))

    def paragraph_lines(self, text: str, role: str, first: float, rest: float) -> list[BodyLine]:
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
            BodyLine(line, font, LEFT + (first if index == 0 else rest))
            for index, line in enumerate(lines)
        ]

    def place(self, lines: Sequence[BodyLine | None]) -> None:
        """Draw lines on the grid, a new page when one is full; None is a blank line."""
        for line in lines:
            if line is None:
                if 0 < self.line < LINES:  # no blank line at the top of a page
                    self.line += 1
                continue
            self.need(1)
            self.draw(line.x, baseline(self.line), line.text, line.font, BODY_SIZE, CHAR_SPACE)
            self.line += 1

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
