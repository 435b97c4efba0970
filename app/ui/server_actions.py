"""文件 → 连接服务器… / 使用本机文件…: the window changes the database it works on. The
database is opened here; the window is rebuilt on it by whoever started the window (the
pages hold the database they were built on, so a new window is the simple, safe switch)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from app.errors import UserError
from app.models.database import Database
from app.models.opening import sqlite_path
from app.paths import default_database_path
from app.services.server.connection import remembered_address
from app.ui.connect_dialog import ConnectDialog
from app.ui.database_opening import Opened, open_target, server_label


class ServerActions(QObject):
    """``opened`` carries the Opened database the person chose; nothing is emitted when they
    cancel or it cannot be opened (said in a message)."""

    opened = Signal(object)

    def __init__(self, window: QMainWindow, menu: QMenu, db: Database) -> None:
        super().__init__(window)
        self.window = window
        self.db = db
        menu.addSeparator()
        self.connect_action = menu.addAction(self.tr("连接服务器…"))
        self.connect_action.triggered.connect(self.connect_to_server)
        self.file_action = menu.addAction(self.tr("使用本机文件…"))
        self.file_action.triggered.connect(self.use_local_file)

    def connect_to_server(self) -> ConnectDialog:
        dialog = ConnectDialog(remembered_address(), self.window)
        dialog.accepted.connect(lambda: self._connected(dialog))
        dialog.open()
        return dialog

    def _connected(self, dialog: ConnectDialog) -> None:
        if dialog.database is None or dialog.address is None:
            return
        address = dialog.address
        self.opened.emit(Opened(dialog.database, server_label(address), None, address.user))

    def use_local_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            self.tr("使用本机数据库文件"),
            str(default_database_path()),
            self.tr("考评数据库 (*.db);;所有文件 (*)"),
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        if self.db.path is not None and sqlite_path(path) == self.db.path:
            return  # the file in use already
        try:
            opened = open_target(path, offscreen=False, parent=self.window)
        except UserError as error:
            QMessageBox.warning(self.window, self.tr("无法打开数据库"), str(error))
            return
        if opened is not None:
            self.opened.emit(opened)
