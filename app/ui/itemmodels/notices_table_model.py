"""Issued notices: number, type, unit, dates, status."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.models.enums import NoticeStatus
from app.services.publishing.notice_register import NoticeInfo
from app.ui.itemmodels.rows_model import RowsTableModel


class NoticesTableModel(RowsTableModel[NoticeInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "文号"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类型"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "成文日期"),
        QT_TRANSLATE_NOOP("RowsTableModel", "方案期限"),
        QT_TRANSLATE_NOOP("RowsTableModel", "完成期限"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
    )

    def display(self, row: NoticeInfo, column: int) -> str:
        return (
            row.number,
            row.kind,
            row.unit,
            row.issued_on.isoformat(),
            row.plan_due.isoformat() if row.plan_due else "",
            row.result_due.isoformat() if row.result_due else "",
            row.status + (f"（{row.withdraw_reason}）" if row.withdraw_reason else ""),
            row.pdf_name,
        )[column]

    def other_role(self, row: NoticeInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.status == NoticeStatus.WITHDRAWN:
            return QColor("#9e9e9e")
        return None
