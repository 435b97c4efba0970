"""An issued notice's document kept as plain JSON in its record, so that its editable Word
copy can be made again later with exactly what the PDF says — the wording of that day, the
文号, the check code — whatever the office's settings say now. Only what a notice holds:
paragraphs, headings, ruled tables; the seal image is left out (a Word copy carries none)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.documents.official.model import AttachmentTable, Block, OfficialDocument

VERSION = 1


def _table(table: AttachmentTable) -> dict[str, Any]:
    if table.radar is not None or table.after:
        raise ValueError("a notice's table has no radar and nothing under it")
    return {
        "title": table.title,
        "header": list(table.header),
        "widths_mm": list(table.widths_mm),
        "rows": [list(row) for row in table.rows],
        "continues": table.continues,
        "note": table.note,
        "title_parts": list(table.title_parts),
    }


def _table_from(data: dict[str, Any]) -> AttachmentTable:
    return AttachmentTable(
        data["title"],
        tuple(data["header"]),
        tuple(data["widths_mm"]),
        [tuple(row) for row in data["rows"]],
        continues=data["continues"],
        note=data["note"],
        title_parts=tuple(data["title_parts"]),
    )


def document_to_json(document: OfficialDocument) -> dict[str, Any]:
    """The document as JSON-ready values (raises ValueError for a chart, which no notice has)."""
    attachments = []
    for item in document.attachments:
        if not isinstance(item, AttachmentTable):
            raise ValueError("a notice's attachments are tables")
        attachments.append(_table(item))
    return {
        "version": VERSION,
        "layout": document.layout,
        "issuer_mark": document.issuer_mark,
        "number": document.number,
        "title": document.title,
        "title_parts": list(document.title_parts),
        "addressee": document.addressee,
        "blocks": [
            {
                "kind": b.kind,
                "text": b.text,
                "table": _table(b.table) if b.table is not None else None,
            }
            for b in document.blocks
        ],
        "signature": document.signature,
        "issued_on": document.issued_on.isoformat(),
        "attachments": attachments,
        "cc": document.cc,
        "printer": document.printer,
        "check_code": document.check_code,
        "bound_apart": list(document.bound_apart),
    }


def document_from_json(data: dict[str, Any]) -> OfficialDocument:
    return OfficialDocument(
        layout=data["layout"],
        issuer_mark=data["issuer_mark"],
        number=data["number"],
        title=data["title"],
        title_parts=tuple(data["title_parts"]),
        addressee=data["addressee"],
        blocks=[
            Block(b["kind"], b["text"], _table_from(b["table"]) if b["table"] else None)
            for b in data["blocks"]
        ],
        signature=data["signature"],
        issued_on=date.fromisoformat(data["issued_on"]),
        attachments=[_table_from(a) for a in data["attachments"]],
        cc=data["cc"],
        printer=data["printer"],
        check_code=data["check_code"],
        bound_apart=tuple(data["bound_apart"]),
    )
