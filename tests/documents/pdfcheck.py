"""Reading generated PDFs back the way a reviewer checks paper: where text sits, its size and
colour, and whether every font is embedded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

MM = 72 / 25.4
A4 = (595.2756, 841.8898)
LEFT, TOP, WIDTH, HEIGHT = 28 * MM, 37 * MM, 156 * MM, 225 * MM


def text_of(path: Path, pages: int | None = None) -> str:
    """The text of the first ``pages`` pages (all by default)."""
    with pdfplumber.open(path) as pdf:
        return "".join((page.extract_text() or "") for page in pdf.pages[:pages])


def page_texts(path: Path, pages: int | None = None) -> list[str]:
    """Each page's text, compacted (no white space), of the first ``pages`` pages (all by
    default); read by PDFium (the program's own PDF library), ~15 times faster than pypdf
    or pdfplumber over a 600-page 附件. Characters come in drawing order, which within a
    chart may differ from pdfplumber's reading order."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(document) if pages is None else min(pages, len(document))):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(compact(textpage.get_text_range()))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def compact(text: str) -> str:
    return "".join(text.split())


def unembedded_fonts(path: Path) -> list[str]:
    missing = []
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn inside the file itself (matplotlib's charts)
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font.get("/BaseFont")))
    return missing


def pdffonts_unembedded(path: Path) -> list[str] | None:
    """Fonts poppler's pdffonts reports as not embedded; None when pdffonts is not installed
    (apt-get install poppler-utils)."""
    program = shutil.which("pdffonts")
    if program is None:
        return None
    lines = subprocess.run(
        [program, str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    header = lines[0]
    column = header.index("emb")
    return [line.split()[0] for line in lines[2:] if line[column : column + 3].strip() != "yes"]
