"""Page counts before anything is printed: the writers lay a document out on a canvas that
keeps nothing, so the count is the one the PDF will have (the same code breaks the pages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from reportlab.pdfgen.canvas import Canvas

from app.documents.official.model import AttachmentTable, OfficialDocument, Overlay
from app.documents.official.writer import draw_document, draw_tables


class _Nothing:
    """Stands in for a canvas: every call (a text object, a path, a page) returns it again."""

    dry = True  # the page writer skips drawing text on it

    def __getattr__(self, name: str) -> Any:
        return self._ignore

    def _ignore(self, *args: object, **kwargs: object) -> _Nothing:
        return self


def _canvas() -> Canvas:
    return cast(Canvas, _Nothing())


def document_pages(document: OfficialDocument) -> int:
    """How many pages the document takes (each chart one page, whatever it draws)."""
    return draw_document(_canvas(), document)[-1].page


def chart_boxes(document: OfficialDocument) -> list[Overlay]:
    """The page and box each chart is placed in (place_charts scales it to fit the box)."""
    return draw_document(_canvas(), document)[:-1]


def table_starts(tables: Sequence[AttachmentTable], title: str, label: str = "") -> list[int]:
    """Where each table of a volume starts (from 1), then its page count (draw_tables)."""
    return draw_tables(_canvas(), tables, title, label=label)
