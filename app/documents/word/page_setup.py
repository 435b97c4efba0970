"""The page of a .docx on the GB/T 9704 grid: A4, margins for the 156 × 225 mm 版心, Word's
document grid of 22 lines × 28 characters (linesAndChars), the default face and size, and the
footers: "— n —" at the outer side (odd pages right, even pages left, one character in), none
on a letter's first page, and under it the small note that this file is an editable copy."""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

from app.documents.fonts import BODY, SONG
from app.documents.official.grid import NOTE_SIZE
from app.documents.word.format import add_run, font_element, set_paragraph
from app.documents.word.measures import (
    BODY_HALF_POINTS,
    BOTTOM,
    CHAR_SPACE,
    LEFT,
    LINE_PITCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TOP,
    WINDOWS_FACES,
    mm_twips,
    twips,
)

NOTE_COLOR = "737373"
NOTE_HALF_POINTS = 14  # 7 pt, as the PDF prints the check code
# The footer, from the page's bottom edge up: the note's line, a gap, the page number's line,
# whose top is 7 mm below the 版心 (GB/T 9704 7.5).
FOOTER_DISTANCE = mm_twips(11)
NOTE_LINE, NUMBER_LINE = twips(9), twips(NOTE_SIZE)
# from the page's bottom edge: the characters' tops reach 2.7 pt above their exact line's
# (measured on the converted PDF), so the line starts that much lower
NUMBER_TOP = BOTTOM - mm_twips(7) - twips(2.7)
NOTE_GAP = NUMBER_TOP - NUMBER_LINE - NOTE_LINE - FOOTER_DISTANCE
LETTER_NOTE_GAP = mm_twips(20) - FOOTER_DISTANCE - NOTE_LINE
LETTER_HEADER_DISTANCE = mm_twips(
    30 + 2.5
)  # as the file format's 标志 (head.MARK_BEFORE)  # the 信函's 标志 30 mm from the page's top
EDITABLE_NOTE = "可编辑副本，以印发的 PDF 文件为准"


def prepare(document: WordDocument) -> None:
    """Defaults for every paragraph: 三号 仿宋 on the grid, no theme fonts (which Word would
    prefer to the names), odd and even pages with footers of their own."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_defaults.findall(qn("w:rFonts")):
        run_defaults.remove(old)
    run_defaults.insert(0, font_element(WINDOWS_FACES[BODY]))
    for tag in ("w:sz", "w:szCs"):
        element = run_defaults.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            run_defaults.append(element)
        element.set(qn("w:val"), str(BODY_HALF_POINTS))
    normal = document.styles["Normal"]
    # the size on the style itself: LibreOffice reads the grid's character pitch off it
    normal.font.size = Pt(BODY_HALF_POINTS / 2)
    normal.element.get_or_add_rPr().insert(0, font_element(WINDOWS_FACES[BODY]))
    set_paragraph_style_grid(normal.element)
    document.settings.odd_and_even_pages_header_footer = True
    properties = document.core_properties
    properties.author = ""
    properties.last_modified_by = "考评 Kaoping"


def set_paragraph_style_grid(style: object) -> None:
    """Normal: exact lines of the grid's pitch, justified, no space between paragraphs."""
    properties = style.get_or_add_pPr()  # type: ignore[attr-defined]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")
    properties.append(spacing)
    align = OxmlElement("w:jc")
    align.set(qn("w:val"), "both")
    properties.append(align)


def setup_section(section: Section, letter: bool, check_code: str) -> None:
    """One document's section: the page, the grid, numbering from 1, and its footers."""
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.gutter = Twips(0)
    section.header_distance = Twips(LETTER_HEADER_DISTANCE if letter else mm_twips(15))
    section.footer_distance = Twips(FOOTER_DISTANCE)
    properties = section._sectPr
    grid = properties.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        properties.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        grid.addprevious(numbering)
    numbering.set(qn("w:start"), "1")
    section.different_first_page_header_footer = letter
    for part in (
        section.header,
        section.even_page_header,
        section.first_page_header,
        section.footer,
        section.even_page_footer,
        section.first_page_footer,
    ):
        part.is_linked_to_previous = False
    for header in (section.header, section.even_page_header):
        # empty, and no higher than a point: a letter's header starts 32.5 mm down, and a
        # header reaching past the 版心's top would push the text down on every page
        set_paragraph(header.paragraphs[0], line=twips(1))
    _page_number(section.footer.paragraphs[0], odd=True)
    _note(section.footer.add_paragraph(), check_code)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    _note(section.even_page_footer.add_paragraph(), check_code)
    if letter:  # no number on a letter's first page: only the note
        first = section.first_page_footer.paragraphs[0]
        set_paragraph(first, line=NUMBER_LINE, snap=False)
        # the lower red rule (head.letter_head) on this line's foot, 20 mm above the page's
        _note(section.first_page_footer.add_paragraph(), check_code, LETTER_NOTE_GAP)


def _page_number(paragraph: Paragraph, odd: bool) -> None:
    """ "— n —" in 4号 宋体, one character in from the outer edge of the 版心."""
    one_char = twips(NOTE_SIZE)
    if odd:
        set_paragraph(paragraph, align="right", right=one_char, line=NUMBER_LINE, snap=False)
    else:
        set_paragraph(paragraph, align="left", left=one_char, line=NUMBER_LINE, snap=False)
    add_run(paragraph, "— ", SONG, NOTE_SIZE * 2)
    _field(paragraph, "PAGE", "1")
    add_run(paragraph, " —", SONG, NOTE_SIZE * 2)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, result, end."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", shown),
        ("end", None),
    ):
        run = add_run(paragraph, "", SONG, NOTE_SIZE * 2)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
            run._r.append(element)
        elif kind == "text":
            run.text = text or ""
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def _note(paragraph: Paragraph, check_code: str, gap: int = NOTE_GAP) -> None:
    """The check code the PDF prints, and that this copy is not the document of record."""
    set_paragraph(paragraph, align="left", line=NOTE_LINE, before=gap)
    code = f"变更记录校验码 {check_code[:12].upper()}　" if check_code else ""
    add_run(paragraph, f"{code}{EDITABLE_NOTE}", SONG, NOTE_HALF_POINTS, color=NOTE_COLOR)
