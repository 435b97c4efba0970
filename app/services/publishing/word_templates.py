"""The office's Word templates in 文书设置, one per kind of document (the two notices, the
通报): registered after every placeholder is checked for its kind (an unknown one is refused by
name), kept in the database with the office's other document settings (they travel with its
backups), listed, removed (logged); template_samples fills one with a round's data before a
document is issued with it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from app.errors import NotFound, UserError
from app.models import OfficeSetting
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of
from app.services.publishing.notice_wording import RECTIFICATION, SUPERVISION

TEMPLATES_KEY = "word_templates"
REPORT_KIND = "考核结果通报"
KINDS = (RECTIFICATION, SUPERVISION, REPORT_KIND)


@dataclass(frozen=True)
class WordTemplate:
    kind: str
    name: str  # the file's name when registered
    placeholders: tuple[str, ...]
    sha256: str
    data: bytes


@dataclass(frozen=True)
class TemplateCheck:
    """What a file offered as a template holds: every placeholder found, the ones Kaoping
    does not fill (refused by name), or why it is no template at all."""

    name: str
    data: bytes
    found: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    problem: str = ""
    kind: str = RECTIFICATION  # what the placeholders were checked against

    def for_kind(self, kind: str) -> TemplateCheck:
        """The same file checked for another kind (a 通报 has its ranking, not findings)."""
        if self.problem:
            return replace(self, kind=kind)
        unknown = tuple(sorted(set(self.found) - placeholder_meanings(kind).keys()))
        return replace(self, kind=kind, unknown=unknown)

    @property
    def usable(self) -> bool:
        return not self.problem and not self.unknown

    def refusal(self) -> str:
        """Why it cannot be registered, in the words the clerk reads ("" if it can)."""
        if self.problem:
            return self.problem
        if self.unknown:
            return (
                f"{self.name} 中有未知的占位符："
                f"{'、'.join('{{ ' + u + ' }}' for u in self.unknown)}；"
                f"{self.kind}可用：{'、'.join(placeholder_meanings(self.kind))}"
            )
        return ""


def placeholder_meanings(kind: str = RECTIFICATION) -> dict[str, str]:
    """Every placeholder a template for ``kind`` may use and what it holds."""
    from app.documents.word.office_template import PLACEHOLDERS, REPORT_PLACEHOLDERS

    return dict(REPORT_PLACEHOLDERS if kind == REPORT_KIND else PLACEHOLDERS)


def check_template(path: Path, kind: str = RECTIFICATION) -> TemplateCheck:
    """The file's placeholders, each known or unknown; a file that is not a .docx (an old
    .doc, a PDF, a damaged file, a Jinja syntax error in it) says so instead."""
    from app.documents.word.office_template import placeholders_in

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return TemplateCheck(path.name, b"", problem=f"无法读取模板 {path}：{error.strerror}")
    if path.suffix.lower() == ".doc" or data[:4] == b"\xd0\xcf\x11\xe0":
        return TemplateCheck(
            path.name,
            data,
            problem=f"{path.name} 是旧版 Word 文件（.doc）："
            "请在 Word 或 WPS 中另存为 .docx 后再登记",
        )
    try:
        found = placeholders_in(data)
    except Exception as error:  # not a zip, no document part, a Jinja syntax error
        return TemplateCheck(
            path.name, data, problem=f"{path.name} 不是可用的 Word 模板（.docx）：{error}"
        )
    return TemplateCheck(path.name, data, tuple(sorted(found))).for_kind(kind)


def read_template(path: Path, kind: str = RECTIFICATION) -> tuple[bytes, list[str]]:
    """The template's bytes and the placeholders it uses; refuses a file that is not a
    .docx or names a placeholder Kaoping does not fill for ``kind``, naming each."""
    checked = check_template(path, kind)
    if not checked.usable:
        raise UserError(checked.refusal())
    return checked.data, list(checked.found)


def _stored(db: Database) -> dict[str, dict[str, str]]:
    with db.reading() as session:
        row = session.get(OfficeSetting, TEMPLATES_KEY)
        return dict(row.value) if row is not None else {}


def register_template(db: Database, kind: str, path: Path) -> Changes:
    """The template for ``kind``, checked, in 文书设置 (replacing any before it)."""
    require(Permission.DOCUMENTS)
    if kind not in KINDS:
        raise UserError(f"文书类型“{kind}”无效；可选：{'、'.join(KINDS)}")
    data, found = read_template(path, kind)
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


def remove_template(db: Database, kind: str) -> Changes:
    """The office stops using its template for ``kind``: the Word copies go back to
    Kaoping's own layout. Logged with the file's name and digest."""
    require(Permission.DOCUMENTS)
    with db.transaction() as session:
        row = session.scalar(select(OfficeSetting).where(OfficeSetting.key == TEMPLATES_KEY))
        old = dict(row.value) if row is not None else {}
        if kind not in old:
            raise NotFound(f"没有登记“{kind}”的 Word 模板")
        before = old.pop(kind)
        row.value = old  # type: ignore[union-attr] - found above
        log_change(
            session,
            entity="文书设置",
            key=f"{TEMPLATES_KEY}:{kind}",
            action="删除Word模板",
            old={"文件": before["name"], "sha256": before["sha256"]},
            new=None,
        )
        return changes_of(session)
