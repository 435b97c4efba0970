"""The list of rounds (考核批次) with their status and rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.services.rounds.definition import RoundInfo
from app.ui.itemmodels.rows_model import OBJECT_ROLE, RowsTableModel

__all__ = ["OBJECT_ROLE", "RoundsTableModel", "percent"]


def percent(value: Any) -> str:
    return "—" if value is None else f"{(value * 100).normalize():f}%"


class RoundsTableModel(RowsTableModel[RoundInfo]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "考核批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "年度"),
        QT_TRANSLATE_NOOP("RowsTableModel", "指标体系"),
        QT_TRANSLATE_NOOP("RowsTableModel", "状态"),
        QT_TRANSLATE_NOOP("RowsTableModel", "参评单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "满意度权重"),
        QT_TRANSLATE_NOOP("RowsTableModel", "优秀比例"),
        QT_TRANSLATE_NOOP("RowsTableModel", "靠后数"),
    )

    def set_rounds(self, rows: list[RoundInfo]) -> None:
        self.set_rows(rows)

    def round_at(self, row: int) -> RoundInfo | None:
        return self.row_at(row)

    def display(self, row: RoundInfo, column: int) -> str:
        rules = row.rules
        return (
            row.name,
            str(row.year),
            row.framework,
            row.status,
            str(row.units),
            percent(rules.satisfaction_weight),
            percent(rules.top_quota),
            str(rules.bottom_n),
        )[column]
