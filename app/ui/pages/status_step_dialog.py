"""One status step, confirmed: what the round moves from and to, and for 公示 and 发布 the
publication check's items. Publishing with blocking items is possible only for an
administrator who ticks 越过检查 and gives a reason; going into 公示 with them needs a reason.
Enter cancels: the deliberate act is a click on the step's own button."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.review.publication import PUBLICITY
from app.services.review.publication_gate import GateReport
from app.services.rounds.definition import PUBLISHED
from app.ui.itemmodels.gate_items_model import GateItemsModel


class StatusStepDialog(QDialog):
    def __init__(
        self,
        round_name: str,
        current: str,
        target: str,
        report: GateReport | None,
        may_override: bool,
        parent: QWidget | None = None,
        publicity_until: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.report = report
        self.setWindowTitle(self.tr("推进到“{t}”").format(t=target))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("考核批次“{r}”将从“{c}”推进到“{t}”。").format(r=round_name, c=current, t=target)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        blocking = report.blocking if report is not None else []
        self.override_box = QCheckBox(self.tr("越过检查，仍然发布（须说明理由，记入变更记录）"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("理由"))
        if report is not None:
            self.summary = QLabel(self._summary(report))
            self.summary.setWordWrap(True)
            layout.addWidget(self.summary)
            self.items = GateItemsModel(self)
            self.items.set_report(report)
            self.table = QTableView()
            self.table.setModel(self.items)
            self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.table.verticalHeader().setVisible(False)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
            self.table.setVisible(bool(report.blocking or report.warnings))
            layout.addWidget(self.table, 1)
        self.until_box = QDateEdit()
        self.until_box.setCalendarPopup(True)
        self.until_box.setDisplayFormat("yyyy-MM-dd")
        self.until_box.setMinimumDate(QDate.currentDate())
        self.until_box.setDate(
            QDate(publicity_until) if publicity_until else QDate.currentDate().addDays(7)
        )
        if target == PUBLICITY:
            row = QHBoxLayout()
            row.addWidget(QLabel(self.tr("公示截止日期（截止后才能发布）：")))
            row.addWidget(self.until_box)
            row.addStretch(1)
            layout.addLayout(row)
        if target == PUBLISHED:
            layout.addWidget(
                QLabel(self.tr("发布后本批次只读，结果用于通报；如需更改须重新打开。"))
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("发布") if target == PUBLISHED else self.tr("推进"))
        self.ok_button.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        cancel.setDefault(True)
        if blocking and target == PUBLISHED:
            if may_override:
                layout.addWidget(self.override_box)
                layout.addWidget(self.reason_edit)
            else:
                layout.addWidget(
                    QLabel(self.tr("须先解决以上问题才能发布（或由管理员越过检查）。"))
                )
        elif blocking and target == PUBLICITY:
            layout.addWidget(
                QLabel(self.tr("仍要进入公示（例如申辩在公示期内复核），请说明理由："))
            )
            layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.override_box.toggled.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self._may_override = may_override
        self._update()
        self.resize(760, 420 if report is not None and (blocking or report.warnings) else 160)

    def _summary(self, report: GateReport) -> str:
        if not report.blocking and not report.warnings:
            return self.tr("发布前检查：没有发现问题。")
        return self.tr("发布前检查：须先解决 {b} 项，请注意 {w} 项。").format(
            b=len(report.blocking), w=len(report.warnings)
        )

    def _blocked(self) -> bool:
        return self.report is not None and bool(self.report.blocking)

    def _update(self) -> None:
        reason = bool(self.reason_edit.text().strip())
        if not self._blocked():
            ready = True
        elif self.target == PUBLISHED:
            ready = self._may_override and self.override_box.isChecked() and reason
        else:
            ready = reason
        self.reason_edit.setEnabled(self.target != PUBLISHED or self.override_box.isChecked())
        self.ok_button.setEnabled(ready)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def publicity_until(self) -> date | None:
        if self.target != PUBLICITY:
            return None
        return self.until_box.date().toPython()  # type: ignore[return-value]

    def override(self) -> bool:
        return self.target == PUBLISHED and self._blocked() and self.override_box.isChecked()
