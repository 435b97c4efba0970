"""A .docx read back as the lines a reader sees, in the body's order (paragraphs, and each
table row as its cells joined by a tab): how the window shows a filled template without an
office suite."""

from __future__ import annotations

import io


def _text(element: object) -> str:
    """The text under ``element``, a line break (w:br, as docxtpl writes a Listing's lines)
    as a new line and a tab as a space."""
    from docx.oxml.ns import qn

    parts = []
    for node in element.iter(qn("w:t"), qn("w:br"), qn("w:tab")):  # type: ignore[attr-defined]
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        else:
            parts.append("\n" if node.tag == qn("w:br") else " ")
    return "".join(parts)


def docx_lines(data: bytes) -> list[str]:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.extend(_text(element).split("\n"))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = [_text(cell).replace("\n", " ") for cell in row.iter(qn("w:tc"))]
                lines.append("\t".join(cells))
    return lines
