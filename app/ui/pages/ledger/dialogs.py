"""The ledger page's dialogs: the problems a list would add (before anything is written), the
statistics with their chart and exports, and carrying overdue problems into the next round."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.entry.grid_data import load_grid
from app.services.ledger.carryover import CarriedUnit, plan_carry_over
from app.services.ledger.exchange import ListPreview
from app.services.ledger.progress_import import ProgressChange
from app.services.rounds.definition import list_rounds
from app.ui.import_preview import TupleTableModel
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task


def _table(model: Any, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _buttons(dialog: QDialog, accept: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    box.addButton(
        QCoreApplication.translate("ledger_dialogs", "取消"), QDialogButtonBox.ButtonRole.RejectRole
    )
    box.ok = box.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ProblemListDialog(QDialog):
    """The new problems an office's list would register, and those already in the ledger."""

    def __init__(self, preview: ListPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入台账预览（尚未写入任何数据）"))
        rows = [
            (
                p.origin.row,
                p.unit,
                p.source,
                p.description,
                p.due.isoformat() if p.due else "",
                p.status,
            )
            for p in preview.new
        ]
        self.model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "行"),
                QT_TRANSLATE_NOOP("RowsTableModel", "责任单位"),
                QT_TRANSLATE_NOOP("RowsTableModel", "来源"),
                QT_TRANSLATE_NOOP("RowsTableModel", "问题描述"),
                QT_TRANSLATE_NOOP("RowsTableModel", "完成期限"),
                QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
            ),
            rows,
            self,
        )
        summary = QLabel(
            self.tr("将登记 {n} 个新问题").format(n=len(preview.new))
            + (
                self.tr("；另有 {a} 个此前已导入，不再重复登记").format(a=len(preview.already))
                if preview.already
                else ""
            )
        )
        buttons = _buttons(self, self.tr("登记这些问题"))
        buttons.ok.setEnabled(bool(preview.new))  # type: ignore[attr-defined]
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(_table(self.model, 3), 1)
        layout.addWidget(buttons)
        self.resize(980, 560)


class ProgressDialog(QDialog):
    """The progress a returned ledger would record, and how each status moves."""

    def __init__(self, changes: list[ProgressChange], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入整改进展预览（尚未写入任何数据）"))
        rows = [
            (c.number, c.unit, c.text, c.evidence, f"{c.status_before} → {c.status_after}")
            for c in changes
        ]
        self.model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "编号"),
                QT_TRANSLATE_NOOP("RowsTableModel", "责任单位"),
                QT_TRANSLATE_NOOP("RowsTableModel", "整改进展"),
                QT_TRANSLATE_NOOP("RowsTableModel", "佐证材料"),
                QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
            ),
            rows,
            self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("将记录 {n} 条整改进展：").format(n=len(changes))))
        layout.addWidget(_table(self.model, 2), 1)
        layout.addWidget(_buttons(self, self.tr("记录这些进展")))
        self.resize(980, 520)


class LedgerStatsDialog(QDialog):
    """统计: the sentence for the annual report, the views as tables, a chart, the exports."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services.ledger.statistics import ledger_report

        self._db = db
        self.setWindowTitle(self.tr("整改台账统计"))
        self.report = ledger_report(db)
        self.sentence = QLabel(self.report.sentence())
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-weight: bold")
        self.tabs = QTabWidget()
        for title, column, table in (
            (self.tr("按单位"), QT_TRANSLATE_NOOP("RowsTableModel", "单位"), self.report.by_unit),
            (self.tr("按来源"), QT_TRANSLATE_NOOP("RowsTableModel", "来源"), self.report.by_source),
            (self.tr("按领域"), QT_TRANSLATE_NOOP("RowsTableModel", "领域"), self.report.by_area),
        ):
            model = TupleTableModel(
                (
                    column,
                    QT_TRANSLATE_NOOP("RowsTableModel", "发现问题"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "已销号"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "整改率"),
                    QT_TRANSLATE_NOOP("RowsTableModel", "逾期"),
                ),
                [(k, t.found, t.closed, t.rate_text, t.overdue) for k, t in table.items()],
                self,
            )
            self.tabs.addTab(_table(model, 0), title)
        months = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "月份"),
                QT_TRANSLATE_NOOP("RowsTableModel", "当月发现"),
                QT_TRANSLATE_NOOP("RowsTableModel", "当月销号"),
            ),
            [(m, t.found, t.closed) for m, t in self.report.by_month.items()],
            self,
        )
        self.tabs.addTab(_table(months, 0), self.tr("按月份"))
        self.tabs.addTab(self._chart(), self.tr("图表"))
        self.message = StatusLine()
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("导出 Excel…"), self.export_xlsx),
            (self.tr("生成 PDF…"), self.export_pdf),
            (self.tr("另存为 Word…"), self.export_docx),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=slot: s())
            row.addWidget(button)
        row.addWidget(self.message, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sentence)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(900, 640)

    def _chart(self) -> QWidget:
        import os

        os.environ.setdefault("QT_API", "pyside6")
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from app.documents.charts import pyplot
        from app.documents.ledger_summary import charts_figure

        return FigureCanvasQTAgg(charts_figure(pyplot(), self.report))

    def export_xlsx(self, path: str | None = None) -> None:
        from app.services.ledger.statistics import export_ledger_report

        self._export(
            path, "整改台账统计.xlsx", self.tr("Excel 工作簿 (*.xlsx)"), export_ledger_report
        )

    def export_pdf(self, path: str | None = None) -> None:
        from app.services.ledger.statistics import ledger_report_pdf

        self._export(path, "整改台账统计.pdf", self.tr("PDF (*.pdf)"), ledger_report_pdf)

    def export_docx(self, path: str | None = None) -> None:
        """The same tables and charts as the PDF, as an editable .docx."""
        from app.services.ledger.statistics import ledger_report_docx

        self._export(path, "整改台账统计.docx", self.tr("Word 文档 (*.docx)"), ledger_report_docx)

    def _export(self, path: str | None, name: str, kind: str, write: Any) -> None:
        path = path or QFileDialog.getSaveFileName(self, self.tr("保存"), name, kind)[0]
        if not path:
            return
        self.message.say(self.tr("正在生成…"))
        run_task(
            lambda: write(self._db, path, self.report.today),
            lambda written: self.message.say(self.tr("已保存到 {p}").format(p=written)),
            self.message.refused,
        )


class CarryOverDialog(QDialog):
    """结转: the next round, its 扣分 leaf kept for the ledger, the points per overdue problem;
    the deductions are shown before they are written."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setWindowTitle(self.tr("结转到下一考核批次"))
        self.round_box = QComboBox()
        self.round_box.addItems(
            [
                r.name
                for r in list_rounds(db)
                if r.status in (RoundStatus.DRAFT, RoundStatus.SCORING)
            ]
        )
        self.leaf_box = QComboBox()
        self.per_problem = QDoubleSpinBox()
        self.per_problem.setRange(0.1, 100)
        self.per_problem.setSingleStep(0.5)
        self.per_problem.setValue(1)
        self.per_problem.setSuffix(self.tr(" 分/个"))
        self.model = TupleTableModel(
            (
                QT_TRANSLATE_NOOP("RowsTableModel", "责任单位"),
                QT_TRANSLATE_NOOP("RowsTableModel", "逾期问题"),
                QT_TRANSLATE_NOOP("RowsTableModel", "扣分"),
                QT_TRANSLATE_NOOP("RowsTableModel", "理由"),
            ),
            [],
            self,
        )
        self.message = StatusLine()
        self.plan: list[CarriedUnit] = []
        form = QFormLayout()
        form.addRow(self.tr("考核批次（草稿或评分中）"), self.round_box)
        form.addRow(self.tr("结转到的扣分指标"), self.leaf_box)
        form.addRow(self.tr("每个逾期问题扣"), self.per_problem)
        self.buttons = _buttons(self, self.tr("写入扣分"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_table(self.model, 3), 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.round_box.currentTextChanged.connect(lambda _t: self._fill_leaves())
        self.leaf_box.currentIndexChanged.connect(lambda _i: self.show_plan())
        self.per_problem.valueChanged.connect(lambda _v: self.show_plan())
        self._fill_leaves()

    def _fill_leaves(self) -> None:
        self.leaf_box.blockSignals(True)
        self.leaf_box.clear()
        name = self.round_box.currentText()
        if name:
            for leaf in load_grid(self._db, name).leaves:
                if leaf.method == "扣分":
                    text = self.tr("{code} {name}（{points}分）").format(
                        code=leaf.code, name=leaf.name, points=f"{leaf.points.normalize():f}"
                    )
                    self.leaf_box.addItem(text, leaf.code)
        self.leaf_box.blockSignals(False)
        self.show_plan()

    def choice(self) -> tuple[str, str, Decimal]:
        points = Decimal(str(round(self.per_problem.value(), 2)))
        return self.round_box.currentText(), self.leaf_box.currentData() or "", points

    def show_plan(self) -> None:
        round_name, leaf, per_problem = self.choice()
        self.plan = []
        if round_name and leaf:
            try:
                self.plan = plan_carry_over(
                    self._db, round_name, leaf, per_problem=per_problem, today=date.today()
                )
            except UserError as error:
                self.message.refused(error)
        hit = [p for p in self.plan if p.problems]
        self.model.set_rows(
            [(p.unit, len(p.problems), f"{p.deduction.normalize():f}", p.reason) for p in hit]
        )
        if not round_name:
            self.message.say(self.tr("没有草稿或评分中的考核批次"), error=True)
        elif self.plan:
            self.message.say(
                self.tr("{n} 个单位有逾期未整改问题将被扣分，其余 {m} 个单位此项不扣分").format(
                    n=len(hit), m=len(self.plan) - len(hit)
                )
            )
        self.buttons.ok.setEnabled(bool(self.plan))  # type: ignore[attr-defined]
