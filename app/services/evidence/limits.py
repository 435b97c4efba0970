"""How large a file and a package may be, as the office sets them (kept with the office's
data, so every client of a server applies the same limits)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import OfficeSetting
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import Changes, changes_of

SETTINGS_KEY = "evidence"
MB = 1024 * 1024


@dataclass(frozen=True)
class EvidenceLimits:
    file_mb: int = 200  # one file: a scanned report of a few hundred pages
    package_mb: int = 4096  # one unit's package

    @property
    def file_bytes(self) -> int:
        return self.file_mb * MB

    @property
    def package_bytes(self) -> int:
        return self.package_mb * MB


def limits_in(session: Session) -> EvidenceLimits:
    stored = session.get(OfficeSetting, SETTINGS_KEY)
    values = stored.value if stored else {}
    return EvidenceLimits(
        int(values.get("file_mb", EvidenceLimits.file_mb)),
        int(values.get("package_mb", EvidenceLimits.package_mb)),
    )


def load_limits(db: Database) -> EvidenceLimits:
    with db.reading() as session:
        return limits_in(session)


def set_limits(db: Database, limits: EvidenceLimits) -> Changes:
    require(Permission.MANAGE_ROUNDS)
    if not 1 <= limits.file_mb <= 10 * 1024 or not 1 <= limits.package_mb <= 100 * 1024:
        raise UserError("单个文件上限应在 1 MB 到 10 GB 之间，材料包上限应在 1 MB 到 100 GB 之间")
    if limits.file_mb > limits.package_mb:
        raise UserError("单个文件的上限不能大于整个材料包的上限")
    with db.transaction() as session:
        before = limits_in(session)
        if before == limits:
            return changes_of(session)
        stored = session.get(OfficeSetting, SETTINGS_KEY)
        if stored is None:
            session.add(OfficeSetting(key=SETTINGS_KEY, value=asdict(limits)))
        else:
            stored.value = asdict(limits)
        log_change(
            session,
            entity="设置",
            key="佐证材料大小上限",
            action="修改",
            old=asdict(before),
            new=asdict(limits),
        )
        return changes_of(session)
