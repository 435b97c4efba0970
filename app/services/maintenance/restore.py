"""Putting a backup back: by an administrator, with a reason, the replaced data kept as a
恢复前 copy that rotation never removes, and the restore itself a record in the change log
(which file replaced which, the replaced log's length and head, who, why)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.errors import StorageError, UserError, os_reason, sqlite_reason
from app.models import ChangeLog
from app.models.accounts import ROLE_ADMIN
from app.models.database import Database, make_database, make_engine
from app.models.migrate import upgrade_database
from app.models.sqlite_files import connection_to, copy_pages
from app.services.access.accounts import SignInFailed
from app.services.access.actor import Actor, acting_as, single_user_actor
from app.services.access.audit import chain_head, log_change
from app.services.access.passwords import verify_password
from app.services.access.permissions import Forbidden, Permission, require
from app.services.maintenance.backups import check_backup, create_backup
from app.settings import backup_folder_for


@dataclass(frozen=True)
class ChainState:
    """How far the change log went in a file: its length and its last record's hash."""

    records: int
    head: str

    def as_json(self) -> dict[str, object]:
        return {"变更记录条数": self.records, "链头": self.head}


def restore_backup(db: Database, backup: Path, reason: str) -> Path:
    """Replace the open database's content with a backup (administrator only, with a reason);
    the current data is backed up first, so a restore can itself be undone. The backup's
    content, brought to this program's schema and with the restore's record appended, goes
    into the file in one transaction: a kill leaves the data before or after, never between,
    and never restored without its record."""
    require(Permission.RESTORE)
    reason = _reason(reason)
    if db.path is None and db.engine.dialect.name != "sqlite":
        raise UserError(
            "服务器上正在使用的数据不会被备份覆盖：请把备份恢复到一个新的服务器数据库"
            "（之后连接到它），或恢复为本机的数据库文件",
            command="backup restore 备份文件 --reason 理由 --to-database 新数据库名"
            "（或 --to-file 文件路径）",
        )
    if db.path is None:
        raise UserError("只有本机 SQLite 数据库文件可以恢复")
    refuse_the_file_itself(db.path, backup)
    check_backup(backup)
    refuse_a_tampered_backup(backup)
    replaced = _chain_of(db)
    try:
        safety = create_backup(db, "恢复前")
    except sqlite3.DatabaseError:  # too damaged to read page by page: kept aside byte for byte
        safety = None
    db.dispose()
    if safety is None:
        return _replace_damaged(db.path, backup, reason, replaced)
    staged = _staged(db.path, backup, safety, replaced, reason)
    try:
        with _disk_refusal(db.path):
            _bring_back_evidence(db.path, staged, backup)
            copy_pages(staged, db.path, source_mode="ro")
    finally:
        _discard(staged)
    return safety


def _bring_back_evidence(db_path: Path, staged: Path, backup: Path) -> None:
    """Before the data is put back: every evidence file it names is in the store beside the
    database as recorded (copied from the backup's folder where missing or changed). Content
    nowhere to be found intact stops the restore: the data would name files it cannot show."""
    from app.models.evidence_store import FolderStore, evidence_folder
    from app.services.maintenance.evidence_backup import bring_back

    done = bring_back(staged, FolderStore(evidence_folder(db_path)), backup.parent)
    if done.missing:
        raise UserError(
            f"备份 {backup.name} 所列的佐证材料中有 {len(done.missing)} 个文件在备份文件夹 "
            f"{backup.parent / 'evidence'} 和当前材料库中都找不到完好的内容（如 "
            f"{done.missing[0][:12]}…），未恢复，当前数据未改变。请把备份文件夹连同其中的 "
            "evidence 文件夹一起拷来后再恢复"
        )


def restore_damaged(db_path: Path, backup: Path, reason: str, actor: Actor) -> Path:
    """At start, when the file failed its integrity check: the damaged file is kept aside
    byte for byte and the backup put in its place. ``actor`` comes from
    damaged_restore_actor: an administrator of the data (or the single user when the data
    has no accounts)."""
    if actor.role != ROLE_ADMIN:
        raise Forbidden(f"当前用户“{actor.username}”（{actor.role}）无权恢复备份")
    reason = _reason(reason)
    refuse_the_file_itself(db_path, backup)
    check_backup(backup)
    refuse_a_tampered_backup(backup)
    with acting_as(actor):
        return _replace_damaged(db_path, backup, reason, None)


def _replace_damaged(db_path: Path, backup: Path, reason: str, replaced: ChainState | None) -> Path:
    """The damaged file is copied aside (its journal moved with it: replayed onto the new file
    it would corrupt it), then the prepared file takes its place in one rename."""
    aside = db_path.with_name(f"{db_path.name}.损坏-{datetime.now():%Y%m%d-%H%M%S}")
    staged = _staged(db_path, backup, aside, replaced, reason)
    try:
        _bring_back_evidence(db_path, staged, backup)
        shutil.copyfile(db_path, aside)
        journal = db_path.with_name(db_path.name + "-journal")
        if journal.exists():
            os.replace(journal, aside.with_name(aside.name + "-journal"))
        os.replace(staged, db_path)
    finally:
        _discard(staged)
    return aside


def _staged(
    db_path: Path, backup: Path, safety: Path, replaced: ChainState | None, reason: str
) -> Path:
    """The backup as it will be put back: a private copy beside the database (hidden, removed
    at the next start if a kill leaves it), upgraded to this program's schema, with the
    restore's record appended to its change log."""
    staged = db_path.with_name(f".{db_path.name}.恢复.{os.getpid()}.part")
    _discard(staged)
    try:
        with _disk_refusal(staged):
            copy_pages(backup, staged, source_mode="ro")
        engine = make_engine(staged)
        try:
            upgrade_database(engine, None)  # a backup from before the last upgrade
            _log_restore(make_database(engine, staged), backup, safety, replaced, reason)
        finally:
            engine.dispose()
    except BaseException:
        _discard(staged)
        raise
    return staged


@contextlib.contextmanager
def _disk_refusal(where: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        why = os_reason(exc)
    except sqlite3.OperationalError as exc:
        if sqlite_reason(exc) is None:
            raise
        why = sqlite_reason(exc) or ""
    else:
        return
    raise StorageError(f"无法恢复：写入 {where.parent} 时{why}，当前数据未改变") from None


def _discard(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def damaged_restore_actor(
    damaged: Path, backup: Path, username: str | None, password_of: Callable[[str], str]
) -> Actor:
    """Nobody can sign in to a damaged file the usual way, yet a restore is an administrator's
    act: when the data has accounts (read from the damaged file if its accounts table is
    still readable, else from the backup that will take its place) an administrator's name and
    password are checked against them; without accounts the person at the computer restores."""
    accounts = _accounts_in(damaged)
    if accounts is None:
        accounts = _accounts_in(backup) or []
    active = [a for a in accounts if a[3]]
    if username:  # a name given is checked, as at any sign-in, accounts or not
        found = next((a for a in active if a[0] == username.strip()), None)
        password = password_of(username)
        if found is None or not verify_password(password, found[2]):
            raise SignInFailed("用户名或密码不正确")
        if found[1] != ROLE_ADMIN:
            raise Forbidden(f"当前用户“{found[0]}”（{found[1]}）无权恢复备份，须由管理员恢复")
        return Actor(username=found[0], role=ROLE_ADMIN, signed_in=True)
    if not active:
        return single_user_actor()
    raise Forbidden(
        "此数据库设有账户：恢复损坏的数据库须由管理员登录",
        command="--user 用户名（密码取自环境变量 KAOPING_PASSWORD，或在提示时输入）",
    )


def _accounts_in(path: Path) -> list[tuple[str, str, str, bool]] | None:
    """(username, role, password hash, active) of every account; None when unreadable."""
    try:
        with connection_to(path, "ro") as connection:
            rows = connection.execute(
                "SELECT username, role, password_hash, active FROM accounts"
            ).fetchall()
    except sqlite3.DatabaseError:
        return None
    return [(str(u), str(r), str(h), bool(a)) for u, r, h, a in rows]


def refuse_a_tampered_backup(backup: Path) -> None:
    """Before a backup is restored (issue 15 §1): its data must be the state its own change log
    describes. A backup from before the state was sealed (no state_seals) is taken as it is;
    the migration that follows seals it and logs that."""
    from app.services.access.state_verify import verify_file

    with connection_to(backup, "ro") as connection:
        sealed = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_seals'"
        ).fetchone()
    if not sealed:
        return
    verified = verify_file(backup)
    if verified.ok:
        return
    if verified.chain.first_broken is not None:
        why = f"变更记录链断裂（{verified.chain.problem}）"
    else:
        assert verified.state is not None
        count = len(verified.state.differences) or len(verified.state.problems)
        why = f"数据与其变更记录不符 {count} 处（在程序之外被改动过）"
    raise UserError(f"备份 {backup.name} 未通过校验：{why}，不能恢复。请选择另一个备份")


def refuse_the_file_itself(db_path: Path, backup: Path) -> None:
    """Restoring the open file over itself can only wait on its own lock (it retried for 38
    minutes in issue 15): refused at once."""
    try:
        same = os.path.samefile(db_path, backup)
    except OSError:
        same = os.path.realpath(db_path) == os.path.realpath(backup)
    if same:
        raise UserError(
            f"{backup} 就是正在使用的数据库文件本身，不能用它恢复自己；"
            f"请从备份文件夹 {backup_folder_for(db_path)} 中选择一份备份"
        )


def _reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise UserError("恢复备份须说明理由（记入变更记录）", command="--reason 误导入后撤回")
    return reason.strip()


def _chain_of(db: Database) -> ChainState | None:
    try:
        with db.reading() as session:
            count = int(session.scalar(select(func.count(ChangeLog.id))) or 0)
            return ChainState(count, chain_head(session))
    except (SQLAlchemyError, sqlite3.Error):  # too damaged to read: recorded as unreadable
        return None


def _log_restore(
    db: Database, backup: Path, safety: Path, replaced: ChainState | None, reason: str
) -> None:
    """In the data being put back: what it replaced (kept as ``safety``), by whom, why."""
    restored = _chain_of(db)
    with db.transaction() as session:
        log_change(
            session,
            entity="数据库",
            key=backup.name,
            action="恢复",
            old={
                "被替换的数据另存为": safety.name,
                **(replaced.as_json() if replaced else {"变更记录": "无法读取（文件已损坏）"}),
            },
            new={"备份文件": str(backup), **(restored.as_json() if restored else {})},
            reason=reason,
            source=str(backup),
        )
