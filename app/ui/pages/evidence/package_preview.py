"""The returned packages as checked, before anything is written (the pattern of the offline
workbooks' batch preview): each package with its unit and state; for the chosen one, each
indicator's self-score, note, files and what changed, and each file's size and change (新增 /
替换 / 不变 / 撤回); a refused package's problems named. 导入 applies the good ones, each all or
nothing; the others are left out."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence.package_check import CheckedPackage, LeafInPackage
from app.ui.itemmodels.evidence_models import (
    LeafChangeModel,
    PackageFileModel,
    PackageModel,
    size_text,
)
from app.ui.itemmodels.rows_model import RowsTableModel


def importable(packages: list[CheckedPackage]) -> list[CheckedPackage]:
    """The packages worth applying: no problem, and something changes."""
    return [p for p in packages if not p.refused and p.changed]


def _table(model: RowsTableModel, stretch: int) -> QTableView:  # type: ignore[type-arg]
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class PackagePreviewDialog(QDialog):
    def __init__(self, packages: list[CheckedPackage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入自评包预览（尚未写入任何数据）"))
        self.checked = packages
        self.packages = PackageModel(self)
        self.packages.set_rows(packages)
        self.leaves = LeafChangeModel(self)
        self.files = PackageFileModel(self)
        self.changed_only = QCheckBox(self.tr("只看有变化的指标"))
        self.changed_only.setChecked(True)
        self.packages_view = _table(self.packages, 2)
        self.leaves_view = _table(self.leaves, 3)
        self.files_view = _table(self.files, 0)
        self.leaf_caption = QLabel()
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setStyleSheet("color: #b00020")
        self.apply_button = self._buttons(len(importable(packages)))
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.leaf_caption)
        details_layout.addWidget(self.problems, 1)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.addWidget(self.leaves_view)
        inner.addWidget(self.files_view)
        inner.setSizes([640, 420])
        details_layout.addWidget(inner, 3)
        details_layout.addWidget(self.changed_only)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(self.packages_view)
        outer.addWidget(details)
        outer.setSizes([200, 460])
        summary = QLabel(self._summary(packages))
        summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(outer, 1)
        layout.addWidget(self.button_box)
        self.resize(1120, 720)
        self.packages_view.selectionModel().currentRowChanged.connect(self._package_chosen)
        self.leaves_view.selectionModel().currentRowChanged.connect(self._leaf_chosen)
        self.changed_only.toggled.connect(lambda _on: self._show_package(self.current()))
        if packages:
            self.packages_view.selectRow(0)

    def _summary(self, packages: list[CheckedPackage]) -> str:
        good = importable(packages)
        same = sum(1 for p in packages if not p.refused and not p.changed)
        refused = sum(1 for p in packages if p.refused)
        text = self.tr(
            "{n} 个材料包：{g} 个无误可导入（共 {l} 个指标有变化，{s}），"
            "{same} 个与已导入的相同，{r} 个有问题不导入。"
        ).format(
            n=len(packages),
            g=len(good),
            l=sum(len(p.changed) for p in good),
            s=size_text(sum(p.size for p in good)),
            same=same,
            r=refused,
        )
        if refused:
            text += self.tr("有问题的材料包整包不导入：请单位改正后重新交回。")
        return text

    def _buttons(self, good: int) -> QPushButton:
        self.button_box = QDialogButtonBox()
        self.button_box.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        apply = self.button_box.addButton(
            self.tr("导入 {n} 个无误的包").format(n=good),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        apply.setEnabled(good > 0)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        return apply

    def current(self) -> CheckedPackage | None:
        return self.packages.row_at(self.packages_view.currentIndex().row())

    def _package_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_package(self.packages.row_at(current.row()))

    def _show_package(self, package: CheckedPackage | None) -> None:
        refused = package is not None and package.refused
        self.problems.setVisible(refused)
        self.problems.setPlainText("\n".join(package.problems) if package and refused else "")
        leaves: list[LeafInPackage] = []
        if package is not None:
            leaves = package.changed if self.changed_only.isChecked() else list(package.leaves)
        self.leaves.set_rows(leaves)
        if package is None:
            self.leaf_caption.clear()
        elif refused:
            self.leaf_caption.setText(
                self.tr("“{name}”有以下问题，整包不导入：").format(name=package.source.name)
            )
        else:
            self.leaf_caption.setText(
                self.tr("{unit}：{n} 个指标有变化（共 {all} 个指标）").format(
                    unit=package.unit, n=len(package.changed), all=len(package.leaves)
                )
            )
        self.files.set_rows([])
        if leaves:
            self.leaves_view.selectRow(0)

    def _leaf_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        leaf = self.leaves.row_at(current.row())
        self.files.set_rows(list(leaf.files) if leaf else [])


def confirm_packages(parent: QWidget, packages: list[CheckedPackage]) -> bool:
    return bool(PackagePreviewDialog(packages, parent).exec())
