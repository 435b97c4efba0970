"""Ruled tables in Word: an attachment's table (score details, a ranking, a calculation) with
its header repeated on every page, 小四 仿宋 in the cells and 黑体 in the header, columns as wide
as the PDF's. Written as one piece of XML per table: a batch of 80 notices makes thousands of
cells, and python-docx's cell by cell calls would take most of the time."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.document import Document as WordDocument
from docx.oxml import parse_xml

from app.documents.fonts import BODY, HEADING1
from app.documents.official.grid import TABLE_LEADING, TABLE_PADDING, TABLE_SIZE
from app.documents.word.measures import WINDOWS_FACES, mm_twips, twips

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _run(text: str, role: str, size: int) -> str:
    face = escape(WINDOWS_FACES[role], {'"': "&quot;"})
    fonts = (
        f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}" '
        'w:hint="eastAsia"/>'
    )
    lines = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    sizes = f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
    return f"<w:r><w:rPr>{fonts}{sizes}</w:rPr>{body}</w:r>"


def _cell(text: str, width: int, role: str, align: str) -> str:
    line = twips(TABLE_LEADING)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
        f'w:line="{line}" w:lineRule="exact"/><w:jc w:val="{align}"/></w:pPr>'
        f"{_run(text, role, TABLE_SIZE) if text else ''}</w:p></w:tc>"
    )


def table_xml(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]
) -> str:
    """The table's XML: fixed column widths, 0.5 pt rules, the header row repeated."""
    widths = [mm_twips(w) for w in widths_mm]
    pad = twips(TABLE_PADDING)
    rules = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl {_NS}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{rules}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="{pad}" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
        *(_cell(t, w, HEADING1, "center") for t, w in zip(header, widths, strict=False)),
        "</w:tr>",
    ]
    for row in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts += [_cell(t, w, BODY, "left") for t, w in zip(row, widths, strict=False)]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def add_table(
    document: WordDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
) -> None:
    """The table at the end of the document's body (before its section properties)."""
    body = document.element.body
    body.sectPr.addprevious(parse_xml(table_xml(header, rows, widths_mm)))  # type: ignore[union-attr]
