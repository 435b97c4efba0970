"""Documents into PDF files: refuse a character no face can show before anything is drawn,
draw each document (or a set of tables on their own) on a fresh canvas, then put the charts
into their boxes. The file's side of the work: its metadata, its compression, its pages."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import BODY, font_for, missing_characters
from app.documents.official.model import (
    FILE_LAYOUT,
    AttachmentTable,
    OfficialDocument,
    Overlay,
)
from app.documents.official.writer import draw_document, draw_tables
from app.errors import UserError

COMPRESSION_LEVEL = 3


def _compress(text: str | bytes) -> bytes:
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, COMPRESSION_LEVEL)


# reportlab deflates every stream at zlib's default level 6. The fonts' glyph outlines make
# up most of each notice, and level 3 deflates them in half the time for files about 5 %
# larger: 80 notices spend 0.4 s less. Only Kaoping draws PDFs in this process.
pdfdoc.PDFZCompress.encode = _compress  # type: ignore[method-assign]


def new_canvas(path: Path, title: str, subject: str = "") -> Canvas:
    from app.version_info import program_version

    canvas = Canvas(
        str(path),
        pagesize=A4,
        pageCompression=1,
        initialFontName=font_for(BODY),
        initialFontSize=16,
    )
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setCreator(f"考评 Kaoping {program_version()}")
    canvas.setAuthor("")
    return canvas


def document_texts(document: OfficialDocument) -> list[str]:
    texts = [
        document.issuer_mark,
        document.number,
        document.title,
        document.addressee,
        document.signature,
        document.cc,
        document.printer,
    ]
    for block in document.blocks:
        texts.append(block.text)
        if block.table is not None:
            texts += [cell for row in block.table.rows for cell in row]
    for item in document.attachments:
        texts.append(item.title)
        if isinstance(item, AttachmentTable):
            for table in (item, *(b.table for b in item.after if b.table is not None)):
                texts += [table.note, *table.header, *(cell for row in table.rows for cell in row)]
            texts += [b.text for b in item.after]
    return texts


def check_drawable(documents: Sequence[OfficialDocument]) -> None:
    """Refuse, before anything is drawn, a character no available face has: on paper it would
    be an empty box, and an official document may not lose a character of a name or reason."""
    lacking: set[str] = set()
    for document in documents:
        lacking |= missing_characters("".join(document_texts(document)), font_for(BODY))
    if lacking:
        shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in sorted(lacking))
        raise UserError(
            f"文书中有字体无法显示的字符：{shown}。请在 Windows 字体文件夹中安装包含这些字的"
            "字体，或修改相应的文字后重试；未生成文书。"
        )


def write_documents(path: Path, documents: Sequence[OfficialDocument], title: str) -> None:
    """Several documents in one PDF (a combined batch), each starting on its own page."""
    check_drawable(documents)
    canvas = new_canvas(path, title)
    overlays: list[Overlay] = []
    next_page = 0
    for document in documents:
        placed = draw_document(canvas, document, next_page)
        next_page = placed[-1].page
        overlays += placed[:-1]
    canvas.save()
    if overlays:
        place_charts(path, overlays)


def write_tables(
    path: Path,
    tables: Sequence[AttachmentTable],
    title: str,
    check_code: str = "",
    label: str = "",
    outline: Sequence[tuple[str, ...]] = (),
) -> list[int]:
    """Tables that go out on their own (draw_tables: one unit's score sheet, or every unit's
    in a volume with its bookmarks); returns the page each table starts on, then the count."""
    check_drawable(
        [OfficialDocument(FILE_LAYOUT, "", "", title, "", [], "", date.today(), list(tables))]
    )
    canvas = new_canvas(path, title)
    starts = draw_tables(canvas, tables, title, check_code, label, outline)
    if outline:
        canvas.showOutline()  # the viewer opens with the bookmarks: a unit is a click away
    canvas.save()
    return starts


def chart_scale(box: Overlay, width: float, height: float) -> float:
    """How much a chart of ``width`` x ``height`` points is scaled to fit its box (1: the
    report's charts, drawn at their printed size)."""
    return min(box.width / width, box.height / height)


def place_charts(path: Path, overlays: Sequence[Overlay]) -> None:
    """Put each chart (a vector PDF page from matplotlib) into its box, scaled to fit."""
    import io

    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(path))
    for overlay in overlays:
        chart = PdfReader(io.BytesIO(overlay.figure_pdf)).pages[0]
        width, height = float(chart.mediabox.width), float(chart.mediabox.height)
        scale = chart_scale(overlay, width, height)
        x = overlay.x + (overlay.width - width * scale) / 2
        y = overlay.y + overlay.height - height * scale
        writer.pages[overlay.page].merge_transformed_page(
            chart, Transformation().scale(scale).translate(x, y)
        )
    writer.compress_identical_objects()
    with path.open("wb") as handle:
        writer.write(handle)
