"""One official document into a .docx section, in GB/T 9704's order as the PDF writer
draws it (official.writer): 版头, title, 主送 and body, 附件说明, 署名 and 成文日期, each
attachment from a new page, 版记. Word breaks the lines and the pages itself; what the
PDF decides by measuring (a title's balanced lines, the signature kept with the body's last
lines) is said here in Word's terms (line breaks in the title, "keep with next")."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.shared import Emu
from docx.text.paragraph import Paragraph

from app.documents.fonts import BODY, HEADING1, HEADING2, TITLE, font_for
from app.documents.numbering import without_enumeration
from app.documents.official.grid import BODY_SIZE, LINES, TITLE_SIZE
from app.documents.official.grid import CHAR_SPACE as PDF_CHAR_SPACE
from app.documents.official.grid import LINE_PITCH as PDF_LINE_PITCH
from app.documents.official.grid import TEXT_WIDTH as PDF_TEXT_WIDTH
from app.documents.official.lines import balanced_lines, text_width
from app.documents.official.model import (
    LETTER_LAYOUT,
    Attachment,
    AttachmentTable,
    Block,
    ChartAttachment,
    OfficialDocument,
    chinese_date,
)
from app.documents.official.writer import attachment_label
from app.documents.word.format import add_run, set_paragraph
from app.documents.word.head import colophon, file_head, letter_head, letter_number
from app.documents.word.images import pdf_page_png, radar_png
from app.documents.word.measures import CELL, PT, TEXT_WIDTH
from app.documents.word.page_setup import setup_section
from app.documents.word.tables import add_table
from app.documents.word.xml_text import Line, add_lines

ROLES = {"h1": HEADING1, "h2": HEADING2, "h3": BODY, "para": BODY, "plain": BODY}
OUTLINE = {"h1": 0, "h2": 1}
EMU_PER_POINT = 12700


def add_document(document: WordDocument, doc: OfficialDocument, first: bool) -> None:
    """``doc`` as a section of its own (numbered from 1), after any already in ``document``."""
    section = document.sections[0] if first else document.add_section(WD_SECTION.NEW_PAGE)
    letter = doc.layout == LETTER_LAYOUT
    setup_section(section, letter, doc.check_code)
    if letter:
        letter_head(section, doc)
        letter_number(document, doc)
    else:
        file_head(document, doc)
    title(document, doc.title, doc.title_parts)
    add_lines(document, [Line(f"{doc.addressee}：", BODY, "left")])
    tail = _body(document, doc.blocks) + _attachment_names(doc)
    # the body's last lines go with the signature to a new page, never the signature alone
    tail[-3:] = [replace(line, keep_next=True) for line in tail[-3:]]
    add_lines(document, tail + _signature(doc))
    number = 0
    for item in doc.attachments:
        if not item.continues:
            number += 1
        label = "" if item.continues else attachment_label(doc, number)
        add_attachment(document, label, item)
    colophon(document, doc)


def blank(document: WordDocument, keep_next: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    if keep_next:
        set_paragraph(paragraph, keep_next=True)
    return paragraph


def title(
    document: WordDocument,
    text: str,
    parts: Sequence[str] = (),
    *,
    page_break: bool = False,
    outline: int | None = None,
) -> int:
    """The 2号 小标宋 title, centred, broken where the PDF breaks it (balanced lines, never a
    word split), then a blank line; returns the grid lines it took. With an ``outline``
    level it is listed in Word's and WPS's navigation pane, as the PDF's bookmarks list it."""
    lines = balanced_lines(
        text, PDF_TEXT_WIDTH - 2 * TITLE_SIZE, font_for(TITLE), TITLE_SIZE, parts
    )
    paragraph = document.add_paragraph()
    # off the character grid: a 22 pt character would take two of its 16 pt cells
    set_paragraph(
        paragraph,
        align="center",
        keep_next=True,
        page_break_before=page_break,
        snap=False,
        outline=outline,
    )
    for index, line in enumerate(lines):
        run = add_run(paragraph, line, TITLE, TITLE_SIZE * 2)
        if index < len(lines) - 1:
            run.add_break()
    blank(document, keep_next=True)
    return len(lines) + 1


def _body(document: WordDocument, blocks: Sequence[Block]) -> list[Line]:
    """The body's blocks: headings and paragraphs two characters in, ruled tables. The lines
    after the last table come back unwritten: the signature keeps the last ones with it."""
    pending: list[Line] = []
    for index, block in enumerate(blocks):
        if block.table is not None:
            add_lines(document, pending)
            pending = []
            table = block.table
            add_table(document, table.header, table.rows, table.widths_mm)
            pending.append(Line("", BODY))  # a line's space under the table
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        heading_over_table = block.kind in OUTLINE and following is not None and following.table
        pending.append(
            Line(
                block.text,
                ROLES.get(block.kind, BODY),
                first_chars=2,
                keep_next=bool(heading_over_table),
                outline=OUTLINE.get(block.kind),
            )
        )
    return pending


def _width(text: str) -> int:
    """The width of body text on the grid, in twips, as the PDF measures it."""
    return round(text_width(text, font_for(BODY), BODY_SIZE, PDF_CHAR_SPACE) * PT)


def _attachment_names(doc: OfficialDocument) -> list[Line]:
    """附件说明 one line below the body, two characters in, names aligned after "1."."""
    names = doc.attachment_names()
    if not names:
        return []
    if len(names) == 1:
        label = "附件："
        hang = 2 * CELL + _width(label)
        return [
            Line("", BODY),
            Line(f"{label}{names[0]}", BODY, "left", left=hang, hanging=hang - 2 * CELL),
        ]
    lines = [Line("", BODY)]
    for number, name in enumerate(names, start=1):
        label = f"{number}."
        start = 2 * CELL if number == 1 else 5 * CELL
        prefix = "附件：" if number == 1 else ""
        hang = 5 * CELL + _width(label)
        text = f"{prefix}{label}{without_enumeration(name)}"
        lines.append(Line(text, BODY, "left", left=hang, hanging=hang - start))
    return lines


def _signature(doc: OfficialDocument) -> list[Line]:
    """Two lines of room for the seal, 署名 centred over the date, the date 右空四字. The
    seal image is left out: an editable copy carries none (the seal goes on the issued file)."""
    day = chinese_date(doc.issued_on)
    day_width, name_width = _width(day), _width(doc.signature)
    name_right = max(0, 4 * CELL + (day_width - name_width) // 2)
    return [
        Line("", BODY, keep_next=True),
        Line("", BODY, keep_next=True),
        Line(doc.signature, BODY, "right", right=name_right, keep_next=True),
        Line(day, BODY, "right", right=4 * CELL),
    ]


def add_attachment(document: WordDocument, label: str, item: Attachment) -> None:
    """From a new page: 附件N at the top left (not for a continuation), the title, then the
    table (its note, radar and what goes under it) or the chart."""
    used = 0
    if label:
        paragraph = document.add_paragraph()
        set_paragraph(paragraph, align="left", page_break_before=True, keep_next=True)
        add_run(paragraph, label, HEADING1)
        blank(document, keep_next=True)
        used = 2
    parts = item.title_parts if isinstance(item, AttachmentTable) else ()
    used += title(document, item.title, parts, page_break=not label, outline=0)
    if isinstance(item, ChartAttachment):
        room = (LINES - used) * PDF_LINE_PITCH
        box_height = min(item.height, room) if item.height else room
        _picture(document, item.figure_pdf, box_height)
        return
    if item.note:
        add_lines(document, [Line(item.note, BODY, "left")])
    if item.radar is not None:
        png, width, height = radar_png(item.radar)
        _place_png(document, png, width, height, keep_next=True)
    add_table(document, item.header, item.rows, item.widths_mm)
    for block in item.after:
        if block.table is not None:
            blank(document)
            add_table(document, block.table.header, block.table.rows, block.table.widths_mm)
        else:
            add_lines(document, [Line(block.text, BODY, first_chars=2)])


def _picture(document: WordDocument, figure_pdf: bytes, box_height: float) -> None:
    """A chart rendered at print resolution, scaled to fit the 版心's width and ``box_height``
    points, as the PDF scales its vector figure."""
    png, width, height = pdf_page_png(figure_pdf)
    scale = min(TEXT_WIDTH / PT / width, box_height / height)
    _place_png(document, png, width * scale, height * scale)


def _place_png(
    document: WordDocument, png: bytes, width: float, height: float, keep_next: bool = False
) -> None:
    paragraph = document.add_paragraph()
    set_paragraph(paragraph, align="center", line=None, snap=False, keep_next=keep_next)
    paragraph.add_run().add_picture(
        io.BytesIO(png),
        width=Emu(round(width * EMU_PER_POINT)),
        height=Emu(round(height * EMU_PER_POINT)),
    )
