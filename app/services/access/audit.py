"""Who is acting, and the hash-chained change log every result-affecting write goes through.

A record is queued in the session when it is logged and chained at commit, after the
transaction's state has been sealed (app.services.access.sealing): the last record of a transaction
carries the sealed state's digest, and the change log is append-only, so nothing may be
written before that digest is known."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from app.models import ChangeLog
from app.models.base import utcnow
from app.models.database import Database
from app.services.access.actor import current_actor
from app.services.access.permissions import Permission, require
from app.services.changes import QUEUED_LOG
from app.timefmt import local_time

GENESIS = "0" * 64


def current_user() -> str:
    """The signed-in account, or the operating-system login in single-user mode; never empty."""
    return current_actor().username


def record_hash(record: ChangeLog) -> str:
    """SHA-256 over the record's content and the previous hash: editing or removing any
    earlier record behind the program's back breaks every later link."""
    content = [
        record.at.isoformat(timespec="microseconds"),
        record.user,
        record.round_id,
        record.entity,
        record.entity_key,
        record.action,
        record.old,
        record.new,
        record.reason,
        record.source,
        record.prev_hash,
    ]
    if record.state_digest is not None:  # absent from every record written before 0011
        content.append(record.state_digest)
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_head(session: Session) -> str:
    """The last record's hash. On a server set up by `server init`, through its function: an
    评分人 reads only their own records there, yet must chain after everyone's."""
    if _head_function(session):
        last = session.scalar(text(f"SELECT {CHAIN_HEAD}()"))
    else:
        last = session.scalar(select(ChangeLog.hash).order_by(ChangeLog.id.desc()).limit(1))
    return last or GENESIS


CHAIN_HEAD = "kaoping_chain_head"
_HEAD_FUNCTION: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _head_function(session: Session) -> bool:
    """Whether the database has the head function (asked once per engine)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        return False
    found = _HEAD_FUNCTION.get(engine)
    if found is None:
        query = text("SELECT to_regprocedure(:f) IS NOT NULL")
        found = _HEAD_FUNCTION[engine] = bool(
            session.scalar(query, {"f": f"public.{CHAIN_HEAD}()"})
        )
    return found


COLUMNS = (
    "at",
    "user",
    "round_id",
    "entity",
    "entity_key",
    "action",
    "old",
    "new",
    "reason",
    "source",
    "prev_hash",
    "hash",
    "state_digest",
)
QUEUED = QUEUED_LOG  # session.info: this transaction's records, not yet chained


def queued_records(session: Session) -> list[ChangeLog]:
    return session.info.setdefault(QUEUED, [])  # type: ignore[no-any-return]


def chain_records(session: Session, records: list[ChangeLog], state_digest: str) -> None:
    """Link the transaction's records after the chain's head and add them; the last carries
    the digest of the state the transaction leaves (called by sealing at commit)."""
    head = chain_head(session)
    for record in records:
        record.prev_hash = head
        record.state_digest = state_digest if record is records[-1] else None
        record.hash = head = record_hash(record)
    # One INSERT of many rows, in this order (the chain is read by id): the demo's 16,000
    # records through the unit of work took seconds. The record objects stay as they were
    # handed back (their content and hash, no id).
    session.execute(
        insert(ChangeLog), [{column: getattr(r, column) for column in COLUMNS} for r in records]
    )


def log_change(
    session: Session,
    *,
    entity: str,
    key: str,
    action: str,
    old: Any,
    new: Any,
    round_id: int | None = None,
    reason: str = "",
    source: str = "",
    user: str | None = None,
) -> ChangeLog:
    """Queue a record for this transaction; it is chained and written at commit (so it has
    no id or hash before then)."""
    # JSON round trip now, so the hash covers exactly what the database will hand back.
    record = ChangeLog(
        at=utcnow(),
        user=user or current_user(),
        round_id=round_id,
        entity=entity,
        entity_key=key,
        action=action,
        old=json.loads(json.dumps(old, ensure_ascii=False, default=str)),
        new=json.loads(json.dumps(new, ensure_ascii=False, default=str)),
        reason=reason,
        source=source,
        prev_hash="",
        hash="",
    )
    queued_records(session).append(record)
    return record


@dataclass(frozen=True)
class ChainReport:
    records: int
    head: str
    first_broken: int | None  # id of the first record that does not fit the chain
    problem: str = ""

    @property
    def short_code(self) -> str:
        """The code printed on paper: enough of the head to anchor it."""
        return self.head[:12].upper()


def verify_chain(db: Database) -> ChainReport:
    with db.reading() as session:
        return chain_report(session)


def chain_report(session: Session) -> ChainReport:
    """The chain walked over one session (a copy checks both ends inside its transactions)."""
    previous = GENESIS
    count = 0
    for record in session.scalars(select(ChangeLog).order_by(ChangeLog.id)):
        count += 1
        if record.prev_hash != previous:
            return ChainReport(
                count, previous, record.id, f"第 {record.id} 条记录之前的记录被删除或改动"
            )
        if record_hash(record) != record.hash:
            return ChainReport(count, previous, record.id, f"第 {record.id} 条记录内容被改动")
        previous = record.hash
    return ChainReport(count, previous, None)


@dataclass(frozen=True)
class LogLine:
    id: int
    at: datetime
    user: str
    round_id: int | None
    entity: str
    key: str
    action: str
    old: Any
    new: Any
    reason: str
    source: str


def list_changes(db: Database, round_id: int | None = None) -> list[LogLine]:
    require(Permission.CHANGE_LOG)
    with db.reading() as session:
        query = select(ChangeLog).order_by(ChangeLog.id)
        if round_id is not None:
            query = query.where(ChangeLog.round_id == round_id)
        return [
            LogLine(
                r.id,
                r.at,
                r.user,
                r.round_id,
                r.entity,
                r.entity_key,
                r.action,
                r.old,
                r.new,
                r.reason,
                r.source,
            )
            for r in session.scalars(query)
        ]


def describe_value(value: Any) -> str:
    """An old or new value as a person reads it: "分值: 5；名称: 权责清单", not JSON."""
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        shown = {k: describe_value(v) for k, v in value.items()}
        return "；".join(f"{k}: {v}" for k, v in shown.items() if v)
    if isinstance(value, (list, tuple)):
        return "、".join(describe_value(v) for v in value)
    return str(value)


def export_changes(db: Database, path: str | Path, round_id: int | None = None) -> Path:
    """The change log (of one round, or all) as an .xlsx, stamped with the chain's code."""
    from app.io.writers.changes_writer import write_changes  # openpyxl: only when exporting

    lines = list_changes(db, round_id)
    report = verify_chain(db)
    rows = [
        (
            line.id,
            f"{local_time(line.at):%Y-%m-%d %H:%M:%S}",
            line.user,
            line.entity,
            line.key,
            line.action,
            describe_value(line.old),
            describe_value(line.new),
            line.reason,
            line.source,
        )
        for line in lines
    ]
    return write_changes(Path(path), "变更记录", rows, report.short_code)


def latest_change(db: Database) -> str:
    """The chain's head: it moves with every logged write, so a command that was stopped can
    say whether it had written anything."""
    with db.reading() as session:
        return chain_head(session)
