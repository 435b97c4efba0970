"""The office's Word templates in 文书设置, one per kind of notice: registered after every
placeholder is checked (an unknown one is refused by name), kept in the database with the
office's other document settings (they travel with its backups), listed, and tried on a
sample filled with a round's real data before a notice is issued with one."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.errors import NotFound, UserError
from app.io.atomic import write_atomically
from app.models import OfficeSetting
from app.models.database import Database
from app.services.access.audit import chain_head, log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.publishing.notice_wording import RECTIFICATION, SUPERVISION

TEMPLATES_KEY = "word_templates"
KINDS = (RECTIFICATION, SUPERVISION)


@dataclass(frozen=True)
class WordTemplate:
    kind: str
    name: str  # the file's name when registered
    placeholders: tuple[str, ...]
    sha256: str
    data: bytes


def read_template(path: Path) -> tuple[bytes, list[str]]:
    """The template's bytes and the placeholders it uses; refuses a file that is not a
    .docx or names a placeholder Kaoping does not fill, naming each."""
    from app.documents.word.office_template import (
        PLACEHOLDERS,
        placeholders_in,
        unknown_placeholders,
    )

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UserError(f"无法读取模板 {path}：{error.strerror}") from None
    try:
        found = placeholders_in(data)
        unknown = unknown_placeholders(data)
    except Exception as error:  # a damaged file or a Jinja syntax error in it
        raise UserError(f"{Path(path).name} 不是可用的 Word 模板（.docx）：{error}") from None
    if unknown:
        raise UserError(
            f"{Path(path).name} 中有未知的占位符：{'、'.join('{{ ' + u + ' }}' for u in unknown)}；"
            f"可用：{'、'.join(PLACEHOLDERS)}"
        )
    return data, sorted(found)


def _stored(db: Database) -> dict[str, dict[str, str]]:
    with db.reading() as session:
        row = session.get(OfficeSetting, TEMPLATES_KEY)
        return dict(row.value) if row is not None else {}


def register_template(db: Database, kind: str, path: Path) -> Changes:
    """The template for ``kind``, checked, in 文书设置 (replacing any before it)."""
    require(Permission.DOCUMENTS)
    if kind not in KINDS:
        raise UserError(f"文书类型“{kind}”无效；可选：{'、'.join(KINDS)}")
    data, found = read_template(path)
    digest = hashlib.sha256(data).hexdigest()
    entry = {
        "name": Path(path).name,
        "placeholders": found,
        "sha256": digest,
        "docx": base64.b64encode(data).decode("ascii"),
    }
    with db.transaction() as session:
        row = session.scalar(select(OfficeSetting).where(OfficeSetting.key == TEMPLATES_KEY))
        old = dict(row.value) if row is not None else {}
        new = {**old, kind: entry}
        if row is None:
            session.add(OfficeSetting(key=TEMPLATES_KEY, value=new))
        else:
            row.value = new
        before = old.get(kind)
        log_change(
            session,
            entity="文书设置",
            key=f"{TEMPLATES_KEY}:{kind}",
            action="登记Word模板",
            old={"文件": before["name"], "sha256": before["sha256"]} if before else None,
            new={"文件": entry["name"], "sha256": digest, "占位符": found},
        )
        return changes_of(session)


def list_templates(db: Database) -> list[WordTemplate]:
    return [
        WordTemplate(
            kind,
            entry["name"],
            tuple(entry["placeholders"]),
            entry["sha256"],
            base64.b64decode(entry["docx"]),
        )
        for kind, entry in _stored(db).items()
    ]


def template_for(db: Database, kind: str) -> WordTemplate | None:
    return next((t for t in list_templates(db) if t.kind == kind), None)


def sample(db: Database, kind: str, round_name: str, out: Path) -> Path:
    """The registered template filled for the first unit with findings in ``round_name``, as
    its notice would be (not numbered, not stored)."""
    from app.documents.word.office_template import document_values, fill_template
    from app.services.publishing.notice_findings import open_findings
    from app.services.publishing.notice_wording import build_document
    from app.services.publishing.office_settings import load_document_settings
    from app.services.review.findings import round_findings
    from app.services.rounds.definition import find_round

    template = template_for(db, kind)
    if template is None:
        raise NotFound(f"尚未登记“{kind}”的 Word 模板")
    _results, findings = round_findings(db, round_name)
    units = [f for f in open_findings(db, round_name, findings).units if f.findings]
    if not units:
        raise UserError(f"“{round_name}”中没有扣分问题，无法生成样例")
    settings = load_document_settings(db)
    with db.reading() as session:
        year = find_round(session, round_name).year
        code = chain_head(session)
    prefix = settings.rectification_prefix if kind == RECTIFICATION else settings.supervision_prefix
    number = f"{prefix}〔{date.today().year}〕（样例）号"
    document = build_document(
        kind, units[0], round_name, year, settings, number, date.today(), code
    )
    data = fill_template(template.data, document_values(document))
    return write_atomically(out, lambda temporary: temporary.write_bytes(data))
