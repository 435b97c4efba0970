"""Word formatting the documents need and python-docx has no call for: East Asian font names
on every run (Word and WPS choose a CJK face from w:eastAsia, not from w:ascii), exact line
heights on the grid, indents in characters, paragraph borders (the red rules, the 版记's
rules) and paragraph frames placed on the page."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from app.documents.word.measures import BODY_HALF_POINTS, FIT_SPACING, LINE_PITCH, WINDOWS_FACES

_ORDER = ("w:rFonts", "w:b", "w:color", "w:spacing", "w:w", "w:sz", "w:szCs")


def child(parent: object, tag: str, order: tuple[str, ...] = ()) -> object:
    """``parent``'s child ``tag``, made when missing (in schema order among ``order``)."""
    found = parent.find(qn(tag))  # type: ignore[attr-defined]
    if found is not None:
        return found
    element = OxmlElement(tag)
    if tag in order:
        later = {qn(t) for t in order[order.index(tag) + 1 :]}
        for index, existing in enumerate(parent):  # type: ignore[attr-defined]
            if existing.tag in later:
                parent.insert(index, element)  # type: ignore[attr-defined]
                return element
    parent.append(element)  # type: ignore[attr-defined]
    return element


TABLE_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)


def font_element(face: str) -> object:
    """w:rFonts naming ``face`` for Latin, East Asian and complex script alike (no theme
    fonts, which would win over the names), hinted East Asian for the shared punctuation."""
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)
    fonts.set(qn("w:hint"), "eastAsia")
    return fonts


def add_run(
    paragraph: Paragraph,
    text: str,
    role: str,
    half_points: int = BODY_HALF_POINTS,
    *,
    color: str = "",
    scale: int = 100,
) -> Run:
    """A run of ``text`` in the role's Windows face at ``half_points``; ``scale`` narrows the
    characters (w:w, in per cent) as the 发文机关标志 is narrowed to fit the 版心."""
    run = paragraph.add_run(text)
    properties = run._r.get_or_add_rPr()
    properties.append(font_element(WINDOWS_FACES[role]))
    if color:
        child(properties, "w:color", _ORDER).set(qn("w:val"), color)
    if half_points == BODY_HALF_POINTS:
        # a hair narrower than the grid's cell, so an office suite that will not squeeze a
        # character into a cell narrower than it (LibreOffice) still puts 28 on a line
        child(properties, "w:spacing", _ORDER).set(qn("w:val"), str(FIT_SPACING))
    if scale != 100:
        child(properties, "w:w", _ORDER).set(qn("w:val"), str(scale))
    child(properties, "w:sz", _ORDER).set(qn("w:val"), str(half_points))
    child(properties, "w:szCs", _ORDER).set(qn("w:val"), str(half_points))
    return run


P_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
)


def set_paragraph(
    paragraph: Paragraph,
    *,
    align: str = "both",
    line: int | None = LINE_PITCH,
    before: int = 0,
    after: int = 0,
    first_chars: int = 0,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
    snap: bool = False,
    keep_next: bool = False,
    page_break_before: bool = False,
    outline: int | None = None,
) -> None:
    """Alignment, an exact line height (None: as high as its content, for pictures), space
    before and after and indents in twips, the first line ``first_chars`` characters in.

    Paragraphs keep off the character grid (``snap``) and set their characters 0.25 pt
    tight instead (add_run): the same 28 a line in Word, WPS and LibreOffice, which lays
    out a line mixing 汉字 and digits on the grid with gaps where Word has none."""
    properties = paragraph._p.get_or_add_pPr()
    if keep_next:
        child(properties, "w:keepNext", P_ORDER)
    if page_break_before:
        child(properties, "w:pageBreakBefore", P_ORDER)
    # every line of the 版心 filled, as on the PDF: no widow and orphan control
    child(properties, "w:widowControl", P_ORDER).set(qn("w:val"), "0")
    # no extra space between 汉字 and digits or Latin letters, as the PDF sets them
    child(properties, "w:autoSpaceDE", P_ORDER).set(qn("w:val"), "0")
    child(properties, "w:autoSpaceDN", P_ORDER).set(qn("w:val"), "0")
    if not snap:
        child(properties, "w:snapToGrid", P_ORDER).set(qn("w:val"), "0")
    spacing = child(properties, "w:spacing", P_ORDER)
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    if line is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact")
    if first_chars or left or right or hanging:
        indent = child(properties, "w:ind", P_ORDER)
        if left:
            indent.set(qn("w:left"), str(left))
        if right:
            indent.set(qn("w:right"), str(right))
        if hanging:
            indent.set(qn("w:hanging"), str(hanging))
        elif first_chars:
            from app.documents.word.measures import CELL

            indent.set(qn("w:firstLineChars"), str(first_chars * 100))
            indent.set(qn("w:firstLine"), str(first_chars * CELL))
    child(properties, "w:jc", P_ORDER).set(qn("w:val"), align)
    if outline is not None:
        child(properties, "w:outlineLvl", P_ORDER).set(qn("w:val"), str(outline))


def border(
    paragraph: Paragraph, side: str, style: str, eighths: int, space: int, color: str = "000000"
) -> None:
    """A rule on one side of the paragraph (``style`` e.g. single, thickThinMediumGap), as wide
    as the paragraph; ``space`` points between it and the text."""
    properties = paragraph._p.get_or_add_pPr()
    borders = child(properties, "w:pBdr", P_ORDER)
    rule = OxmlElement(f"w:{side}")
    rule.set(qn("w:val"), style)
    rule.set(qn("w:sz"), str(eighths))
    rule.set(qn("w:space"), str(space))
    rule.set(qn("w:color"), color)
    borders.append(rule)
