"""The document writer: one official document drawn page by page in GB/T 9704's order: 版头,
title, 主送 and body, the 附件说明, 署名 and 成文日期 under the seal (never alone on a page),
each attachment from a new page, and the 版记. The order and the rules that tie the parts
together live here; each part is drawn by its own module (head, tables) on the page writer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import BODY, HEADING1, HEADING2, font_for
from app.documents.numbering import without_enumeration
from app.documents.official.grid import (
    BODY_SIZE,
    CHAR_SPACE,
    KEEP_WITH_SIGNATURE,
    LEFT,
    LINE_PITCH,
    LINES,
    PAGE_HEIGHT,
    SIGNATURE_LINES,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TOP,
    baseline,
    first_line_below,
)
from app.documents.official.head import draw_colophon, draw_head
from app.documents.official.model import (
    FILE_LAYOUT,
    Attachment,
    AttachmentTable,
    ChartAttachment,
    OfficialDocument,
    Overlay,
    chinese_date,
)
from app.documents.official.page import BodyLine, PageWriter
from app.documents.official.tables import draw_after_table, draw_table, draw_unit_radar


def draw_document(canvas: Canvas, document: OfficialDocument, first_page: int = 0) -> list[Overlay]:
    """Draw one document from a fresh page; returns the charts still to be placed (page
    indexes counted from ``first_page``, the document's first page in the file)."""
    writer = PageWriter(canvas, document)
    draw_head(writer)
    writer.title_line(document.title, document.title_parts)
    _draw_body(writer)
    _draw_signature(writer)
    number = 0
    for item in document.attachments:
        if not item.continues:
            number += 1
        _draw_attachment(writer, None if item.continues else number, item)
    draw_colophon(writer)
    writer.finish_page()
    document_pages = writer.page - 1
    return [
        Overlay(first_page + o.page, o.figure_pdf, o.x, o.y, o.width, o.height)
        for o in writer.overlays
    ] + [Overlay(first_page + document_pages, b"", 0, 0, 0, 0)]  # marks the next start


def draw_tables(
    canvas: Canvas,
    tables: Sequence[AttachmentTable],
    title: str,
    check_code: str = "",
    label: str = "",
    outline: Sequence[tuple[str, ...]] = (),
) -> list[int]:
    """Tables on their own (a bound volume of score sheets, or one unit's), each from a new
    page under its title, on the grid of a 公文's 附件: no 版头, 署名 or 版记; ``label`` (e.g.
    "附件2") over the first; page numbers and the check code as in the 通报. ``outline`` gives
    each table's bookmark path (e.g. category, unit). Returns the page each table starts on
    (from 1), then the page count."""
    document = OfficialDocument(
        FILE_LAYOUT, "", "", title, "", [], "", date.today(), list(tables), check_code=check_code
    )
    writer = PageWriter(canvas, document)
    starts: list[int] = []
    shown: list[str] = []  # the outline's headings over the last table
    for index, table in enumerate(tables):
        if index:
            writer.finish_page()
        starts.append(writer.page)
        if outline:
            _bookmark(canvas, f"table{index}", outline[index], shown)
        draw_attachment_page(writer, label if index == 0 else "", table)
    writer.finish_page()
    return [*starts, writer.page - 1]


def _bookmark(canvas: Canvas, key: str, path: tuple[str, ...], shown: list[str]) -> None:
    """This page in the PDF's outline under ``path``; headings already there are not repeated."""
    same = 0
    while same < min(len(path), len(shown)) and path[same] == shown[same]:
        same += 1
    for level in range(same, len(path)):
        # reportlab keeps one title per destination: each entry gets its own
        canvas.bookmarkPage(f"{key}.{level}")
        canvas.addOutlineEntry(path[level], f"{key}.{level}", level=level)
    shown[:] = path


def _draw_body(writer: PageWriter) -> None:
    writer.paragraph(f"{writer.doc.addressee}：", BODY, indent_chars=0)
    roles = {"h1": HEADING1, "h2": HEADING2, "h3": BODY, "para": BODY, "plain": BODY}
    blocks = writer.doc.blocks
    last_table = max((i for i, b in enumerate(blocks) if b.table is not None), default=-1)
    for index, block in enumerate(blocks[: last_table + 1]):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind in ("h1", "h2") and following is not None and following.table:
            writer.need(5)  # a heading stays with its table's first rows
        if block.table is not None:
            draw_table(writer, block.table)
            writer.line += 1
        else:
            writer.paragraph(block.text, roles[block.kind], indent_chars=2)
    # The text after the last table is laid out first, so that the signature can take
    # the last lines with it to a new page.
    cell = BODY_SIZE + CHAR_SPACE
    tail: list[BodyLine | None] = []
    for block in blocks[last_table + 1 :]:
        tail += writer.paragraph_lines(block.text, roles[block.kind], 2 * cell, 0)
    texts = [i for i, line in enumerate(tail) if line is not None]
    keep_from = texts[-KEEP_WITH_SIGNATURE] if len(texts) >= KEEP_WITH_SIGNATURE else 0
    names = writer.doc.attachment_names()
    if names:
        tail.append(None)  # 附件说明 one line below the body, names aligned after "1."
        body_font = font_for(BODY)
        if len(names) == 1:
            label = "附件："
            hang = 2 * cell + writer.width(label, body_font, BODY_SIZE, CHAR_SPACE)
            tail += writer.paragraph_lines(f"{label}{names[0]}", BODY, 2 * cell, hang)
        else:
            for number, name in enumerate(names, start=1):
                label = f"{number}."
                start = 2 * cell if number == 1 else 5 * cell
                prefix = "附件：" if number == 1 else ""
                hang = 5 * cell + writer.width(label, body_font, BODY_SIZE, CHAR_SPACE)
                shown = without_enumeration(name)  # "附件：1.一、…" never
                tail += writer.paragraph_lines(f"{prefix}{label}{shown}", BODY, start, hang)
    _place_before_signature(writer, tail, keep_from)


def _place_before_signature(
    writer: PageWriter, lines: list[BodyLine | None], keep_from: int
) -> None:
    """The body's last lines: if the signature would land on a page without any text,
    the lines from ``keep_from`` on (the last lines of the body and the 附件说明) move to
    the next page with it, as GB/T 9704 asks (署名 and date never stand alone)."""
    line = writer.line
    for item in lines:  # where place() would leave the last line
        if item is None:
            line += 1 if 0 < line < LINES else 0
            continue
        if line >= LINES:
            line = 0
        line += 1
    if line + SIGNATURE_LINES <= LINES:
        writer.place(lines)
        return
    writer.place(lines[:keep_from])
    if writer.line > 0:
        writer.finish_page()
    writer.place(lines[keep_from:])


def _draw_signature(writer: PageWriter) -> None:
    """署名 centred over the date, the date 右空四字, room for the seal above them."""
    writer.line += 2
    writer.need(2)
    cell = BODY_SIZE + CHAR_SPACE
    font = font_for(BODY)
    day = chinese_date(writer.doc.issued_on)
    day_width = writer.width(day, font, BODY_SIZE, CHAR_SPACE)
    day_x = LEFT + TEXT_WIDTH - 4 * cell - day_width
    name_width = writer.width(writer.doc.signature, font, BODY_SIZE, CHAR_SPACE)
    centre = day_x + day_width / 2
    name_x = min(centre - name_width / 2, LEFT + TEXT_WIDTH - name_width)
    name_y, day_y = baseline(writer.line), baseline(writer.line + 1)
    if writer.doc.seal_png:
        from reportlab.lib.utils import ImageReader

        size = 42 * mm  # a 4.2 cm seal over signature and date (GB/T 9704 7.3.5.1)
        writer.c.drawImage(
            ImageReader(io.BytesIO(writer.doc.seal_png)),
            centre - size / 2,
            # 署名 and date sit in the seal's lower middle (下压署名和成文日期)
            (name_y + day_y) / 2 + BODY_SIZE / 2 + size * 0.12 - size / 2,
            size,
            size,
            mask="auto",
        )
    writer.draw(name_x, name_y, writer.doc.signature, font, BODY_SIZE, CHAR_SPACE)
    writer.draw(day_x, day_y, day, font, BODY_SIZE, CHAR_SPACE)
    writer.line += 2


def _draw_attachment(writer: PageWriter, number: int | None, item: Attachment) -> None:
    """A new page: 附件N at the top left (not for a continuation), the title, the content."""
    writer.finish_page()
    draw_attachment_page(
        writer, "" if number is None else attachment_label(writer.doc, number), item
    )


def attachment_label(document: OfficialDocument, number: int) -> str:
    """ "附件" when the document has one attachment (bound with it or apart), else "附件N"."""
    return "附件" if len(document.attachment_names()) == 1 else f"附件{number}"


def draw_attachment_page(writer: PageWriter, label: str, item: Attachment) -> None:
    """An attachment from the current page's top: its label (if any), title and content."""
    if label:
        writer.draw(LEFT, baseline(0), label, font_for(HEADING1), BODY_SIZE, CHAR_SPACE)
        writer.line = 2
    writer.title_line(item.title, item.title_parts if isinstance(item, AttachmentTable) else ())
    if isinstance(item, ChartAttachment):
        top = PAGE_HEIGHT - TOP - writer.line * LINE_PITCH
        bottom = PAGE_HEIGHT - TOP - TEXT_HEIGHT
        writer.overlays.append(
            Overlay(writer.page - 1, item.figure_pdf, LEFT, bottom, TEXT_WIDTH, top - bottom)
        )
        fits = 0 < item.height <= top - bottom  # what is left below may take the 版记
        writer.line = first_line_below(top - item.height) if fits else LINES
        return
    if item.note:
        writer.paragraph(item.note, BODY, indent_chars=0)
    if item.radar is not None:
        draw_unit_radar(writer, item.radar)
    draw_table(writer, item)
    draw_after_table(writer, item.after)
