"""The 指标体系 page's actions on whole frameworks: new (blank, from a template, from a workbook
with the import preview, read and written off the GUI thread), copy, delete and export. Kept
apart from the page because creating and exchanging frameworks is a job of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QMessageBox

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.services.changes import changes_in
from app.services.setup import framework_admin
from app.services.setup.framework_import import (
    FrameworkPreview,
    commit_framework,
    preview_framework,
)
from app.services.setup.frameworks import export_framework
from app.services.setup.templates import list_templates, preview_template
from app.ui.import_preview import ImportPreviewDialog
from app.ui.itemmodels.framework_tree_model import number
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task


class FrameworkActions:
    """Mixed into FrameworksPage (a QWidget): the 新建 menu and the buttons beside it."""

    _db: Database
    current: framework_admin.EditableFramework | None
    framework_box: QComboBox
    message: StatusLine

    def _ask_name(self, title: str, suggestion: str) -> str | None:
        """``title`` already translated."""
        name, ok = QInputDialog.getText(self, title, self.tr("名称："), text=suggestion)
        return name.strip() if ok and name.strip() else None

    def new_blank(self, name: str | None = None) -> None:
        name = name or self._ask_name(self.tr("新建指标体系"), "")
        if name and self._call(lambda: framework_admin.create_framework(self._db, name)):
            self.reload(select=name)

    def copy_framework(self, name: str | None = None) -> None:
        if self.current is None:
            return
        source = self.current.name
        name = name or self._ask_name(
            self.tr("复制为新体系"), self.tr("{name}（副本）").format(name=source)
        )
        if name and self._call(
            lambda: framework_admin.create_framework(self._db, name, copy_of=source)
        ):
            self.reload(select=name)

    def delete_current(self, confirm: bool = True) -> None:
        if self.current is None:
            return
        name = self.current.name
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("删除指标体系"),
                self.tr("删除指标体系“{n}”？已建的考核批次保留各自的副本，不受影响。").format(
                    n=name
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self._call(lambda: framework_admin.delete_framework(self._db, name)):
            self.reload()

    def export_current(self, path: str | None = None) -> None:
        if self.current is None:
            return
        name = self.current.name
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("导出指标体系"),
                f"{file_part(name)}.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )[0]
        )
        if path and self._call(lambda: export_framework(self._db, name, path)):
            self.message.say(self.tr("已导出到 {p}").format(p=path))

    def new_from_template(self, key: str | None = None, name: str | None = None) -> None:
        templates = list_templates()
        if key is None:
            titles = [t.title for t in templates]
            title, ok = QInputDialog.getItem(
                self, self.tr("从模板新建"), self.tr("模板："), titles, 0, False
            )
            if not ok:
                return
            key = templates[titles.index(title)].key
        suggestion = next(t.title for t in templates if t.key == key)
        self._preview(lambda sheet=None: preview_template(self._db, key), name or suggestion)

    def import_file(self, path: str | None = None, name: str | None = None) -> None:
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("导入指标体系"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if path:
            chosen = path
            self._preview(
                lambda sheet=None: preview_framework(self._db, chosen, sheet=sheet),
                name or "",  # "": the sheet's title row, else the file's name
                fallback=Path(path).stem,
            )

    def _preview(self, read: Any, name: str, sheet: str | None = None, fallback: str = "") -> None:
        """Read off the GUI thread, show the preview, commit off the GUI thread. ``read`` takes
        the worksheet to read (None: the one whose header fits); the preview may ask for another."""

        def shown(preview: FrameworkPreview) -> None:
            choices = self.confirm_import(preview, name or preview.title or fallback)
            if choices is None:
                return
            if choices.get("other_sheet"):
                self._preview(read, choices["name"] or name, choices["other_sheet"], fallback)
                return
            run_task(
                lambda: commit_framework(
                    self._db, preview, choices["name"], replace=choices["replace"]
                ),
                lambda info: self._imported(info),
                self._failed,
            )

        self.message.say(self.tr("正在读取…"))
        run_task(lambda: read(sheet) if sheet else read(), shown, self._failed)

    def confirm_import(self, preview: FrameworkPreview, name: str) -> dict[str, Any] | None:
        dialog = ImportPreviewDialog(preview, self, name=name)
        result = dialog.exec()
        return dialog.choices() if result else None

    def _imported(self, done: Any) -> None:
        info = done.value
        self.reload(select=info.name)
        self.announce(done.changes)
        self.message.say(
            self.tr("已导入“{n}”：{a} 个一级指标，{l} 个末级指标，合计 {p} 分").format(
                n=info.name, a=info.areas, l=info.leaves, p=number(info.points)
            )
        )

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未导入：\n"))

    def _call(self, work: Any) -> bool:
        try:
            self.announce(changes_in(work()))
        except UserError as error:
            self.message.say(str(error), error=True)
            return False
        return True
