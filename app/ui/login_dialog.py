"""登录: asked at every start once a database has a second account. An account whose password
an administrator has reset chooses its own here before it goes any further."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.access.accounts import SignInFailed, change_own_password, sign_in
from app.services.access.actor import Actor
from app.services.access.permissions import Forbidden


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
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self._signed_in: Actor | None = None  # signed in, but must choose a new password
        self._old_password = ""
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("新密码"), self.new_password)
        form.addRow(self.tr("再输入一次"), self.again)
        self._form = form
        for field in (self.new_password, self.again):
            form.setRowVisible(field, False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("数据库：{label}").format(label=db_label)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_sign_in(self) -> None:
        if self._signed_in is not None:
            self._change_password()
            return
        try:
            if self._sign_in is not None:
                actor = self._sign_in(self.username.text(), self.password.text())
            else:
                assert self._db is not None
                actor = sign_in(self._db, self.username.text(), self.password.text())
        except (SignInFailed, Forbidden) as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        if actor.must_change_password and self._db is not None:  # (not for a damaged file)
            self._ask_for_new_password(actor)
            return
        self.actor = actor
        self.accept()

    def _ask_for_new_password(self, actor: Actor) -> None:
        self._signed_in, self._old_password = actor, self.password.text()
        self.username.setEnabled(False)
        self.password.setEnabled(False)
        for field in (self.new_password, self.again):
            self._form.setRowVisible(field, True)
        self.ok_button.setText(self.tr("修改密码并登录"))
        self.message.setText(
            self.tr("管理员已重置您的密码，请先设置新密码（至少 8 位，不能全是数字）")
        )
        self.new_password.setFocus()

    def _change_password(self) -> None:
        assert self._signed_in is not None
        new = self.new_password.text()
        if new != self.again.text():
            self.message.setText(self.tr("两次输入的新密码不一致"))
            self.again.clear()
            self.again.setFocus()
            return
        assert self._db is not None
        try:
            change_own_password(self._db, self._signed_in, self._old_password, new)
        except UserError as error:
            self.message.setText(str(error))
            self.new_password.setFocus()
            return
        self.actor = replace(self._signed_in, must_change_password=False)
        self.accept()
