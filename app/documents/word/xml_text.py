"""Paragraphs and runs as WordprocessingML text, parsed once per run of paragraphs: a batch of
80 notices makes some 6,000 paragraphs, and python-docx's element by element calls took most
of its time. The same properties as format.set_paragraph and format.add_run write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document as WordDocument
from docx.oxml import parse_xml

from app.documents.word.measures import (
    BODY_HALF_POINTS,
    CELL,
    FIT_SPACING,
    LINE_PITCH,
    WINDOWS_FACES,
)

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run_xml(text: str, role: str, half_points: int = BODY_HALF_POINTS) -> str:
    """A run in the role's Windows face (Latin, East Asian and complex script alike)."""
    face = escape(WINDOWS_FACES[role], {'"': "&quot;"})
    spacing = f'<w:spacing w:val="{FIT_SPACING}"/>' if half_points == BODY_HALF_POINTS else ""
    return (
        f'<w:r><w:rPr><w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" '
        f'w:cs="{face}" w:hint="eastAsia"/>{spacing}<w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


@dataclass(frozen=True)
class Line:
    """One paragraph of body text and how it sits: aligned, indented, kept with the next."""

    text: str
    role: str
    align: str = "both"
    first_chars: int = 0
    left: int = 0
    right: int = 0
    hanging: int = 0
    keep_next: bool = False
    outline: int | None = None
    page_break_before: bool = False

    def xml(self) -> str:
        properties = []
        if self.keep_next:
            properties.append("<w:keepNext/>")
        if self.page_break_before:
            properties.append("<w:pageBreakBefore/>")
        properties.append(
            '<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
            '<w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
        )
        indent = ""
        if self.left:
            indent += f' w:left="{self.left}"'
        if self.right:
            indent += f' w:right="{self.right}"'
        if self.hanging:
            indent += f' w:hanging="{self.hanging}"'
        elif self.first_chars:
            first = self.first_chars
            indent += f' w:firstLineChars="{first * 100}" w:firstLine="{first * CELL}"'
        if indent:
            properties.append(f"<w:ind{indent}/>")
        properties.append(f'<w:jc w:val="{self.align}"/>')
        if self.outline is not None:
            properties.append(f'<w:outlineLvl w:val="{self.outline}"/>')
        runs = run_xml(self.text, self.role) if self.text else ""
        return f"<w:p><w:pPr>{''.join(properties)}</w:pPr>{runs}</w:p>"


def add_lines(document: WordDocument, lines: Sequence[Line]) -> None:
    """The paragraphs at the end of the document's body, parsed in one piece."""
    if not lines:
        return
    wrapper = parse_xml(f"<w:body {NS}>{''.join(line.xml() for line in lines)}</w:body>")
    end = document.element.body.sectPr
    for paragraph in list(wrapper):
        end.addprevious(paragraph)  # type: ignore[union-attr]
