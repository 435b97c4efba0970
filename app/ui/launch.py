"""Start the window (or render it offscreen for --screenshot) on the chosen database."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from app.errors import UserError
from app.models.database import Database
from app.models.migrate import MigrationError
from app.models.opening import open_database, sqlite_path
from app.paths import default_database_path
from app.services.access.actor import Actor, set_actor
from app.services.maintenance import instance_lock
from app.services.maintenance.backups import create_backup, tidy_backup_folder
from app.services.maintenance.health import DamagedDatabase, check_at_start, writable
from app.ui.daily_backup import DailyBackup

SCREENSHOT_SIZE = (1366, 768)


def launch_gui(db: str | None, screenshot: str | None = None, page: str | None = None) -> int:
    if screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from app.ui.fonts import interface_font, register_bundled_fonts
    from app.ui.main_window import MainWindow
    from app.ui.translations import install_qt_chinese

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Kaoping")
    register_bundled_fonts()
    app.setFont(interface_font())
    install_qt_chinese(app)
    from PySide6.QtCore import QThreadPool
    from PySide6.QtGui import QIcon

    from app.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "kaoping-256.png")))
    if not screenshot:  # offscreen nobody could close a dialog: errors print and exit
        install_error_dialog()
    target = db if db is not None else str(default_database_path())
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
            if not _passes_start_check(file_path):
                lock.release()
                return 2
            tidy_backup_folder(file_path)
        database = open_database(target)
    except (MigrationError, UserError) as exc:
        if lock is not None:
            lock.release()
        if screenshot:
            print(f"错误：{exc}", file=sys.stderr)
        else:
            QMessageBox.critical(
                None, QCoreApplication.translate("launch", "无法打开数据库"), str(exc)
            )
        return 2
    actor = _who_is_there(database, target, screenshot is not None)
    if actor is None:
        database.dispose()
        if lock is not None:
            lock.release()
        return 2
    set_actor(actor)
    # A server is backed up daily from an administrator's client, not by every client's start
    # (a snapshot reads the whole server: seconds, on each of twenty PCs).
    if not screenshot and database.path is not None:
        try:
            create_backup(database, "启动")
        except UserError as error:  # e.g. the backup folder is full: said, not fatal
            QMessageBox.warning(
                None, QCoreApplication.translate("launch", "启动时未能备份"), str(error)
            )
    window = MainWindow(database, target)
    window.statusBar().addPermanentWidget(
        QLabel(
            QCoreApplication.translate("launch", "当前用户：{user}（{role}）").format(
                user=actor.username, role=actor.role
            )
        )
    )
    try:
        if page:
            window.show_page(page)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(30_000)  # pages computing in the background
        app.processEvents()  # deliver what they computed
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(screenshot)
        database.dispose()
        if lock is not None:
            lock.release()
        return 0 if ok else 1
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    daily = DailyBackup(database, window)  # noqa: F841 - lives as long as the window
    from app.ui.state_check import check_at_start as check_state

    check_state(database, window)  # issue 15 §1: off the GUI thread, a warning if it fails
    code = app.exec()
    database.dispose()
    if lock is not None:
        lock.release()
    return int(code)


def _who_is_there(database: Database, label: str, offscreen: bool) -> Actor | None:
    """Single-user databases open as their administrator; otherwise the login dialog asks
    (offscreen, KAOPING_USER and KAOPING_PASSWORD stand in for it)."""
    from app.services.access.accounts import SignInFailed, sign_in, start_actor
    from app.ui.login_dialog import LoginDialog

    actor = start_actor(database)
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
    dialog = LoginDialog(database, label)
    return dialog.actor if dialog.exec() else None


def _passes_start_check(path: Path) -> bool:
    """A damaged file is not opened; the newest good backup is offered instead, to be put
    back by an administrator of the data (asked to sign in when it has accounts)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

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
    from PySide6.QtCore import QCoreApplication

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


def install_error_dialog() -> None:
    """An unexpected error shows a dialog with details to report, never a bare traceback."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        print(details, file=sys.stderr)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("launch", "程序错误"),
            QCoreApplication.translate("launch", "发生了意外错误：{error}").format(error=error),
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook
