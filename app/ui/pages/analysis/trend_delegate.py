"""A unit's finals over the years as a small line in its row (issue 20 §1: with three or more
rounds, each unit's trend), drawn by the table itself so eighty lines cost nothing."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.itemmodels.analysis_table_models import DOWN, TREND_ROLE, UP

LINE_WIDTH = 64  # px kept for the line; the average change per year is written after it
FLAT = QColor("#607d8b")


class TrendDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        finals = index.data(TREND_ROLE) or []
        known = [(i, f) for i, f in enumerate(finals) if f is not None]
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(4, 4, -4, -4)
        if len(known) >= 2 and len(finals) >= 2:
            low, high = min(f for _, f in known), max(f for _, f in known)
            span = high - low

            def height(final: float) -> float:  # a level line runs through the middle
                return rect.height() * ((final - low) / span if span else 0.5)

            width = min(LINE_WIDTH, rect.width())
            points = QPolygonF(
                [
                    QPointF(
                        rect.left() + width * i / (len(finals) - 1),
                        rect.bottom() - height(f),
                    )
                    for i, f in known
                ]
            )
            rise = known[-1][1] - known[0][1]
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(UP if rise > 0 else DOWN if rise < 0 else FLAT, 1.5))
            painter.drawPolyline(points)
            painter.drawEllipse(points[points.size() - 1], 2, 2)  # this year
            painter.restore()
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text:
            painter.drawText(
                rect.adjusted(LINE_WIDTH + 6, 0, 0, 0),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                text,
            )
