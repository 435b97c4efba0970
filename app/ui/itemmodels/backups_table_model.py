"""The backups in the backup folder: when, why, how big, which rounds they hold."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from app.services.maintenance.backups import BackupInfo
from app.ui.itemmodels.rows_model import RowsTableModel

SIZE_COLUMN = 2


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


class BackupsTableModel(RowsTableModel[BackupInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "备份时间"),
        QT_TRANSLATE_NOOP("RowsTableModel", "原因"),
        QT_TRANSLATE_NOOP("RowsTableModel", "大小"),
        QT_TRANSLATE_NOOP("RowsTableModel", "包含的考核批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
    )

    def display(self, row: BackupInfo, column: int) -> str:
        return (
            f"{row.when:%Y-%m-%d %H:%M:%S}",
            row.reason,
            size_text(row.size),
            "、".join(row.rounds) or "—",
            row.path.name,
        )[column]

    def other_role(self, row: BackupInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
