"""Opening the database a window works on — a file here (its lock, the start check) or an
office server (its password, asked when needed) — and finding out who is there. At start and
when the person switches in the 文件 menu, the same steps."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database, sqlite_path
from app.services.access.actor import Actor
from app.services.maintenance import instance_lock
from app.services.maintenance.backups import tidy_backup_folder
from app.services.maintenance.health import DamagedDatabase, check_at_start, writable
from app.services.server.connection import (
    ConnectionFailed,
    Reason,
    ServerAddress,
    connect,
    password_in,
)


@dataclass
class Opened:
    """An open database and what goes with it: the lock of a file, the login of a server.
    ``label`` never holds a password (it is shown in the window)."""

    database: Database
    label: str
    lock: instance_lock.InstanceLock | None = None
    login: str | None = None

    def close(self) -> None:
        self.database.dispose()
        if self.lock is not None:
            self.lock.release()


def server_label(address: ServerAddress) -> str:
    return address.url().set(query={}).render_as_string(hide_password=True)


def open_target(target: str, offscreen: bool, parent: QWidget | None = None) -> Opened | None:
    """The database at ``target``; None when the person gave up (a start check declined, the
    password dialog cancelled). A file that cannot be used raises UserError."""
    address = ServerAddress.from_url(target)
    if address is not None:
        return _open_server(address, password_in(target), offscreen, parent)
    file_path = sqlite_path(target)
    lock = None
    try:
        if file_path is not None:
            if not writable(file_path):
                raise UserError(
                    QCoreApplication.translate(
                        "launch",
                        "数据库 {file} 所在的位置只读（{folder}），窗口需要写入"
                        "（登录、备份、评分）。请把数据库复制到可写的文件夹后再打开；"
                        "只查看结果可用命令行（results、round list、audit verify）。",
                    ).format(file=file_path, folder=file_path.parent)
                )
            lock = instance_lock.acquire(file_path)
            if not passes_start_check(file_path):
                lock.release()
                return None
            tidy_backup_folder(file_path)
        return Opened(open_database(target), target, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _open_server(
    address: ServerAddress, password: str | None, offscreen: bool, parent: QWidget | None
) -> Opened | None:
    """No lock: the server keeps many clients apart. Without a password in the URL, libpq's
    own sources (PGPASSWORD, the password file) are tried first; the dialog asks only when
    the server still wants one."""
    from app.ui.connect_dialog import ConnectDialog

    try:
        database = connect(address, password)
    except ConnectionFailed as failed:
        if offscreen or failed.reason not in (Reason.PASSWORD_NEEDED, Reason.WRONG_LOGIN):
            raise
        dialog = ConnectDialog(address, parent)
        dialog.message.setText(str(failed))
        if not dialog.exec() or dialog.database is None or dialog.address is None:
            return None
        database, address = dialog.database, dialog.address
    return Opened(database, server_label(address), None, address.user)


def who_is_there(opened: Opened, offscreen: bool, parent: QWidget | None = None) -> Actor | None:
    """Single-user databases open as their administrator; a server login that is an account
    acts as it (the server checked its password); otherwise the login dialog asks (offscreen,
    KAOPING_USER and KAOPING_PASSWORD stand in for it)."""
    from app.services.access.accounts import SignInFailed, sign_in, start_actor
    from app.services.server.login import server_actor
    from app.ui.login_dialog import LoginDialog

    database = opened.database
    actor = start_actor(database) or server_actor(database, opened.login or "")
    if actor is not None:
        return actor
    if offscreen:
        try:
            actor = sign_in(
                database, os.environ.get("KAOPING_USER", ""), os.environ.get("KAOPING_PASSWORD", "")
            )
            if actor.must_change_password:
                raise SignInFailed("密码已由管理员重置，须先在登录窗口或用 account passwd 修改")
            return actor
        except SignInFailed as error:
            print(
                f"错误：此数据库需要登录（KAOPING_USER/KAOPING_PASSWORD）：{error}", file=sys.stderr
            )
            return None
    dialog = LoginDialog(database, opened.label, parent)
    return dialog.actor if dialog.exec() else None


def passes_start_check(path: Path) -> bool:
    """A damaged file is not opened; the newest good backup is offered instead, to be put
    back by an administrator of the data (asked to sign in when it has accounts)."""
    from app.services.maintenance.restore import damaged_restore_actor, restore_damaged

    try:
        check_at_start(path)
        return True
    except DamagedDatabase as damaged:
        backup = damaged.good_backup
        if backup is None:
            QMessageBox.critical(
                None, QCoreApplication.translate("launch", "数据库已损坏"), str(damaged)
            )
            return False
        answer = QMessageBox.question(
            None,
            QCoreApplication.translate("launch", "数据库已损坏"),
            QCoreApplication.translate(
                "launch", "{problem}\n\n是否用这份备份恢复？（损坏的文件会先另存一份）"
            ).format(problem=damaged),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        actor = _administrator_for_damaged(path, backup, damaged_restore_actor)
        if actor is None:
            return False
        restore_damaged(path, backup, "启动时发现数据库损坏，恢复最近一份完好的备份", actor)
        return True


def _administrator_for_damaged(
    path: Path, backup: Path, check: Callable[..., Actor]
) -> Actor | None:
    """The single user when the data has no accounts; else an administrator signs in."""
    from app.services.access.permissions import Forbidden
    from app.ui.login_dialog import LoginDialog

    try:
        return check(path, backup, None, lambda _user: "")
    except Forbidden:
        pass  # the data has accounts: an administrator must sign in
    dialog = LoginDialog(
        None,
        QCoreApplication.translate("launch", "{path}（已损坏；须由管理员恢复）").format(path=path),
        sign_in=lambda user, password: check(path, backup, user, lambda _user: password),
    )
    return dialog.actor if dialog.exec() else None
