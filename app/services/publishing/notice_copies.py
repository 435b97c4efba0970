"""The Word copy of a notice issued earlier (已印发文书 → 另存为 Word): made again from the
document its record keeps — the wording of the day it was issued, its 文号 and check code —
so it says what the issued PDF says even after the office's settings have changed. Notices
recorded before the record kept the document (only their listed problems) cannot have one:
their wording and check code are not in the database, and a copy built from today's
settings could say other than the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import NotFound, UserError
from app.models import Notice
from app.models.database import Database
from app.models.notices import NOTICE_WITHDRAWN
from app.services.access.permissions import Permission, require

PROBLEMS, DOCUMENT = "问题", "文书"


def recorded_content(listed: list[dict[str, str]], document: Any) -> dict[str, Any]:
    """What a notice's record keeps: the problems it lists and its whole document."""
    from app.documents.official.stored import document_to_json

    return {PROBLEMS: listed, DOCUMENT: document_to_json(document)}


def listed_problems(content: Any) -> list[dict[str, str]]:
    """The problems a notice lists, from a record of either shape (before the document was
    kept, the record held only this list)."""
    if isinstance(content, dict):
        return list(content.get(PROBLEMS, []))
    return list(content or [])


def issued_word_copy(db: Database, number: str, out: Path) -> Path:
    """The issued notice ``number`` as an editable .docx at ``out`` (filled from the office's
    template for its kind when one is registered, as at issue)."""
    from app.documents.official.stored import document_from_json
    from app.services.publishing.word_copies import editable_copy, office_template

    require(Permission.DOCUMENTS)
    with db.reading() as session:
        notice = session.scalar(select(Notice).where(Notice.number == number.strip()))
        if notice is None:
            raise NotFound(f"没有文号为“{number}”的文书")
        kind, status, content = notice.kind, notice.status, notice.content
        from_round = notice.round_id is not None
    if status == NOTICE_WITHDRAWN:
        raise UserError(f"{number} 已撤回，不再生成 Word 副本")
    if not isinstance(content, dict) or DOCUMENT not in content:
        raise UserError(
            f"{number} 登记时只保存了所列问题，没有保存全文（开头段和整改要求的措辞、联系人、"
            "抄送、变更记录校验码），无法生成与印发的 PDF 一致的 Word 副本；"
            "请以 PDF 为准，需要改动时用预览另存为 Word"
        )
    document = document_from_json(content[DOCUMENT])
    template = office_template(db, kind) if from_round else None  # as issue_notices fills it
    return editable_copy(Path(out).with_suffix(".pdf"), [document], document.title, template)
