"""Pictures for the .docx at print resolution: the 通报's charts (the same vector figures the
PDF places, rendered to PNG at 300 dpi by PDFium) and a unit's radar (drawn by the same code
as on the PDF's score sheet, on a page of its own, then rendered)."""

from __future__ import annotations

import io

from app.documents.official.grid import LINE_PITCH, RADAR_LINES, TEXT_WIDTH
from app.documents.radar import Radar

PRINT_DPI = 300


def pdf_page_png(pdf: bytes, dpi: int = PRINT_DPI) -> tuple[bytes, float, float]:
    """The PDF's first page as a PNG, and its size in points."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, optimize_mode="print")
        image = bitmap.to_pil()
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", optimize=False, compress_level=3)
        return buffer.getvalue(), float(width), float(height)
    finally:
        document.close()


def radar_png(radar: Radar) -> tuple[bytes, float, float]:
    """The radar as the score sheet's PDF draws it, in the 版心's width and RADAR_LINES lines."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from app.documents.fonts import BODY, font_for, font_runs
    from app.documents.official.lines import text_width
    from app.documents.radar import draw_radar

    width, height = TEXT_WIDTH, RADAR_LINES * LINE_PITCH
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    font = font_for(BODY)

    def text(x: float, y: float, value: str, size: float) -> float:
        start = x
        for run, face in font_runs(value, font):  # each character in a face that has it
            canvas.setFont(face, size)
            canvas.drawString(x, y, run)
            x += stringWidth(run, face, size)
        return x - start

    draw_radar(
        canvas,
        radar,
        width / 2,
        height * 0.53,
        height * 0.36,
        text,
        lambda value, size: text_width(value, font, size, 0),
    )
    canvas.showPage()
    canvas.save()
    return pdf_page_png(buffer.getvalue())
