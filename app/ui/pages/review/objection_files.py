"""The units' 初步结果 files with their objections, shown before anything is written: every
file with its unit and state, each objection it would add (or has added before), and each
problem of a refused file with its cell. Applying records the good files; a bad one is named,
not guessed at."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.itemmodels.rows_model import RowsTableModel

if TYPE_CHECKING:  # the service loads openpyxl: only when a workbook is read
    from app.services.review.objection_import import ObjectionFile


@dataclass(frozen=True)
class PreviewLine:
    """One line of the preview: an objection of a file, a problem of it, or the file alone."""

    file: str
    unit: str
    state: str
    where: str
    leaf: str
    score: str
    requested: str
    text: str  # the reason, or what is wrong
    problem: bool = False


class ObjectionFilesModel(RowsTableModel[PreviewLine]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "位置"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "现得分"),
        QT_TRANSLATE_NOOP("RowsTableModel", "申请分值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "申辩理由 / 问题"),
    )

    def display(self, row: PreviewLine, column: int) -> str:
        return (
            row.file,
            row.unit,
            row.state,
            row.where,
            row.leaf,
            row.score,
            row.requested,
            row.text,
        )[column]

    def other_role(self, row: PreviewLine, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and row.problem:
            return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 7):  # long names and reasons
            return self.display(row, column)
        return None


def _number(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


class ObjectionFilesDialog(QDialog):
    """The preview; accepted, the caller imports the good files."""

    def __init__(self, files: list[ObjectionFile], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入单位申辩预览（尚未写入任何数据）"))
        self.model = ObjectionFilesModel(self)
        self.model.set_rows([line for file in files for line in self._lines(file)])
        table = QTableView()
        table.setModel(self.model)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(0, 200)  # file names are long: elided, whole in the tooltip
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.resizeRowsToContents()
        self.adding = sum(len(f.new) for f in files)
        good = [f for f in files if not f.refused]
        refused = [f for f in files if f.refused]
        lines = [
            self.tr("{f} 个文件：{g} 个可导入，共新增申辩 {n} 条。").format(
                f=len(files), g=len(good), n=self.adding
            )
        ]
        if refused:
            lines.append(
                self.tr("{r} 个文件有问题，不导入（见表中红色各行，改正后再导入）：{names}").format(
                    r=len(refused), names="、".join(f.path.name for f in refused)
                )
            )
        if not self.adding:
            lines.append(self.tr("没有可新增的申辩，导入不会改变任何数据。"))
        self.summary = QLabel("\n".join(lines))
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button = buttons.addButton(
            self.tr("导入可导入的申辩"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(self.adding > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(1100, 560)

    def _lines(self, file: ObjectionFile) -> list[PreviewLine]:
        name = file.path.name
        if file.refused:
            state = self.tr("有问题，不导入")
            return [
                PreviewLine(
                    name,
                    file.unit,
                    state,
                    self._where(p.location.row, p.location.column),
                    "",
                    "",
                    "",
                    p.message,
                    problem=True,
                )
                for p in file.problems
            ]
        if not file.objections:
            return [PreviewLine(name, file.unit, self.tr("无申辩"), "", "", "", "", "")]
        return [
            PreviewLine(
                name,
                file.unit,
                self.tr("已导入，跳过") if o.recorded else self.tr("将新增"),
                self._where(o.row, None),
                f"{o.leaf} {o.leaf_name}",
                _number(o.score),
                "" if o.requested is None else _number(o.requested),
                o.reason,
            )
            for o in file.objections
        ]

    def _where(self, row: int | None, column: str | None) -> str:
        if row is None:
            return ""
        if column is None:
            return self.tr("第 {r} 行").format(r=row)
        return self.tr("第 {r} 行 {c} 列").format(r=row, c=column)


def confirm_objection_files(parent: QWidget, files: list[ObjectionFile]) -> bool:
    return bool(ObjectionFilesDialog(files, parent).exec())
