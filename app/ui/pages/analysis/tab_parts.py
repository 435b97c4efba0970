"""What the 分析 page's three tabs share: the sentences on top, a table view, the chart beside
it, the line that says what happened, and saving a workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from app.errors import UserError
from app.filenames import file_part
from app.ui.status_line import StatusLine


def sentences_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("QLabel { background: #f5f7fa; padding: 6px; }")
    return label


def show_sentences(label: QLabel, sentences: list[str]) -> None:
    label.setText("\n".join(sentences))


def table_view(model: Any, sortable: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    # No sort until a header is clicked: rows come in the published order.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(sortable)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def save_workbook(
    parent: QWidget,
    message: StatusLine,
    title: str,
    suggested: str,
    write: Callable[[Path], Path],
    path: str | None = None,
) -> Path | None:
    """Ask where (unless ``path`` is given), write, and say what happened; a file open in
    Excel/WPS is said in words."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            parent, title, f"{file_part(suggested)}.xlsx", parent.tr("Excel 工作簿 (*.xlsx)")
        )
    if not path:
        return None
    try:
        written = write(Path(path))
    except UserError as error:
        message.refused(error)
        return None
    except OSError as error:
        message.say(
            parent.tr(
                "无法写入 {path}：{error}。如果文件在 Excel/WPS 中打开，请先关闭再重试。"
            ).format(path=path, error=error),
            error=True,
        )
        return None
    message.say(parent.tr("已导出到 {path}").format(path=written))
    return written
