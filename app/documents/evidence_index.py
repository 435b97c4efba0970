"""A unit's 佐证材料目录 as a PDF for the inspection team: per indicator each file with its size,
SHA-256, who submitted it and when, and the review's status; the fonts are the documents' own
(embedded), long names and hashes wrap inside their cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.documents.fonts import BODY, HEADING1, font_for
from app.io.atomic import write_atomically

HEADER = ("指标", "文件", "大小", "SHA-256", "提交", "状态")


@dataclass(frozen=True)
class IndexLine:
    code: str
    leaf: str
    name: str
    size: str
    sha256: str
    submitted: str  # who and when
    status: str


def write_evidence_index_pdf(
    path: Path, title: str, subtitle: str, lines: Sequence[IndexLine], check_code: str = ""
) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body, heading = font_for(BODY), font_for(HEADING1)
    cell = ParagraphStyle("cell", fontName=body, fontSize=9, leading=11, wordWrap="CJK")
    small = ParagraphStyle("hash", parent=cell, fontSize=7, leading=9, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontName=heading)
    title_style = ParagraphStyle("title", fontName=heading, fontSize=16, leading=22, alignment=1)
    note_style = ParagraphStyle("note", parent=cell, alignment=1)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(safe, style)

    rows = [[p(h, head) for h in HEADER]]
    for line in lines:
        rows.append(
            [
                p(f"{line.code} {line.leaf}"),
                p(line.name),
                p(line.size),
                p(line.sha256, small),
                p(line.submitted),
                p(line.status),
            ]
        )
    if not lines:
        rows.append([p("（无佐证材料）"), p(""), p(""), p(""), p(""), p("")])
    widths = [m * mm for m in (62, 70, 18, 52, 38, 20)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(body, 8)  # type: ignore[attr-defined]
        text = f"第 {document.page} 页"  # type: ignore[attr-defined]
        if check_code:
            text += f"    校验码 {check_code}"
        canvas.drawCentredString(landscape(A4)[0] / 2, 8 * mm, text)  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def write(target: Path) -> None:
        document = SimpleDocTemplate(
            str(target),
            pagesize=landscape(A4),
            leftMargin=12 * mm,
            rightMargin=12 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=title,
        )
        story = [p(title, title_style), p(subtitle, note_style), Spacer(1, 4 * mm), table]
        document.build(story, onFirstPage=footer, onLaterPages=footer)

    return write_atomically(path, write)
