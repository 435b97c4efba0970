"""备份恢复: the backups of this database, a backup now, a restore after showing what the
backup holds and asking why, and where backups go (an administrator's setting)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.access.permissions import Permission, allowed
from app.services.changes import EVERYTHING, Changes, Topic
from app.services.maintenance.backup_settings import set_backup_folder, set_daily_backup
from app.services.maintenance.backups import (
    BackupInfo,
    backup_folder,
    describe_backup,
    list_backups,
    manual_backup,
)
from app.services.maintenance.restore import restore_backup
from app.settings import load_settings
from app.ui.itemmodels.backups_table_model import BackupsTableModel
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine

LOGGED = Changes.of(Topic.BACKUPS, Topic.CHANGE_LOG)  # what a backup or its settings change


class BackupsPage(Page):
    SHOWS = frozenset({Topic.BACKUPS, Topic.SETTINGS})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.model = BackupsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.change_folder_button = QPushButton(self.tr("更改文件夹…"))
        self.default_folder_button = QPushButton(self.tr("恢复默认文件夹"))
        self.daily_box = QCheckBox(self.tr("程序打开期间每天自动备份一次"))
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.message = StatusLine()
        note = QLabel(
            self.tr(
                "启动时、发布与升级前、每次有改动的导入前都会自动备份；保留最近 10 份、"
                "最近 30 天每天一份、最近 12 个月每月一份。恢复前会先备份当前数据（这份和升级前"
                "的备份不会被自动删除），恢复本身也可以撤销，并记入变更记录。"
            )
        )
        note.setWordWrap(True)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.change_folder_button)
        folder_row.addWidget(self.default_folder_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.daily_box)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(folder_row)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.change_folder_button.clicked.connect(self.choose_folder)
        self.default_folder_button.clicked.connect(lambda: self.set_folder(""))
        self.daily_box.toggled.connect(self.set_daily)
        self.reload()

    def reload(self) -> None:
        self.daily_box.blockSignals(True)
        self.daily_box.setChecked(load_settings().daily_backup)
        self.daily_box.blockSignals(False)
        if self._db.path is None:
            self.folder_label.setText(self.tr("此数据库不是本机文件，不能在此备份。"))
            self.model.set_rows([])
            for button in (self.backup_button, self.restore_button, self.change_folder_button):
                button.setEnabled(False)
            return
        folder = backup_folder(self._db)
        self.folder_label.setText(self.tr("备份文件夹：{folder}").format(folder=folder))
        self.model.set_rows(list_backups(folder))
        self.table.resizeColumnsToContents()
        self.restore_button.setEnabled(self.model.rowCount() > 0)
        self.restore_button.setVisible(allowed(Permission.RESTORE))
        may_configure = allowed(Permission.BACKUP_SETTINGS)
        for widget in (self.change_folder_button, self.default_folder_button, self.daily_box):
            widget.setEnabled(may_configure)

    def selected_backup(self) -> BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def backup_now(self) -> None:
        try:
            path = manual_backup(self._db)
        except (UserError, OSError) as error:
            self.message.say(self.tr("备份失败：{error}").format(error=error), error=True)
            return
        self.reload()
        self.announce(LOGGED)  # a backup is a file, not data: its record is in the change log
        self.message.say(self.tr("已备份到 {path}").format(path=path))

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            self.message.say(self.tr("请先在表中选择一份备份。"), error=True)
            return
        reason = self.confirm_restore(backup)
        if reason:
            self.restore(backup.path, reason)

    def confirm_restore(self, backup: BackupInfo) -> str | None:
        """Show what the backup holds before anything is replaced, and ask why: the reason."""
        try:
            inside = describe_backup(backup.path)
        except UserError as error:
            self.message.say(str(error), error=True)
            return None
        text = self.tr(
            "将用 {when:%Y-%m-%d %H:%M} 的备份（{reason}）替换当前数据。\n\n"
            "备份中有：考核批次 {rounds}；考核对象 {units} 个；评分记录 {entries} 条；"
            "变更记录 {changes} 条。\n\n恢复前会先把当前数据另存为一份备份。"
        ).format(
            when=backup.when,
            reason=backup.reason,
            rounds="、".join(inside.rounds) or self.tr("无"),
            units=inside.units,
            entries=inside.score_entries,
            changes=inside.changes,
        )
        return self.ask(self.tr("恢复备份"), text)

    def restore_file(self, path: Path) -> None:
        """Any Kaoping data file (last year's, one from another PC) in place of this one."""
        try:
            inside = describe_backup(path)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        text = self.tr(
            "将用 {name} 替换当前数据。\n\n文件中有：考核批次 {rounds}；考核对象 {units} 个；"
            "评分记录 {entries} 条。\n\n替换前会先把当前数据另存为一份备份。"
        ).format(
            name=path.name,
            rounds="、".join(inside.rounds) or self.tr("无"),
            units=inside.units,
            entries=inside.score_entries,
        )
        reason = self.ask(self.tr("打开数据文件"), text)
        if reason:
            self.restore(path, reason)

    def ask(self, title: str, text: str) -> str | None:
        """The reason for the restore (recorded in the change log); None when cancelled."""
        label = self.tr("{text}\n\n恢复的理由（必填，记入变更记录）：").format(text=text)
        while True:
            reason, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal)
            if not ok:
                return None
            if reason.strip():
                return reason.strip()

    def restore(self, path: Path, reason: str) -> None:
        try:
            safety = restore_backup(self._db, path, reason)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.message.say(
            self.tr("已从 {name} 恢复；恢复前的数据已备份为 {safety}。").format(
                name=path.name, safety=safety.name
            )
        )
        self.announce(EVERYTHING)  # every page reads the restored database

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择备份文件夹"))
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        try:
            chosen = set_backup_folder(self._db, folder)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.announce(LOGGED)
        self.message.say(
            self.tr("备份文件夹已改为 {folder}（已记入变更记录）").format(folder=chosen)
        )

    def set_daily(self, on: bool) -> None:
        try:
            set_daily_backup(self._db, on)
        except UserError as error:
            self.message.say(str(error), error=True)
            self.reload()
