"""Offline assessor workbooks from the window: one .xlsx per assessor out to a folder, and back
in with every change shown before it is written. A workbook with any problem (wrong round,
wrong assessor, edited structure, a value outside the rules) stops the whole import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import Location, SheetIssue, UserError, WorkbookError
from app.models.database import Database
from app.services.changes import Done, all_changes
from app.ui.itemmodels.rows_model import RowsTableModel

if TYPE_CHECKING:  # the service loads openpyxl: only when a workbook is read or written
    from app.services.entry.assessor_sheets import CellDiff


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
    )

    def display(self, row: FileDiff, column: int) -> str:
        d = row.diff
        return (row.file, d.unit, d.leaf, d.old, d.new, d.reason)[column]


def preview_files(db: Database, round_name: str, paths: list[str]) -> list[FileDiff]:
    """Every change the workbooks would make; raises WorkbookError with the problems of every
    workbook that has one, so the user fixes them all in one go."""
    from app.services.entry.assessor_sheets import preview_sheet

    found: list[FileDiff] = []
    problems: list[SheetIssue] = []
    for path in paths:
        try:
            diffs = preview_sheet(db, round_name, Path(path))
        except WorkbookError as error:
            problems += error.problems
            continue
        except UserError as error:
            problems.append(SheetIssue(Location(path), str(error)))
            continue
        found += [FileDiff(Path(path).name, d) for d in diffs]
    if problems:
        raise WorkbookError(problems)
    return found


def import_files(db: Database, round_name: str, paths: list[str]) -> Done[int]:
    """Apply the previewed workbooks (each in one transaction): the number of changed cells,
    and what they changed."""
    from app.services.entry.assessor_sheets import import_sheet

    done = [import_sheet(db, round_name, Path(path)) for path in paths]
    changes = all_changes(done)
    return Done(sum(len(d.value) for d in done), changes)


def export_all(db: Database, round_name: str, folder: str) -> list[Path]:
    from app.services.entry.assessor_sheets import export_sheets

    return export_sheets(db, round_name, Path(folder))


class SheetDiffDialog(QDialog):
    """The changes the chosen workbooks would make, before anything is written."""

    def __init__(self, diffs: list[FileDiff], files: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入评分表预览（尚未写入任何数据）"))
        self.model = SheetDiffModel(self)
        self.model.set_rows(diffs)
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        changed_units = len({(d.diff.unit) for d in diffs})
        summary = QLabel(
            self.tr("{f} 份评分表：{n} 格有变化，涉及 {u} 个单位。").format(
                f=files, n=len(diffs), u=changed_units
            )
            if diffs
            else self.tr("{f} 份评分表与已保存的评分完全相同，导入不会改变任何数据。").format(
                f=files
            )
        )
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button = buttons.addButton(
            self.tr("导入这些变化"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(bool(diffs))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(960, 560)


def confirm_diffs(parent: QWidget, diffs: list[FileDiff], files: int) -> bool:
    dialog = SheetDiffDialog(diffs, files, parent)
    return bool(dialog.exec())
