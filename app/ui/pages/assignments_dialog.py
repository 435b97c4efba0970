"""分工 of a round: who scores which subtree for which units. The default (each leaf to the
assessor of its 牵头单位) is made with the round; here the office adds assessors and
assignments, or takes them away. 回避 is refused by the service, with the reason shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
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
    QListView,
    QPushButton,
    QRadioButton,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models.database import Database
from app.services.changes import changes_in
from app.services.entry.assignment_admin import (
    AssessorWork,
    add_assessor,
    list_assessors,
    round_tree,
    round_work,
    unassign,
)
from app.services.entry.assignments import assign
from app.services.review.objections import objection_choices
from app.services.rounds.lead_assignments import assign_by_lead, unassigned_leaves
from app.services.setup.units import list_units
from app.ui.itemmodels.rows_model import OBJECT_ROLE, RowsTableModel
from app.ui.status_line import StatusLine

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class AssessorWorkModel(RowsTableModel[AssessorWork]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "评分人"),
        QT_TRANSLATE_NOOP("RowsTableModel", "回避单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "评分格数"),
    )

    def display(self, row: AssessorWork, column: int) -> str:
        leaves = "、".join(row.leaves[:6]) + ("…" if len(row.leaves) > 6 else "")
        units = self.tr("全部") if row.units is None else "、".join(row.units)
        return (
            row.assessor,
            row.own_unit or "",
            self.tr("{n} 项：{leaves}").format(n=len(row.leaves), leaves=leaves),
            units,
            str(row.cells),
        )[column]


def checkable(text: str, data: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(data, CODE_ROLE)
    item.setCheckable(True)
    item.setEditable(False)
    return item


def checked(model: QStandardItemModel) -> list[str]:
    """Codes (or names) of the checked items; a checked parent stands for its subtree, so its
    children are not listed again."""
    found: list[str] = []

    def walk(parent: QStandardItem) -> None:
        for row in range(parent.rowCount()):
            item = parent.child(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(item.data(CODE_ROLE))
            else:
                walk(item)

    walk(model.invisibleRootItem())
    return found


class NewAssignmentDialog(QDialog):
    """An assessor, the subtrees they score, and all units or some."""

    def __init__(self, db: Database, round_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加分工"))
        self.assessor = QComboBox()
        self.assessor.addItems([a.name for a in list_assessors(db)])
        self.nodes = QStandardItemModel(self)
        self.nodes.setHorizontalHeaderLabels([self.tr("指标（勾选上级即含其全部下级）")])
        stack: list[QStandardItem] = [self.nodes.invisibleRootItem()]
        for node in round_tree(db, round_name):
            del stack[node.depth + 1 :]
            item = checkable(f"{node.code} {node.name}", node.code)
            stack[-1].appendRow(item)
            stack.append(item)
        tree = QTreeView()
        tree.setModel(self.nodes)
        tree.expandToDepth(0)
        self.units = QStandardItemModel(self)
        for name in objection_choices(db, round_name).units:
            self.units.appendRow(checkable(name, name))
        self.units_view = QListView()
        self.units_view.setModel(self.units)
        self.all_units = QRadioButton(self.tr("全部参评单位"))
        self.some_units = QRadioButton(self.tr("只评勾选的单位"))
        self.all_units.setChecked(True)
        self.units_view.setEnabled(False)
        self.some_units.toggled.connect(self.units_view.setEnabled)
        form = QFormLayout()
        form.addRow(self.tr("评分人"), self.assessor)
        columns = QHBoxLayout()
        columns.addWidget(tree, 3)
        right = QVBoxLayout()
        right.addWidget(self.all_units)
        right.addWidget(self.some_units)
        right.addWidget(self.units_view, 1)
        columns.addLayout(right, 2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def values(self) -> dict[str, Any]:
        return {
            "assessor": self.assessor.currentText(),
            "leaves": checked(self.nodes),
            "units": None if self.all_units.isChecked() else checked(self.units),
        }


class AssessorDialog(QDialog):
    """A new 评分人: name, department, and the unit they belong to (never scored by them)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加评分人"))
        self.name = QLineEdit()
        self.department = QLineEdit()
        self.own_unit = QComboBox()
        self.own_unit.addItem(self.tr("（不属于任何考核对象）"), "")
        for unit in list_units(db):
            self.own_unit.addItem(unit.name, unit.name)
        form = QFormLayout(self)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("部门或考核组"), self.department)
        form.addRow(self.tr("所在单位（回避）"), self.own_unit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "department": self.department.text(),
            "own_unit": self.own_unit.currentData() or None,
        }


class AssignmentsDialog(QDialog):
    changes_made = Signal(object)  # Changes of each write, for the page to pass on

    def __init__(self, db: Database, round_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.round_name = round_name
        self.setWindowTitle(self.tr("分工 — {r}").format(r=round_name))
        self.model = AssessorWorkModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.message = StatusLine()
        note = QLabel(
            self.tr(
                "新建批次时按各指标的牵头单位自动分给该单位的评分人；当时还没有的评分人，"
                "添加后点“按牵头单位分工”。评分人不能给本单位评分（回避）；"
                "取消分工不删除已给的评分。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        self.open_leaves = QLabel()  # the leaves nobody scores yet, by 牵头单位
        self.open_leaves.setWordWrap(True)
        self.open_leaves.setStyleSheet("color: #b00020")
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("添加评分人…"), self.new_assessor),
            (self.tr("添加分工…"), self.new_assignment),
            (self.tr("取消所选评分人的分工"), self.remove_selected),
            (self.tr("按牵头单位分工"), self.assign_by_lead),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.open_leaves)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(1000, 520)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(round_work(self._db, self.round_name))
        open_leaves = unassigned_leaves(self._db, self.round_name)
        by_lead: dict[str, list[str]] = {}
        for leaf in open_leaves:
            by_lead.setdefault(leaf.lead or self.tr("未写牵头单位"), []).append(leaf.code)
        self.open_leaves.setText(
            self.tr("尚无评分人的指标 {n} 项：{where}").format(
                n=len(open_leaves),
                where="；".join(
                    f"{lead} {'、'.join(codes[:6])}{'…' if len(codes) > 6 else ''}"
                    for lead, codes in by_lead.items()
                ),
            )
            if open_leaves
            else ""
        )
        self.open_leaves.setVisible(bool(open_leaves))

    def assign_by_lead(self) -> None:
        self._do(
            lambda: assign_by_lead(self._db, self.round_name),
            self.tr("已按牵头单位分工（没有对应评分人的指标仍待分工）"),
        )

    def new_assessor(self, values: dict[str, Any] | None = None) -> None:
        if values is None:
            dialog = AssessorDialog(self._db, self)
            if not dialog.exec():
                return
            values = dialog.values()
        self._do(lambda: add_assessor(self._db, **values), self.tr("已添加评分人"))

    def new_assignment(self, values: dict[str, Any] | None = None) -> None:
        if values is None:
            dialog = NewAssignmentDialog(self._db, self.round_name, self)
            if not dialog.exec():
                return
            values = dialog.values()
        if not values["leaves"]:
            self.message.say(self.tr("请勾选要分配的指标"), error=True)
            return
        self._do(
            lambda: assign(
                self._db, self.round_name, values["assessor"], values["leaves"], values["units"]
            ),
            self.tr("已为“{a}”添加分工").format(a=values["assessor"]),
        )

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.say(self.tr("请先选中一位评分人"), error=True)
            return
        work: AssessorWork = rows[0].data(OBJECT_ROLE)
        self._do(
            lambda: unassign(self._db, self.round_name, work.assessor),
            self.tr("已取消“{a}”的分工（已给的评分保留）").format(a=work.assessor),
        )

    def _do(self, action: Any, done: str) -> None:
        try:
            changes = changes_in(action())
        except UserError as error:
            self.message.refused(error)
            return
        self.reload()
        self.changes_made.emit(changes)
        self.message.say(done)
