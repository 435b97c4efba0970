"""文件 menu: import the office's workbooks, make the demo, back up — each off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from app.demo.build import build_demo
from app.errors import UserError, WorkbookError
from app.models.database import Database
from app.services.changes import EVERYTHING, Changes, Topic, changes_in, value_of
from app.services.entry import scores
from app.services.maintenance import backups
from app.services.progress import reading_progress
from app.services.rounds.definition import list_rounds
from app.services.setup import frameworks, units
from app.ui.tasks import ProgressRelay, run_task


class ImportActions(QObject):
    """Builds the 文件 menu of the main window and runs its actions in the background; a
    QObject of its own so that its texts are tr()'d in its own context, the one lupdate gives
    them."""

    def __init__(
        self, window: QMainWindow, db: Database, refresh: Callable[[Changes], None]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.db = db
        self.refresh = refresh
        menu = self.menu = window.menuBar().addMenu(self.tr("文件"))
        for label, handler in (
            (self.tr("导入考核对象名单…"), self.import_units),
            (self.tr("导入指标体系（考核细则）…"), self.import_framework),
            (self.tr("导入评分表…"), self.import_scores),
            (self.tr("导入满意度测评结果…"), self.import_satisfaction),
            (None, None),
            (self.tr("立即备份"), self.backup),
            (self.tr("生成演示数据"), self.demo),
        ):
            if label is None:
                menu.addSeparator()
            else:
                menu.addAction(label).triggered.connect(handler)

    def _file(self, title: str) -> str | None:
        workbooks = self.tr("Excel/WPS 工作簿 (*.xlsx *.xls);;所有文件 (*)")
        path, _ = QFileDialog.getOpenFileName(self.window, title, "", workbooks)
        return path or None

    def _round(self) -> str | None:
        names = [r.name for r in list_rounds(self.db)]
        if not names:
            QMessageBox.information(
                self.window, self.tr("导入"), self.tr("还没有考核批次，请先新建考核批次。")
            )
            return None
        name, ok = QInputDialog.getItem(
            self.window, self.tr("选择考核批次"), self.tr("导入到："), names, 0, False
        )
        return name if ok else None

    def run(
        self,
        title: str,
        work: Callable[[], Any],
        describe: Callable[[Any], str],
        changes: Changes | None = None,
    ) -> None:
        """``work`` off the GUI thread; its answer described, and what it changed (``changes``
        when the answer does not say) passed to every page."""
        busy = QProgressDialog(self.tr("正在处理，请稍候…"), "", 0, 0, self.window)
        busy.setWindowTitle(title)
        busy.setCancelButton(None)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(300)
        relay = ProgressRelay()  # rows read so far, from the worker to this thread
        busy.relay = relay  # type: ignore[attr-defined] - lives as long as the dialog

        def advanced(done: int, total: int) -> None:
            busy.setMaximum(total)
            busy.setValue(done)
            busy.setLabelText(self.tr("已读取 {done}/{total} 行").format(done=done, total=total))

        relay.advanced.connect(advanced)

        def done(result: Any) -> None:
            busy.close()
            self.refresh(changes if changes is not None else changes_in(result))
            QMessageBox.information(self.window, title, describe(value_of(result)))

        def failed(error: Exception) -> None:
            busy.close()
            if isinstance(error, WorkbookError):
                lines = [str(p) for p in error.problems[:20]]
                more = len(error.problems) - len(lines)
                text = "\n".join(lines) + (
                    self.tr("\n……另有 {more} 处").format(more=more) if more > 0 else ""
                )
                QMessageBox.warning(
                    self.window,
                    title,
                    self.tr("文件有 {n} 处问题，未写入任何数据：\n\n{text}").format(
                        n=len(error.problems), text=text
                    ),
                )
            elif isinstance(error, UserError):
                QMessageBox.warning(self.window, title, str(error))
            else:
                raise error  # a bug: the error dialog with details takes it from here

        def reading() -> Any:
            with reading_progress(relay.advanced.emit):
                return work()

        run_task(reading, done, failed)

    def _page(self, key: str, attribute: str) -> Any:
        """The page that imports with a preview, shown; None when this account has no such page
        (the service then refuses the import with the reason)."""
        page = getattr(self.window, attribute, None)
        if page is not None:
            self.window.show_page(key)  # type: ignore[attr-defined]
        return page

    def import_units(self) -> None:
        page = self._page("units", "units_page")
        if page is not None:
            page.import_list()  # the preview shows what changes before anything is written
            return
        path = self._file(self.tr("导入考核对象名单"))
        if path:
            self.run(
                self.tr("导入考核对象"),
                lambda: units.import_units(self.db, path),
                lambda s: self.tr(
                    "新增 {added} 个，更新 {updated} 个，未变 {unchanged} 个单位"
                ).format(added=s.added, updated=s.updated, unchanged=s.unchanged),
            )

    def import_framework(self) -> None:
        page = self._page("frameworks", "frameworks_page")
        if page is not None:
            page.import_file()  # the preview shows the tree and the rules read
            return
        path = self._file(self.tr("导入指标体系"))
        if not path:
            return
        name, ok = QInputDialog.getText(
            self.window, self.tr("指标体系名称"), self.tr("名称："), text=Path(path).stem
        )
        if ok and name.strip():
            self.run(
                self.tr("导入指标体系"),
                lambda: frameworks.import_framework(self.db, path, name),
                lambda i: self.tr("“{name}”：{areas} 个一级指标，{leaves} 个末级指标").format(
                    name=i.name, areas=i.areas, leaves=i.leaves
                ),
            )

    def import_scores(self) -> None:
        path = self._file(self.tr("导入评分表"))
        round_name = self._round() if path else None
        if path and round_name:
            self.run(
                self.tr("导入评分"),
                lambda: scores.import_scores(self.db, path, round_name),
                lambda s: "\n\n".join(s.lines()),  # with 代录 and over-the-points warnings
            )

    def import_satisfaction(self) -> None:
        path = self._file(self.tr("导入满意度测评结果"))
        round_name = self._round() if path else None
        if path and round_name:
            self.run(
                self.tr("导入满意度"),
                lambda: scores.import_satisfaction(self.db, path, round_name),
                lambda s: "\n\n".join(s.lines()),
            )

    def backup(self) -> None:
        self.run(
            self.tr("备份"),
            lambda: backups.manual_backup(self.db),
            lambda p: self.tr("已备份到 {p}").format(p=p),
            Changes.of(Topic.BACKUPS, Topic.CHANGE_LOG),
        )

    def demo(self) -> None:
        self.run(self.tr("生成演示数据"), lambda: build_demo(self.db), str, EVERYTHING)
