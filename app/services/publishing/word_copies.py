"""The editable Word copies of issued documents: written from the same documents as their
PDF, beside it, after the PDF and its record are committed; never stored or hashed (the PDF is
the document of record) and made again whenever asked. Filled from the office's own template
when one is registered for the kind (文书设置)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.io.atomic import write_atomically
from app.models.database import Database

if TYPE_CHECKING:
    from app.documents.official.model import OfficialDocument


def write_document_file(out: Path, documents: Sequence[OfficialDocument], title: str) -> Path:
    """The documents as a PDF, or as a .docx when ``out`` ends in .docx: one content, two
    renderers, so the editable copy says what the PDF says."""
    from app.documents.official.assembly import write_documents

    if out.suffix.lower() == ".docx":
        from app.documents.word.writer import write_docx

        return write_atomically(out, lambda temporary: write_docx(temporary, documents, title))
    return write_atomically(out, lambda temporary: write_documents(temporary, documents, title))


def editable_copy(
    pdf: Path,
    documents: Sequence[OfficialDocument],
    title: str,
    template: bytes | None = None,
    report: bool = False,
) -> Path:
    """The .docx beside an issued PDF: made from the same documents after the PDF and its
    record are committed, never stored or hashed (the PDF is the document of record), and
    made again whenever asked; the 文号 and check code are the PDF's. With the office's
    ``template`` (文书设置), one document fills it instead of Kaoping's own layout (a
    ``report``: with the 通报's names)."""
    if template is not None and len(documents) == 1:
        from app.documents.word.office_template import (
            document_values,
            fill_template,
            report_values,
        )

        values = (report_values if report else document_values)(documents[0])
        data = fill_template(template, values)
        return write_atomically(pdf.with_suffix(".docx"), lambda t: t.write_bytes(data))
    return write_document_file(pdf.with_suffix(".docx"), documents, title)


def office_template(db: Database, kind: str) -> bytes | None:
    """The office's registered Word template for ``kind`` (文书设置), if any."""
    from app.services.publishing.word_templates import template_for

    template = template_for(db, kind)
    return template.data if template is not None else None
