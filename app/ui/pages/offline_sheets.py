"""Offline assessor workbooks from the window: one .xlsx per assessor out to a folder, and back
in with every change shown before it is written. Each workbook of a batch stands alone: one
with a problem (wrong round, wrong assessor, edited structure, a value outside the rules) is
named with its cells and left out, the others can still be applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.services.changes import Done
from app.ui.itemmodels.rows_model import RowsTableModel

if TYPE_CHECKING:  # the service loads openpyxl: only when a workbook is read or written
    from app.services.entry.assessor_sheets import CellDiff
    from app.services.entry.sheet_batch import SheetCheck


@dataclass(frozen=True)
class FileDiff:
    file: str
    diff: CellDiff


class SheetDiffModel(RowsTableModel[FileDiff]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "评分表"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "原值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "新值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "理由"),
        QT_TRANSLATE_NOOP("RowsTableModel", "提醒"),
    )

    def display(self, row: FileDiff, column: int) -> str:
        d = row.diff
        return (row.file, d.unit, d.leaf, d.old, d.new, d.reason, d.warning)[column]


def file_state(check: SheetCheck) -> str:
    """What becomes of one workbook, in the clerk's words."""
    if check.refused:
        return QCoreApplication.translate("offline_sheets", "有 {n} 处问题，不导入").format(
            n=len(check.problems)
        )
    if not check.diffs:
        return QCoreApplication.translate("offline_sheets", "与已保存的评分相同，无需导入")
    return QCoreApplication.translate("offline_sheets", "可导入：{n} 格有变化").format(
        n=len(check.diffs)
    )


class SheetFileModel(RowsTableModel["SheetCheck"]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "评分表"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
    )

    def display(self, row: SheetCheck, column: int) -> str:
        return (row.path.name, file_state(row))[column]


def preview_files(db: Database, round_name: str, paths: list[str]) -> list[SheetCheck]:
    """Every workbook checked, nothing written: each with its changes or its problems."""
    from app.services.entry.sheet_batch import check_sheets

    return check_sheets(db, round_name, [Path(p) for p in paths])


def importable(checks: list[SheetCheck]) -> list[str]:
    """The workbooks worth applying: no problem, and something changes."""
    return [str(c.path) for c in checks if not c.refused and c.diffs]


def import_files(db: Database, round_name: str, paths: list[str]) -> Done[list[SheetCheck]]:
    """Apply the workbooks, each in its own transaction: each file's outcome, and what
    they changed."""
    from app.services.entry.sheet_batch import import_sheets

    return import_sheets(db, round_name, [Path(p) for p in paths])


def export_all(
    db: Database,
    round_name: str,
    folder: str,
    *,
    with_evidence: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """``with_evidence``: each assessor's cells' evidence files in a folder beside the
    workbook."""
    from app.services.entry.assessor_sheets import export_sheets

    return export_sheets(
        db,
        round_name,
        Path(folder),
        with_evidence=with_evidence,
        progress=progress,
        cancelled=cancelled,
    )


class SheetDiffDialog(QDialog):
    """Each chosen workbook's state, the changes the good ones would make, and the problems of
    the others, before anything is written."""

    def __init__(self, checks: list[SheetCheck], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入评分表预览（尚未写入任何数据）"))
        self.files = SheetFileModel(self)
        self.files.set_rows(checks)
        self.model = SheetDiffModel(self)
        good = [c for c in checks if not c.refused]
        diffs = [FileDiff(c.path.name, d) for c in good for d in c.diffs]
        self.model.set_rows(diffs)
        refused = [c for c in checks if c.refused]
        self.apply_button = self._buttons(len(importable(checks)))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self._summary(checks, diffs)))
        layout.addWidget(self._table(self.files, 1), 1)
        layout.addWidget(self._table(self.model, 5), 3)
        if refused:
            layout.addWidget(QLabel(self.tr("以下评分表有问题，不会导入（请改正后再导入）：")))
            self.problems = QPlainTextEdit("\n".join(str(p) for c in refused for p in c.problems))
            self.problems.setReadOnly(True)
            layout.addWidget(self.problems, 1)
        layout.addWidget(self.button_box)
        self.resize(960, 640)

    def _summary(self, checks: list[SheetCheck], diffs: list[FileDiff]) -> str:
        refused = sum(1 for c in checks if c.refused)
        text = self.tr("{f} 份评分表：{n} 格有变化，涉及 {u} 个单位。").format(
            f=len(checks), n=len(diffs), u=len({d.diff.unit for d in diffs})
        )
        if not diffs and not refused:
            text = self.tr("{f} 份评分表与已保存的评分完全相同，导入不会改变任何数据。").format(
                f=len(checks)
            )
        if refused:
            text += self.tr("其中 {r} 份有问题，不导入。").format(r=refused)
        return text

    def _table(self, model: RowsTableModel, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def _buttons(self, good: int) -> QPushButton:
        self.button_box = QDialogButtonBox()
        self.button_box.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        apply = self.button_box.addButton(
            self.tr("导入 {n} 份无误的评分表").format(n=good),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        apply.setEnabled(good > 0)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        return apply


def confirm_checks(parent: QWidget, checks: list[SheetCheck]) -> bool:
    dialog = SheetDiffDialog(checks, parent)
    return bool(dialog.exec())
