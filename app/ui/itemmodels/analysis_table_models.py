"""The 分析 page's tables. Each row is a row of the analysis' JSON (the figures as the command
line and the workbook give them), so the window shows exactly what is exported."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.services.analysis.links import StoredLink, describe
from app.ui.itemmodels.rows_model import RowsTableModel

Json = dict[str, Any]
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
UP, DOWN, WARN = QColor("#2e7d32"), QColor("#c62828"), QColor("#c62828")
TREND_ROLE = int(Qt.ItemDataRole.UserRole) + 40  # a unit's finals, oldest first (None: absent)


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _signed(value: int | None) -> str:
    return "—" if value is None else f"{value:+d}" if value else "0"


class ComparisonTableModel(RowsTableModel[Json]):
    """Per unit: final, rank and category rank in each round, their changes, how it was
    matched. The columns follow the rounds compared."""

    FIXED = (
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
    )
    CHANGES = (
        QT_TRANSLATE_NOOP("RowsTableModel", "得分变化"),
        QT_TRANSLATE_NOOP("RowsTableModel", "名次变化"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别名次变化"),
        QT_TRANSLATE_NOOP("RowsTableModel", "对应"),
    )

    TREND = QT_TRANSLATE_NOOP("RowsTableModel", "趋势")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.years: list[int] = []

    def set_comparison(self, data: Json | None) -> None:
        self.years = list(data["years"]) if data else []
        self.beginResetModel()
        trend = (self.TREND,) if len(self.years) >= 3 else ()  # a line needs three years
        self.COLUMNS = (*self.FIXED, *("",) * (3 * len(self.years)), *self.CHANGES, *trend)
        self.endResetModel()
        self.set_rows(data["units"] if data else [])

    @property
    def trend_column(self) -> int | None:
        """The column drawing each unit's finals over the years (three or more rounds)."""
        return len(self.COLUMNS) - 1 if len(self.years) >= 3 else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        n = len(self.years)
        shown = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if shown and 2 <= section < 2 + 3 * n:
            kind, index = divmod(section - 2, n)
            words = (
                self.tr("{year}年得分"),
                self.tr("{year}年名次"),
                self.tr("{year}年类别名次"),
            )
            return words[kind].format(year=self.years[index])
        return super().headerData(section, orientation, role)

    def display(self, row: Json, column: int) -> str:
        n = len(self.years)
        if column < 2:
            return row["unit"] if column == 0 else row["category"]
        if column < 2 + 3 * n:
            kind, index = divmod(column - 2, n)
            return _text(row[("final", "rank", "category_rank")[kind]][index])
        if column == self.trend_column:
            trend = row.get("trend")
            return "" if trend is None else self.tr("每年 {t}").format(t=trend)
        change = row["change"]
        return (
            _text(change["final"]),
            _signed(change["rank"]),
            _signed(change["category_rank"]),
            "；".join(
                f"{m['how']}：{'、'.join(m['from'])}"
                if m["from"] and m["how"] != "同名"
                else m["how"]
                for m in row["match"]
            ),
        )[column - 2 - 3 * n]

    def sort_key(self, row: Json, column: int) -> Any:
        text = self.display(row, column)
        try:
            return (0, float(text), "")
        except ValueError:
            return (1, 0.0, text)

    def other_role(self, row: Json, column: int, role: int) -> Any:
        if role == TREND_ROLE and column == self.trend_column:
            return [None if f is None else float(f) for f in row["final"]]
        first_change = 2 + 3 * len(self.years)
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column < first_change + 3:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and first_change <= column < first_change + 3:
            value = self.sort_key(row, column)[1]
            return UP if value > 0 else DOWN if value < 0 else None
        return None


class RobustnessTableModel(RowsTableModel[Json]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "名次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "单位"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "中位名次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "5%—95% 名次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "等次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "保持等次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "保持“排名靠后”"),
        QT_TRANSLATE_NOOP("RowsTableModel", "平均名次变动"),
        QT_TRANSLATE_NOOP("RowsTableModel", "名次敏感"),
    )

    def display(self, row: Json, column: int) -> str:
        low, high = row["interval"]
        bottom = f"{row['bottom_kept']}%" + (self.tr("（排名靠后）") if row["bottom"] else "")
        return (
            str(row["rank"]),
            row["unit"],
            row["category"],
            str(row["median_rank"]),
            f"{low}—{high}",
            row["grade"],
            f"{row['grade_kept']}%",
            bottom,
            row["mean_shift"],
            self.tr("是") if row["sensitive"] else "",
        )[column]

    def sort_key(self, row: Json, column: int) -> Any:
        keys = {0: row["rank"], 3: row["median_rank"], 4: row["interval"][1] - row["interval"][0],
                6: float(row["grade_kept"]), 7: float(row["bottom_kept"]),
                8: float(row["mean_shift"]), 9: row["sensitive"]}  # fmt: skip
        return keys.get(column, self.display(row, column))

    def other_role(self, row: Json, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row["sensitive"]:
            return WARN
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 4, 6, 7, 8):
            return RIGHT
        return None


class AssessorsTableModel(RowsTableModel[Json]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "考核组"),
        QT_TRANSLATE_NOOP("RowsTableModel", "共同评分格数"),
        QT_TRANSLATE_NOOP("RowsTableModel", "平均偏差（分）"),
        QT_TRANSLATE_NOOP("RowsTableModel", "占指标分值"),
        QT_TRANSLATE_NOOP("RowsTableModel", "95% 区间"),
        QT_TRANSLATE_NOOP("RowsTableModel", "判断"),
        QT_TRANSLATE_NOOP("RowsTableModel", "不计其评分名次变化的单位数"),
    )

    def display(self, row: Json, column: int) -> str:
        low, high = row["interval"]
        return (
            row["assessor"],
            str(row["cells"]),
            row["leniency"],
            f"{row['leniency_rate']}%",
            f"{low}～{high}",
            row["flag"],
            _text(row["ranks_changed_without"]),
        )[column]

    def other_role(self, row: Json, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row["flag"]:
            return WARN
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2, 3, 4, 6):
            return RIGHT
        return None


class AlphaTableModel(RowsTableModel[Json]):
    """α overall, by area and by leaf: rows {"scope", "cells", "alpha", "interval"}."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "范围"),
        QT_TRANSLATE_NOOP("RowsTableModel", "共同评分格数"),
        QT_TRANSLATE_NOOP("RowsTableModel", "α"),
        QT_TRANSLATE_NOOP("RowsTableModel", "95% 区间"),
    )

    def display(self, row: Json, column: int) -> str:
        interval = row["interval"]
        return (
            row["scope"],
            str(row["cells"]),
            _text(row["alpha"]),
            "—" if interval is None else f"{interval[0]}～{interval[1]}",
        )[column]

    def other_role(self, row: Json, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row["alpha"] is not None:
            return WARN if float(row["alpha"]) < 0.667 else None
        return None


class LeftOutTableModel(RowsTableModel[Json]):
    """One area left out at a time: rows {"area", "name", "mean_shift", "grades_changed"}."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "去掉的一级指标"),
        QT_TRANSLATE_NOOP("RowsTableModel", "名次平均变动"),
        QT_TRANSLATE_NOOP("RowsTableModel", "等次改变的单位"),
    )

    def display(self, row: Json, column: int) -> str:
        changed = row["grades_changed"]
        return (
            f"{row['area']} {row['name']}",
            row["mean_shift"],
            f"{len(changed)}：{'、'.join(changed)}" if changed else "0",
        )[column]


class UnmatchedTableModel(RowsTableModel[Json]):
    """What found no counterpart: rows {"kind", "round", "key", "label", "side"}; side "gone"
    (in the earlier round only) or "new" (in this round only)."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "种类"),
        QT_TRANSLATE_NOOP("RowsTableModel", "以前的批次"),
        QT_TRANSLATE_NOOP("RowsTableModel", "名称或编码"),
        QT_TRANSLATE_NOOP("RowsTableModel", "情况"),
    )

    def display(self, row: Json, column: int) -> str:
        side = self.tr("以前有、本批次没有") if row["side"] == "gone" else self.tr("本批次新增")
        return (row["kind_words"], row["round"], row["label"], side)[column]


class LinksTableModel(RowsTableModel[StoredLink]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "对应关系"),
        QT_TRANSLATE_NOOP("RowsTableModel", "添加人"),
    )

    def display(self, row: StoredLink, column: int) -> str:
        return (describe(row.link), row.by)[column]
