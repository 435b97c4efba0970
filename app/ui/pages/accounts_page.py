"""账户管理 (administrator only): add accounts, set roles, reset passwords, disable."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.accounts import ROLE_ASSESSOR, ROLES
from app.models.database import Database
from app.services.access import accounts
from app.services.changes import Topic, changes_in
from app.ui.itemmodels.accounts_table_model import AccountsTableModel
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine

ROLE_NOTES = {
    "管理员": QT_TRANSLATE_NOOP(
        "AccountDialog", "全部功能，包括账户管理、恢复备份、重新打开已发布批次"
    ),
    "考核办": QT_TRANSLATE_NOOP(
        "AccountDialog", "考核批次、评分、结果、文书、整改台账、导入与备份"
    ),
    "评分人": QT_TRANSLATE_NOOP(
        "AccountDialog", "只能为分配给自己的指标和单位评分（评分中的批次）"
    ),
    "查看": QT_TRANSLATE_NOOP("AccountDialog", "只读"),
}


class AccountDialog(QDialog):
    """New account, or a new role for an existing one (then without name and password)."""

    def __init__(
        self, assessors: list[str], parent: QWidget | None = None, username: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改角色") if username else self.tr("添加账户"))
        self.username = QLineEdit(username or "")
        self.username.setReadOnly(username is not None)
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(list(ROLES))
        self.assessor = QComboBox()
        self.assessor.addItems(assessors)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        if username is None:
            form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("关联评分人"), self.assessor)
        if username is None:
            form.addRow(self.tr("密码"), self.password)
            form.addRow(self.tr("再输入一次"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.role.currentTextChanged.connect(self._role_changed)
        self._role_changed(self.role.currentText())

    def _role_changed(self, role: str) -> None:
        self.assessor.setEnabled(role == ROLE_ASSESSOR)
        self.note.setText(QCoreApplication.translate("AccountDialog", ROLE_NOTES.get(role, "")))

    def chosen_assessor(self) -> str | None:
        return self.assessor.currentText() if self.role.currentText() == ROLE_ASSESSOR else None


class AccountsPage(Page):
    SHOWS = frozenset({Topic.ACCOUNTS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = AccountsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("添加账户…"))
        self.role_button = QPushButton(self.tr("修改角色…"))
        self.reset_button = QPushButton(self.tr("重置密码…"))
        self.disable_button = QPushButton(self.tr("停用"))
        self.message = StatusLine()
        note = QLabel(
            self.tr(
                "只有一个账户时，程序启动不要求登录；添加第二个账户后，每次启动都需要登录。"
                "密码以加盐的 scrypt 摘要保存；连续输错 5 次锁定 15 分钟，管理员重置密码可解锁。"
            )
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.reset_button, self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_account)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(accounts.list_accounts(self._db))
        self.table.resizeColumnsToContents()

    def selected_username(self) -> str | None:
        index = self.table.currentIndex()
        account = self.model.row_at(index.row()) if index.isValid() else None
        return account.username if account else None

    def add_account(self) -> None:
        dialog = AccountDialog(accounts.assessor_names(self._db), self)
        if not dialog.exec():
            return
        if dialog.password.text() != dialog.repeat.text():
            self.message.say(self.tr("两次输入的密码不一致"), error=True)
            return
        self._run(
            lambda: accounts.create_account(
                self._db,
                dialog.username.text(),
                dialog.password.text(),
                dialog.role.currentText(),
                display_name=dialog.display_name.text(),
                assessor=dialog.chosen_assessor(),
            ),
            self.tr("已添加账户“{name}”").format(name=dialog.username.text().strip()),
        )

    def change_role(self) -> None:
        username = self.selected_username()
        if username is None:
            self.message.say(self.tr("请先选择一个账户"), error=True)
            return
        dialog = AccountDialog(accounts.assessor_names(self._db), self, username=username)
        if dialog.exec():
            self._run(
                lambda: accounts.set_role(
                    self._db, username, dialog.role.currentText(), dialog.chosen_assessor()
                ),
                self.tr("已修改“{name}”的角色").format(name=username),
            )

    def reset_password(self) -> None:
        username = self.selected_username()
        if username is None:
            self.message.say(self.tr("请先选择一个账户"), error=True)
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("重置密码"))
        password = QLineEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(dialog)
        form.addRow(self.tr("“{name}”的新密码").format(name=username), password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec():
            self._run(
                lambda: accounts.reset_password(self._db, username, password.text()),
                self.tr("已重置“{name}”的密码并解除锁定").format(name=username),
            )

    def disable(self) -> None:
        username = self.selected_username()
        if username is None:
            self.message.say(self.tr("请先选择一个账户"), error=True)
            return
        answer = QMessageBox.question(
            self, self.tr("停用账户"), self.tr("停用账户“{name}”？").format(name=username)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(
                lambda: accounts.disable_account(self._db, username),
                self.tr("已停用“{name}”").format(name=username),
            )

    def _run(self, action, done: str) -> None:  # type: ignore[no-untyped-def]
        try:
            changes = changes_in(action())
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.announce(changes)
        self.message.say(done)
