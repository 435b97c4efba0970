"""单位得分明细: why a unit has its score, leaf by leaf."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.scoring.types import UnitResult
from app.services.results import money
from app.services.score_grid import GridData
from app.ui.itemmodels.unit_detail_model import UnitDetailModel


class UnitDetailDialog(QDialog):
    def __init__(self, grid: GridData, result: UnitResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("得分明细 — {unit}").format(unit=result.unit))
        unit = next(u for u in grid.units if u.name == result.unit)
        summary = QLabel(
            self.tr(
                "最终得分 {final}（第 {rank} 名，{category}第 {crank} 名，{grade}）；"
                "考核得分 {assessment}，加分 {bonus}"
            ).format(
                final=f"{result.final:.2f}",
                rank=result.rank,
                category=result.category,
                crank=result.category_rank,
                grade=result.grade,
                assessment=money(result.assessment),
                bonus=money(result.bonus),
            )
        )
        self.model = UnitDetailModel(grid, unit, self)
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        self.resize(1100, 640)
