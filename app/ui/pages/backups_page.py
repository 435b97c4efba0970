"""备份恢复: the backups of this database, a backup now, a restore after showing what the
backup holds, and where backups go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.backups import (
    BackupInfo,
    backup_folder,
    describe_backup,
    list_backups,
    manual_backup,
    restore_backup,
)
from app.services.errors import UserError
from app.services.permissions import Permission, allowed
from app.settings import load_settings, save_settings
from app.ui.itemmodels.backups_table_model import BackupsTableModel
from app.ui.status_line import StatusLine


class BackupsPage(QWidget):
    database_replaced = Signal()  # after a restore every page must reload

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
                "启动时、每次导入、发布与升级前都会自动备份；保留最近 10 份、最近 30 天每天一份、"
                "最近 12 个月每月一份。恢复前会先备份当前数据，恢复本身也可以撤销。"
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
        self.message.say(self.tr("已备份到 {path}").format(path=path))

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            self.message.say(self.tr("请先在表中选择一份备份。"), error=True)
            return
        if self.confirm_restore(backup):
            self.restore(backup.path)

    def confirm_restore(self, backup: BackupInfo) -> bool:
        """Show what the backup holds before anything is replaced."""
        try:
            inside = describe_backup(backup.path)
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        text = self.tr(
            "将用 {when:%Y-%m-%d %H:%M} 的备份（{reason}）替换当前数据。\n\n"
            "备份中有：考核批次 {rounds}；考核对象 {units} 个；评分记录 {entries} 条；"
            "变更记录 {changes} 条。\n\n恢复前会先把当前数据另存为一份备份。是否继续？"
        ).format(
            when=backup.when,
            reason=backup.reason,
            rounds="、".join(inside.rounds) or "无",
            units=inside.units,
            entries=inside.score_entries,
            changes=inside.changes,
        )
        answer = QMessageBox.question(self, self.tr("恢复备份"), text)
        return answer == QMessageBox.StandardButton.Yes

    def restore_file(self, path: Path) -> None:
        """Any Kaoping data file (last year's, one from another PC) in place of this one."""
        try:
            inside = describe_backup(path)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        text = self.tr(
            "将用 {name} 替换当前数据。\n\n文件中有：考核批次 {rounds}；考核对象 {units} 个；"
            "评分记录 {entries} 条。\n\n替换前会先把当前数据另存为一份备份。是否继续？"
        ).format(
            name=path.name,
            rounds="、".join(inside.rounds) or "无",
            units=inside.units,
            entries=inside.score_entries,
        )
        if self.ask(self.tr("打开数据文件"), text):
            self.restore(path)

    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, path: Path) -> None:
        try:
            safety = restore_backup(self._db, path)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.message.say(
            self.tr("已从 {name} 恢复；恢复前的数据已备份为 {safety}。").format(
                name=path.name, safety=safety.name
            )
        )
        self.database_replaced.emit()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择备份文件夹"))
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        settings = load_settings()
        settings.backup_folder = folder
        save_settings(settings)
        self.reload()

    def set_daily(self, on: bool) -> None:
        settings = load_settings()
        settings.daily_backup = on
        save_settings(settings)
