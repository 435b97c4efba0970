"""The office's own words for its documents, kept in the database (they belong to the office's
data and travel with its backups): name, 发文机关标志, 文号 prefixes, contact line, 抄送, the
deadlines and the editable wording of each notice type."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models import OfficeSetting
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of

SETTINGS_KEY = "documents"
PLACEHOLDERS = ("单位", "批次", "年度", "得分", "等次", "排名", "计划期限", "完成期限", "发文机关")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass
class DocumentSettings:
    office_name: str = "××市全面依法治市委员会办公室"
    file_mark: str = "××市全面依法治市委员会办公室文件"  # 文件格式的发文机关标志
    letter_mark: str = "××市全面依法治市委员会办公室"  # 信函格式的发文机关标志
    rectification_prefix: str = "××法办"  # 整改通知书 文号: ××法办〔2026〕3号
    supervision_prefix: str = "××法办督"  # 督办函 文号
    contact: str = "联系人：×××；联系电话：×××××××。"
    cc: str = ""
    plan_months: int = 2
    result_months: int = 6
    rectification_intro: str = (
        "根据{批次}结果，你单位考核得分{得分}分，等次为{等次}。考核中发现以下问题，"
        "现予通知，请认真研究，切实抓好整改。"
    )
    supervision_intro: str = (
        "在{批次}中，你单位存在以下问题，需重点督办。请高度重视，对照问题逐项整改。"
    )
    demands: str = (
        "请于{计划期限}前将整改方案报送{发文机关}。\n"
        "请于{完成期限}前完成整改，并将整改情况报告（附佐证材料）报送{发文机关}。\n"
        "逾期未报送或整改不到位的，将在下一年度考核中扣分，并视情予以通报。"
    )
    seal_png: str = ""  # the 印章 image (PNG, base64); blank: the seal is stamped by hand

    def seal_bytes(self) -> bytes | None:
        return base64.b64decode(self.seal_png) if self.seal_png else None


def check_wording(text: str) -> None:
    """Unknown placeholders are refused when saved, not discovered when printing."""
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        raise UserError(
            f"文书模板中有未知的占位符：{'、'.join('{' + u + '}' for u in unknown)}；"
            f"可用：{'、'.join('{' + p + '}' for p in PLACEHOLDERS)}"
        )


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def load_document_settings(db: Database) -> DocumentSettings:
    with db.reading() as session:
        stored = session.get(OfficeSetting, SETTINGS_KEY)
    known = {f.name for f in fields(DocumentSettings)}
    values = {k: v for k, v in (stored.value if stored else {}).items() if k in known}
    return DocumentSettings(**values)


def check_settings(settings: DocumentSettings) -> None:
    for text in (settings.rectification_intro, settings.supervision_intro, settings.demands):
        check_wording(text)
    if not 1 <= settings.plan_months <= 24 or not 1 <= settings.result_months <= 36:
        raise UserError("整改期限应为 1–24 个月（方案）和 1–36 个月（完成）")
    if settings.seal_png:
        check_seal(settings.seal_bytes() or b"")


SEAL_MAX_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_seal(data: bytes) -> None:
    """A seal is a PNG (its transparency lets the signature show through), at most 2 MB."""
    if not data.startswith(PNG_SIGNATURE):
        raise UserError("印章图片须为 PNG 格式（透明背景）")
    if len(data) > SEAL_MAX_BYTES:
        raise UserError("印章图片超过 2 MB，请缩小后再选")


def seal_from_file(path: str | Path) -> str:
    """The file's PNG, checked, as it is kept in the settings."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UserError(f"无法读取印章图片 {path}：{error.strerror}") from None
    check_seal(data)
    return base64.b64encode(data).decode("ascii")


def _loggable(values: dict | None) -> dict | None:  # type: ignore[type-arg]
    """The settings as the change log keeps them: the seal by its fingerprint, not its bytes."""
    if not values or not values.get("seal_png"):
        return values
    digest = hashlib.sha256(values["seal_png"].encode("ascii")).hexdigest()[:16]
    return {**values, "seal_png": f"印章图片 sha256:{digest}"}


def save_document_settings(db: Database, settings: DocumentSettings) -> Changes:
    require(Permission.DOCUMENTS)
    check_settings(settings)
    with db.transaction() as session:
        stored = session.scalar(select(OfficeSetting).where(OfficeSetting.key == SETTINGS_KEY))
        old = stored.value if stored else None
        if stored is None:
            session.add(OfficeSetting(key=SETTINGS_KEY, value=asdict(settings)))
        else:
            stored.value = asdict(settings)
        log_change(
            session,
            entity="文书设置",
            key=SETTINGS_KEY,
            action="修改",
            old=_loggable(old),
            new=_loggable(asdict(settings)),
        )
        return changes_of(session)
