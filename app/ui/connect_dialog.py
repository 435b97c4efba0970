"""连接服务器: where the office's server database is and whose account connects. A failure
is said in the dialog, which stays open with everything typed, so the person corrects the one
field that was wrong."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.server.connection import (
    DEFAULT_DATABASE,
    ConnectionFailed,
    Reason,
    ServerAddress,
    connect,
    remember,
)


def location_text(target: str) -> str:
    """What the status bar says about the database in use: a server or a file here."""
    address = ServerAddress.from_url(target)
    if address is None:
        return QCoreApplication.translate("ConnectDialog", "本机文件：{path}").format(path=target)
    return QCoreApplication.translate("ConnectDialog", "服务器：{where}（账户 {user}）").format(
        where=address.label(), user=address.user or "—"
    )


class ConnectDialog(QDialog):
    """``address`` fills the fields (the one remembered, or the one a URL named); on success
    ``database`` is open and ``address`` is what connected."""

    def __init__(
        self,
        address: ServerAddress | None = None,
        parent: QWidget | None = None,
        opener: Callable[[ServerAddress, str | None], Database] = connect,
    ) -> None:
        super().__init__(parent)
        self._open = opener
        self.database: Database | None = None
        self.address: ServerAddress | None = None
        self.setWindowTitle(self.tr("连接服务器 — 考评"))
        self.host = QLineEdit(address.host if address else "")
        self.host.setPlaceholderText(self.tr("服务器的计算机名或 IP 地址"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(address.port if address else 5432)
        self.database_name = QLineEdit(address.database if address else DEFAULT_DATABASE)
        self.user = QLineEdit(address.user if address else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库"), self.database_name)
        form.addRow(self.tr("账户"), self.user)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("连接"))
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("由管理员告知服务器地址和数据库名；账户和密码是您本人的。"))
        )
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        first_empty = next(
            (f for f in (self.host, self.user, self.password) if not f.text()), self.password
        )
        first_empty.setFocus()

    def typed_address(self) -> ServerAddress:
        return ServerAddress(
            host=self.host.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            database=self.database_name.text().strip() or DEFAULT_DATABASE,
        )

    def try_connect(self) -> None:
        """Enter in any field lands here; a failure leaves every field as typed."""
        address = self.typed_address()
        if not address.host:
            self._refused(self.tr("请填写服务器地址"), self.host)
            return
        if not address.user:
            self._refused(self.tr("请填写您的账户"), self.user)
            return
        self.message.setText(self.tr("正在连接……"))
        self.message.repaint()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            database = self._open(address, self.password.text() or None)
        except ConnectionFailed as failed:
            self._refused(str(failed), self._field_for(failed.reason))
            return
        except UserError as error:  # e.g. a database from a newer version of the program
            self._refused(str(error), self.database_name)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        remember(address)
        self.message.clear()
        self.database, self.address = database, address
        self.accept()

    def _field_for(self, reason: Reason) -> QWidget:
        return {
            Reason.UNREACHABLE: self.host,
            Reason.TIMEOUT: self.host,
            Reason.NO_DATABASE: self.database_name,
            Reason.NOT_KAOPING: self.database_name,
            Reason.NOT_SET_UP: self.database_name,
        }.get(reason, self.password)

    def _refused(self, text: str, field: QWidget) -> None:
        self.message.setText(text)
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()
