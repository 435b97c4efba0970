"""Documents into .docx files: each document a section of its own, the file marked in its
properties as an editable copy of the issued PDF (which stays the document of record) with
the same 文号 and check code. Written to a temporary name by the callers (write_atomically)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from app.documents.official.model import Attachment, OfficialDocument
from app.documents.word.body import add_attachment, add_document
from app.documents.word.page_setup import EDITABLE_NOTE, prepare, setup_section

EDITABLE_STATUS = "可编辑副本"


# python-docx's own template carries 130 table styles (two copies of 430 KB) that every
# file would parse, write and compress again: a third of the time of a batch of notices
KEPT_TABLE_STYLES = {"TableNormal", "TableGrid"}


@cache
def _prepared_template() -> bytes:
    """python-docx's template with the official defaults (prepare), without the first empty
    paragraph, the table styles no document uses, the Word 2010 copy of the styles and the
    thumbnail: made once, then every document opens from it."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    prepare(document)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if (
            style.get(qn("w:type")) == "table"
            and style.get(qn("w:styleId")) not in KEPT_TABLE_STYLES
        ):
            styles.remove(style)
    for part in (document.part, document.part.package):
        for key, relation in list(part.rels.items()):
            if relation.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                del part.rels[key]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new() -> object:
    from docx import Document

    return Document(io.BytesIO(_prepared_template()))


def _mark(document: object, title: str, numbers: Sequence[str], check_code: str) -> None:
    """Title, 文号 and check code in the file's properties, and that it is an editable copy:
    what the issued PDF says stays the record, whatever is changed in this file."""
    properties = document.core_properties  # type: ignore[attr-defined]
    from app.version_info import program_version

    properties.title = title
    properties.subject = "；".join(n for n in numbers if n)
    properties.category = EDITABLE_STATUS
    properties.content_status = EDITABLE_STATUS
    properties.keywords = "；".join([EDITABLE_STATUS, *(n for n in numbers if n)])
    code = check_code[:12].upper()
    properties.comments = (
        f"{EDITABLE_NOTE}。由考评 Kaoping {program_version()} 按印发时的内容生成"
        + (f"；变更记录校验码 {code}" if code else "")
        + "。"
    )


def write_docx(path: Path, documents: Sequence[OfficialDocument], title: str) -> None:
    """Several documents in one .docx (a combined batch), each a section numbered from 1."""
    document = _new()
    for index, doc in enumerate(documents):
        add_document(document, doc, first=index == 0)  # type: ignore[arg-type]
    code = documents[0].check_code if documents else ""
    _mark(document, title, [d.number for d in documents], code)
    document.save(str(path))  # type: ignore[attr-defined]


def write_tables_docx(
    path: Path,
    tables: Sequence[Attachment],
    title: str,
    check_code: str = "",
    label: str = "",
    number: str = "",
) -> None:
    """Tables on their own (a unit's score sheet, the ledger's statistics), each from a new
    page under its title, on the grid of a 公文's 附件, as write_tables prints them."""
    document = _new()
    section = document.sections[0]  # type: ignore[attr-defined]
    setup_section(section, letter=False, check_code=check_code)
    for index, table in enumerate(tables):
        add_attachment(document, label if index == 0 else "", table)  # type: ignore[arg-type]
    _first_on_first_page(document)
    _mark(document, title, [number], check_code)
    document.save(str(path))  # type: ignore[attr-defined]


def _first_on_first_page(document: object) -> None:
    """The first table starts on the first page: no page break before it."""
    from docx.oxml.ns import qn

    body = document.element.body  # type: ignore[attr-defined]
    first = body.find(qn("w:p"))
    if first is not None and first.pPr is not None:
        for element in first.pPr.findall(qn("w:pageBreakBefore")):
            first.pPr.remove(element)
