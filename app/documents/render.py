"""A PDF's pages as pixels (pypdfium2, bundled PDFium: no viewer needs to be installed), for
the preview in the window and for printing from it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# PDFium is not thread-safe: one call at a time in the whole process (the evidence panel
# renders in a worker while a document's preview may render on the GUI thread).
_PDFIUM = threading.RLock()


@dataclass(frozen=True)
class PageImage:
    """One page as 4-byte RGBx rows (what QImage.Format_RGBX8888 reads)."""

    width: int
    height: int
    stride: int
    pixels: bytes


class PdfPages:
    """An open PDF; close it (or use ``with``) so Windows lets the file be replaced."""

    def __init__(self, path: Path) -> None:
        import pypdfium2

        with _PDFIUM:
            self._pdf: Any = pypdfium2.PdfDocument(str(path))

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __len__(self) -> int:
        with _PDFIUM:
            return len(self._pdf)

    def size(self, index: int) -> tuple[float, float]:
        """Width and height of a page in points."""
        with _PDFIUM:
            width, height = self._pdf[index].get_size()
        return float(width), float(height)

    def render(self, index: int, dpi: float) -> PageImage:
        with _PDFIUM:
            bitmap = self._pdf[index].render(
                scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True, optimize_mode="print"
            )
            try:
                pixels = bytes(memoryview(bitmap.buffer).cast("B"))
                return PageImage(bitmap.width, bitmap.height, bitmap.stride, pixels)
            finally:
                bitmap.close()

    def close(self) -> None:
        with _PDFIUM:
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None
