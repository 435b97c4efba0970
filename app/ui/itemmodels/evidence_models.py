"""The evidence tables: each unit's progress in a round, what the units owe, a returned package
per leaf and per file (the preview before an import), and one leaf's files (the panel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor

from app.services.evidence.listing import submitted
from app.services.evidence.overview import OwedItem, UnitOverview
from app.services.evidence.package_check import (
    NEW,
    REPLACED,
    WITHDRAWN,
    CheckedPackage,
    FileInPackage,
    LeafInPackage,
)
from app.services.evidence.reviews import ReturnedItem
from app.services.evidence.unit_state import HeldFile
from app.timefmt import local_time
from app.ui.itemmodels.rows_model import RowsTableModel

RED, GREEN, BLUE, GREY = QColor("#b00020"), QColor("#1b5e20"), QColor("#0d47a1"), QColor("#777")
STATUS_COLOURS = {NEW: GREEN, REPLACED: BLUE, WITHDRAWN: RED}
# The services' words for a file's change, translated where they are shown.
STATUS_WORDS = (
    QT_TRANSLATE_NOOP("evidence", "新增"),
    QT_TRANSLATE_NOOP("evidence", "替换"),
    QT_TRANSLATE_NOOP("evidence", "撤回"),
    QT_TRANSLATE_NOOP("evidence", "不变"),
)


def size_text(size: int) -> str:
    if size >= 1024 * 1024 * 1024:
        return f"{size / 1024 / 1024 / 1024:.2f} GB"
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(round(size / 1024), 1 if size else 0)} KB"


def _right(column: int, columns: tuple[int, ...], role: int) -> Any:
    if role == Qt.ItemDataRole.TextAlignmentRole and column in columns:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return None


class UnitOverviewModel(RowsTableModel[UnitOverview]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "适用指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "有材料的指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "大小"),
        QT_TRANSLATE_NOOP("RowsTableModel", "认可"),
        QT_TRANSLATE_NOOP("RowsTableModel", "待审核"),
        QT_TRANSLATE_NOOP("RowsTableModel", "退回补充"),
        QT_TRANSLATE_NOOP("RowsTableModel", "其中逾期"),
        QT_TRANSLATE_NOOP("RowsTableModel", "最近交回"),
    )

    def display(self, row: UnitOverview, column: int) -> str:
        last = (
            f"{local_time(row.last_package):%Y-%m-%d %H:%M}"
            if row.last_package
            else QCoreApplication.translate("evidence", "未交回")
        )
        return (
            row.unit,
            str(row.leaves),
            str(row.with_files),
            str(row.files),
            size_text(row.size),
            str(row.accepted),
            str(row.pending),
            str(row.returned),
            str(row.overdue),
            last,
        )[column]

    def sort_key(self, row: UnitOverview, column: int) -> Any:
        numbers = (None, row.leaves, row.with_files, row.files, row.size, row.accepted)
        numbers += (row.pending, row.returned, row.overdue)
        if 0 < column < len(numbers):
            return numbers[column]
        return super().sort_key(row, column)

    def other_role(self, row: UnitOverview, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 8 and row.overdue:
                return RED
            if column == 9 and row.last_package is None:
                return GREY
        return _right(column, tuple(range(1, 9)), role)


class ReturnedModel(RowsTableModel[ReturnedItem]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "缺少的材料"),
        QT_TRANSLATE_NOOP("RowsTableModel", "补充期限"),
    )

    def display(self, row: ReturnedItem, column: int) -> str:
        due = str(row.due or "")
        if row.overdue:
            due = QCoreApplication.translate("evidence", "{due}（已逾期）").format(due=due)
        return (row.unit, f"{row.leaf} {row.leaf_name}", row.missing, due)[column]

    def other_role(self, row: ReturnedItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and row.overdue:
            return RED
        return None


class OwedModel(RowsTableModel[OwedItem]):
    """The home page's list: what the units still owe, in every open round."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "考核批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "缺少的材料"),
        QT_TRANSLATE_NOOP("RowsTableModel", "补充期限"),
    )

    def display(self, row: OwedItem, column: int) -> str:
        item = row.item
        due = str(item.due or "")
        if item.overdue:
            due = QCoreApplication.translate("evidence", "{due}（已逾期）").format(due=due)
        return (row.round_name, item.unit, f"{item.leaf} {item.leaf_name}", item.missing, due)[
            column
        ]

    def other_role(self, row: OwedItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and row.item.overdue:
            return RED
        return None


def package_state(package: CheckedPackage) -> str:
    """What becomes of one package, in the clerk's words."""
    if package.refused:
        return QCoreApplication.translate("evidence", "有 {n} 处问题，不导入").format(
            n=len(package.problems)
        )
    if not package.changed:
        return QCoreApplication.translate("evidence", "与已导入的内容相同，无需导入")
    return QCoreApplication.translate("evidence", "无误，可导入")


class PackageModel(RowsTableModel[CheckedPackage]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "材料包"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "变化的指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "新增"),
        QT_TRANSLATE_NOOP("RowsTableModel", "替换"),
        QT_TRANSLATE_NOOP("RowsTableModel", "撤回"),
        QT_TRANSLATE_NOOP("RowsTableModel", "大小"),
    )

    def display(self, row: CheckedPackage, column: int) -> str:
        if column >= 3 and row.refused:
            return ""
        return (
            row.source.name,
            row.unit or "—",
            package_state(row),
            str(len(row.changed)),
            str(row.count(NEW)),
            str(row.count(REPLACED)),
            str(row.count(WITHDRAWN)),
            size_text(row.size),
        )[column]

    def other_role(self, row: CheckedPackage, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return RED if row.refused else GREEN if row.changed else GREY
        return _right(column, (3, 4, 5, 6, 7), role)


def _score(leaf: LeafInPackage) -> str:
    if leaf.score == leaf.score_before:
        return leaf.score or "—"
    return f"{leaf.score_before or '—'} → {leaf.score or '—'}"


def leaf_change(leaf: LeafInPackage) -> str:
    """The leaf's change in a few words: 自评分、说明 and the files by status."""
    parts = []
    if leaf.score != leaf.score_before:
        parts.append(QCoreApplication.translate("evidence", "自评分"))
    if leaf.note != leaf.note_before:
        parts.append(QCoreApplication.translate("evidence", "说明"))
    for status in (NEW, REPLACED, WITHDRAWN):
        count = sum(1 for f in leaf.files if f.status == status)
        if count:
            parts.append(f"{QCoreApplication.translate('evidence', status)} {count}")
    return "、".join(parts) or QCoreApplication.translate("evidence", "不变")


class LeafChangeModel(RowsTableModel[LeafInPackage]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "编码"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "自评分"),
        QT_TRANSLATE_NOOP("RowsTableModel", "自评说明"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "变化"),
    )

    def display(self, row: LeafInPackage, column: int) -> str:
        present = [f for f in row.files if f.status != WITHDRAWN]
        files = f"{len(present)}（{size_text(sum(f.size for f in present))}）" if present else "—"
        return (row.code, row.name, _score(row), row.note, files, leaf_change(row))[column]

    def other_role(self, row: LeafInPackage, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and row.changed:
            return BLUE
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.note:
            return row.note
        if role == Qt.ItemDataRole.ToolTipRole and row.returned:
            return QCoreApplication.translate("evidence", "曾退回补充：{text}").format(
                text=row.returned
            )
        return None


class PackageFileModel(RowsTableModel[FileInPackage]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "大小"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类型"),
        QT_TRANSLATE_NOOP("RowsTableModel", "变化"),
    )

    def display(self, row: FileInPackage, column: int) -> str:
        status = QCoreApplication.translate("evidence", row.status)
        return (row.name, size_text(row.size), row.kind or "—", status)[column]

    def other_role(self, row: FileInPackage, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return STATUS_COLOURS.get(row.status, GREY)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"SHA-256 {row.sha256}"
        return _right(column, (1,), role)


class HeldFileModel(RowsTableModel[HeldFile]):
    """One leaf's files in the panel beside the grid."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
        QT_TRANSLATE_NOOP("RowsTableModel", "大小"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类型"),
    )

    def display(self, row: HeldFile, column: int) -> str:
        return (row.name, size_text(row.size), row.kind)[column]

    def other_role(self, row: HeldFile, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("evidence", "提交：{who}\nSHA-256 {sha}").format(
                who=submitted(row), sha=row.sha256
            )
        return _right(column, (1,), role)
