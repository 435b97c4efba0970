"""The 版头 and the 版记 in Word: the red 发文机关标志 (narrowed to fit, as in the PDF), the
发文字号 and the red rule of the 文件 format as paragraphs at the top of the body; the 信函's
标志 and its red double rules in the first page's header and footer (they sit outside the
版心, where only a header reaches); the 版记 as a ruled table held at the 版心's bottom."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section

from app.documents.fonts import BODY, TITLE, font_for
from app.documents.official.grid import NOTE_SIZE
from app.documents.official.lines import text_width
from app.documents.official.model import OfficialDocument, chinese_date
from app.documents.textfit import break_lines
from app.documents.word.format import P_ORDER, add_run, border, child, set_paragraph
from app.documents.word.measures import (
    BOTTOM,
    LEFT,
    LINE_PITCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RED,
    RIGHT,
    TEXT_WIDTH,
    mm_twips,
    twips,
)

MARK_SIZE = 36  # 小初, as the PDF draws it
MARK_LINE = twips(MARK_SIZE)
COLOPHON_LINE = round(LINE_PITCH * 0.8)  # a 版记 line, as the PDF spaces them
# the 标志's top 35 mm below the 版心's: its exact line starts higher by what the face leaves
# above the characters (measured on the converted PDF)
MARK_BEFORE = mm_twips(35 + 2.5)
COLOPHON_WIDTH = TEXT_WIDTH - 2
LETTER_RULE = mm_twips(170)  # the 信函's rules, centred on the page


def mark_scale(mark: str) -> int:
    """The 标志 narrowed (in per cent) so that it fits the 版心 on one line, as in the PDF."""
    natural = text_width(mark, font_for(TITLE), MARK_SIZE, 0)
    width = TEXT_WIDTH / 20
    return 100 if natural <= width else max(1, int(width / natural * 100))


def file_head(document: WordDocument, doc: OfficialDocument) -> None:
    """标志 with its top 35 mm below the 版心's top, 文号 two lines under it, the red rule
    4 mm under the 文号, as wide as the 版心."""
    mark = document.add_paragraph()
    # an exact line as high as the mark, its top 35 mm down: the text sits at the line's foot
    set_paragraph(mark, align="center", line=MARK_LINE, before=MARK_BEFORE, snap=False)
    add_run(
        mark, doc.issuer_mark, TITLE, MARK_SIZE * 2, color=RED, scale=mark_scale(doc.issuer_mark)
    )
    document.add_paragraph()  # the blank line between 标志 and 文号
    number = document.add_paragraph()
    set_paragraph(number, align="center", snap=False)
    if doc.number:
        add_run(number, doc.number, BODY)
    border(number, "bottom", "single", 8, 7, RED)  # 4 mm below the 文号's foot
    document.add_paragraph()  # the title two lines below the rule


def letter_head(section: Section, doc: OfficialDocument) -> None:
    """标志 30 mm from the page's top, a double red rule (thick over thin) 4 mm under it and one
    (thin over thick) 20 mm above the page's bottom, both 170 mm long: on the first page only."""
    outside = (PAGE_WIDTH - LETTER_RULE) // 2
    mark = section.first_page_header.paragraphs[0]
    # negative indents: the rules reach past the 版心 to 170 mm
    set_paragraph(mark, align="center", line=MARK_LINE, left=outside - LEFT, right=outside - RIGHT)
    add_run(
        mark, doc.issuer_mark, TITLE, MARK_SIZE * 2, color=RED, scale=mark_scale(doc.issuer_mark)
    )
    border(mark, "bottom", "thickThinMediumGap", 24, 3, RED)
    # the first page's footer has an empty line where other pages have their number: its
    # lower edge, and the rule on it, 20 mm above the page's (page_setup.LETTER_NOTE_GAP)
    room = section.first_page_footer.paragraphs[0]
    set_paragraph(room, line=twips(NOTE_SIZE), left=outside - LEFT, right=outside - RIGHT)
    # the line named first lies next to the text: thick over thin on the upper rule, thin
    # over thick on the lower
    border(room, "bottom", "thinThickMediumGap", 24, 0, RED)


def letter_number(document: WordDocument, doc: OfficialDocument) -> None:
    """The 发文字号 under the double rule, its last character on the 版心's right edge."""
    number = document.add_paragraph()
    set_paragraph(number, align="right", snap=False)
    add_run(number, doc.number, BODY)
    document.add_paragraph()


def colophon(document: WordDocument, doc: OfficialDocument) -> None:
    """版记: 抄送 and 印发机关/日期 in 4号 仿宋 between rules as wide as the 版心 (first and last
    0.35 mm, between them 0.25 mm), in a table floating on the foot of the last page's 版心."""
    if not doc.printer:
        return
    before = document.add_paragraph()  # never a table straight after a table
    set_paragraph(before, line=twips(1))
    side = twips(NOTE_SIZE)  # one character in from either edge
    rows = [f"抄送：{doc.cc}。"] if doc.cc else []
    rows.append(f"{doc.printer}\t{chinese_date(doc.issued_on)}印发")
    table = document.add_table(rows=len(rows), cols=1)
    lines = _cc_lines(doc.cc) + 1 if doc.cc else 1
    _float_at_foot(table._tbl, lines * COLOPHON_LINE)
    for row, text in zip(table.rows, rows, strict=True):
        paragraph = row.cells[0].paragraphs[0]
        if text.startswith("抄送"):
            label = side * 3  # 回行时与冒号后的首字对齐
            set_paragraph(
                paragraph,
                align="left",
                left=side + label,
                hanging=label,
                right=side,
                line=COLOPHON_LINE,
            )
        else:
            set_paragraph(paragraph, align="left", left=side, right=side, line=COLOPHON_LINE)
            _right_tab(paragraph, TEXT_WIDTH - side)
        add_run(paragraph, text, BODY, NOTE_SIZE * 2)
    after = document.add_paragraph()  # a floating table is anchored to the paragraph after it
    set_paragraph(after, line=twips(1))


def _cc_lines(cc: str) -> int:
    """How many lines 抄送 takes, broken as the PDF breaks it."""
    font = font_for(BODY)
    label = text_width("抄送：", font, NOTE_SIZE, 0)
    return len(
        break_lines(
            f"抄送：{cc}。",
            TEXT_WIDTH / 20 - 2 * NOTE_SIZE - label,
            lambda s: text_width(s, font, NOTE_SIZE, 0),
            -label,
        )
    )


def _float_at_foot(table: object, height: int) -> None:
    """The table's properties, in schema order: floating with its foot on the 版心's (placed
    from the page's top, which every office suite reads alike), as wide as the 版心, rules
    above, between and below only."""
    properties = table.tblPr  # type: ignore[attr-defined]
    for old in list(properties):
        properties.remove(old)
    placed = OxmlElement("w:tblpPr")
    for name, value in (
        ("w:leftFromText", "0"),
        ("w:rightFromText", "0"),
        ("w:topFromText", "0"),
        ("w:bottomFromText", "0"),
        ("w:horzAnchor", "margin"),
        ("w:vertAnchor", "page"),
        ("w:tblpXSpec", "center"),
        ("w:tblpY", str(PAGE_HEIGHT - BOTTOM - height)),
    ):
        placed.set(qn(name), value)
    properties.append(placed)
    width = OxmlElement("w:tblW")
    # a hair narrower than the 版心: LibreOffice floats only a table narrower than the text
    width.set(qn("w:w"), str(COLOPHON_WIDTH))
    width.set(qn("w:type"), "dxa")
    properties.append(width)
    borders = OxmlElement("w:tblBorders")
    for side, eighths in (
        ("top", 8),
        ("left", 0),
        ("bottom", 8),
        ("right", 0),
        ("insideH", 6),
        ("insideV", 0),
    ):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single" if eighths else "nil")
        if eighths:
            element.set(qn("w:sz"), str(eighths))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)
    for column in table.tblGrid.findall(qn("w:gridCol")):  # type: ignore[attr-defined]
        column.set(qn("w:w"), str(COLOPHON_WIDTH))


def _right_tab(paragraph: object, position: int) -> None:
    properties = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    tabs = child(properties, "w:tabs", P_ORDER)
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(position))
    tabs.append(tab)
