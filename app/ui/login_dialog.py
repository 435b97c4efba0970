"""登录: asked at every start once a database has a second account."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.accounts import SignInFailed, sign_in
from app.services.actor import Actor
from app.services.permissions import Forbidden


class LoginDialog(QDialog):
    """``sign_in`` replaces the usual check against ``db`` (e.g. an administrator of a damaged
    file, checked against the accounts it or its backup holds)."""

    def __init__(
        self,
        db: Database | None,
        db_label: str,
        parent: QWidget | None = None,
        sign_in: Callable[[str, str], Actor] | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._sign_in = sign_in
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录 — 考评"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("数据库：{label}").format(label=db_label)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_sign_in(self) -> None:
        try:
            if self._sign_in is not None:
                self.actor = self._sign_in(self.username.text(), self.password.text())
            else:
                assert self._db is not None
                self.actor = sign_in(self._db, self.username.text(), self.password.text())
        except (SignInFailed, Forbidden) as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
