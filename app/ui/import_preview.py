"""The preview shown before an import writes anything: the tree or unit list as it will be
saved, the rules read from 评分标准, and every problem by sheet, row and column. 导入 is only
possible when no problem blocks; the user then chooses the name, or whether to deactivate
units the new list no longer names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.setup.framework_import import FrameworkPreview, PreviewProblem
from app.services.setup.frameworks import tree_of_records
from app.services.setup.unit_import import UnitPreview
from app.ui.itemmodels.framework_tree_model import NAME, STANDARD, FrameworkTreeModel
from app.ui.itemmodels.rows_model import RowsTableModel

READ_OTHER_SHEET = 2  # the dialog's result when the user picked another worksheet to read


class TupleTableModel(RowsTableModel[tuple]):  # type: ignore[type-arg]
    """Rows of plain strings under the given headers, each marked
    QT_TRANSLATE_NOOP("RowsTableModel", …) by the caller."""

    def __init__(self, columns: tuple[str, ...], rows: list[tuple], parent: Any = None) -> None:  # type: ignore[type-arg]
        super().__init__(parent)
        self.COLUMNS = columns
        self.set_rows(rows)

    def display(self, row: tuple, column: int) -> str:  # type: ignore[type-arg]
        return str(row[column])

    def other_role(self, row: tuple, column: int, role: int) -> Any:  # type: ignore[type-arg]
        if role == Qt.ItemDataRole.ForegroundRole and row and row[0] == "错误":
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None


def problem_rows(problems: list[PreviewProblem]) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (p.kind, p.sheet or "", p.row or "", p.column or "", p.message)
        for p in sorted(problems, key=lambda p: (not p.blocking, p.passed_over, p.row or 0))
    ]


def _table(model: RowsTableModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(True)
    view.resizeColumnsToContents()
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ImportPreviewDialog(QDialog):
    def __init__(
        self,
        preview: FrameworkPreview | UnitPreview,
        parent: QWidget | None = None,
        *,
        name: str = "",
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(self.tr("导入预览（尚未写入任何数据）"))
        self.resize(1000, 620)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.name_edit = QLineEdit(name)
        self.replace_box = QCheckBox(self.tr("覆盖同名指标体系"))
        self.deactivate_box = QCheckBox()
        self.other_sheet: str | None = None  # set when the user asks to read another sheet
        form = QFormLayout()
        if len(preview.sheets) > 1:
            self.sheet_box = QComboBox()
            self.sheet_box.addItems(preview.sheets)
            self.sheet_box.setCurrentText(preview.sheet)
            self.sheet_box.setToolTip(self.tr("换一个工作表重新读取（仍不写入任何数据）"))
            self.sheet_box.textActivated.connect(self._read_other_sheet)
            form.addRow(self.tr("读取的工作表："), self.sheet_box)
        self.problems_model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "类型"),
                QT_TRANSLATE_NOOP("RowsTableModel", "工作表"),
                QT_TRANSLATE_NOOP("RowsTableModel", "行"),
                QT_TRANSLATE_NOOP("RowsTableModel", "列"),
                QT_TRANSLATE_NOOP("RowsTableModel", "说明"),
            ),
            problem_rows(preview.problems),
            self,
        )
        if isinstance(preview, FrameworkPreview):
            self._framework_tabs(preview)
            form.addRow(self.tr("指标体系名称："), self.name_edit)
            form.addRow("", self.replace_box)
        else:
            self._unit_tabs(preview)
            if preview.missing:
                in_rounds = sum(1 for m in preview.missing if m.in_rounds)
                self.deactivate_box.setText(
                    self.tr(
                        "停用名单中没有的 {n} 个单位（其中 {r} 个已参加考核批次；不删除，评分保留）"
                    ).format(n=len(preview.missing), r=in_rounds)
                )
                form.addRow("", self.deactivate_box)
        self.tabs.addTab(
            _table(self.problems_model),
            self.tr("问题（{n}）").format(n=len(preview.problems)),
        )
        if preview.blocking:
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button = self.buttons.addButton(
            self.tr("仍然导入") if preview.warnings else self.tr("导入"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.import_button.setEnabled(preview.can_import)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._summarise()

    def _framework_tabs(self, preview: FrameworkPreview) -> None:
        self.tree_model = FrameworkTreeModel(self)
        self.tree_model.set_tree(tree_of_records(preview.roots))
        tree = QTreeView()
        tree.setModel(self.tree_model)
        tree.expandToDepth(0)
        tree.setColumnWidth(NAME, 300)
        tree.header().setSectionResizeMode(STANDARD, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(tree, self.tr("指标树"))
        self.rules_model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "编码"),
                QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
                QT_TRANSLATE_NOOP("RowsTableModel", "识别结果"),
            ),
            [(r.code, r.name, r.note) for r in preview.rules],
            self,
        )
        self.tabs.addTab(
            _table(self.rules_model),
            self.tr("按评分标准识别的规则（{n}）").format(n=len(preview.rules)),
        )

    def _unit_tabs(self, preview: UnitPreview) -> None:
        rows = [
            (
                r.status,
                r.record.name,
                r.record.category or "",
                r.record.short_name or "",
                r.record.source.row,
                r.changes,
            )
            for r in preview.rows
        ]
        self.units_model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "处理"),
                QT_TRANSLATE_NOOP("RowsTableModel", "单位名称"),
                QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
                QT_TRANSLATE_NOOP("RowsTableModel", "简称"),
                QT_TRANSLATE_NOOP("RowsTableModel", "行"),
                QT_TRANSLATE_NOOP("RowsTableModel", "变化"),
            ),
            rows,
            self,
        )
        self.tabs.addTab(_table(self.units_model), self.tr("单位名单（{n}）").format(n=len(rows)))
        missing = [
            (
                m.name,
                m.category or "",
                self.tr("在用") if m.active else self.tr("停用"),
                self.tr("是") if m.in_rounds else self.tr("否"),
            )
            for m in preview.missing
        ]
        if missing:
            self.missing_model = TupleTableModel(
                (
                    QT_TRANSLATE_NOOP("RowsTableModel", "单位名称"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "现状"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "已参加考核"),
                ),
                missing,
                self,
            )
            self.tabs.addTab(
                _table(self.missing_model),
                self.tr("名单中没有的单位（{n}）").format(n=len(missing)),
            )

    def _summarise(self) -> None:
        preview = self.preview
        blocking = len(preview.blocking)
        hints = len(preview.warnings)
        passed_over = len(preview.problems) - blocking - hints
        if isinstance(preview, FrameworkPreview):
            text = self.tr("工作表“{sheet}”：{a} 个一级指标，{l} 个末级指标，合计 {p} 分。").format(
                sheet=preview.sheet,
                a=preview.areas,
                l=preview.leaves,
                p=f"{preview.points.normalize():f}",
            )
        else:
            text = self.tr("工作表“{sheet}”：新增 {a} 个，更新 {u} 个，未变 {s} 个单位。").format(
                sheet=preview.sheet,
                a=preview.count("新增"),
                u=preview.count("更新"),
                s=preview.count("未变"),
            )
            if preview.new_categories:
                text += self.tr("将新建类别：{c}。").format(c="、".join(preview.new_categories))
        if blocking:
            text += self.tr(" 有 {b} 处错误必须先在文件中改正，才能导入。").format(b=blocking)
        elif hints:
            text += self.tr(" 有 {h} 条提示（不影响导入，请核对）。").format(h=hints)
        if passed_over:
            text += self.tr(
                " 跳过 {n} 行非单位/非指标的行（合计、说明、分组标题，见“问题”）。"
            ).format(n=passed_over)
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b00020" if blocking else "")

    def _read_other_sheet(self, name: str) -> None:
        if name != self.preview.sheet:
            self.other_sheet = name
            self.done(READ_OTHER_SHEET)

    def choices(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text().strip(),
            "replace": self.replace_box.isChecked(),
            "deactivate_missing": self.deactivate_box.isChecked(),
            "other_sheet": self.other_sheet,
        }
