"""The 整改台账 page's exchanges: problems registered from a round's deductions, the ledger
exported for the units and read back (their progress, or the office's own list, previewed
first), the statistics, and carrying overdue problems into the next round. Kept apart from
the page because moving problems in and out of the ledger is a job of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QMessageBox

from app.errors import UserError
from app.filenames import file_part
from app.models.database import Database
from app.services.changes import Done
from app.services.ledger import problem_registration, progress_import
from app.services.ledger import problems as ledger
from app.services.rounds.definition import list_rounds
from app.ui.pages.ledger.dialogs import (
    CarryOverDialog,
    LedgerStatsDialog,
    ProblemListDialog,
    ProgressDialog,
)
from app.ui.pages.ledger.follow_up import ALL
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task


class LedgerExchange:
    """Mixed into LedgerPage (a QWidget): the second row of buttons, and 由考核扣分生成."""

    _db: Database
    unit_box: QComboBox
    message: StatusLine

    def from_round(self) -> None:
        names = [r.name for r in list_rounds(self._db)]
        if not names:
            self.message.say(self.tr("还没有考核批次"), error=True)
            return
        name, ok = QInputDialog.getItem(
            self, self.tr("由考核扣分生成问题"), self.tr("考核批次："), names, 0, False
        )
        if not ok:
            return
        try:
            created = problem_registration.create_from_round(self._db, name)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.reload()
        self.announce(created.changes)
        QMessageBox.information(
            self,
            self.tr("整改台账"),
            self.tr("已登记 {n} 个问题（已登记过的不会重复）").format(n=created.value),
        )

    def export(self, path: str | None = None) -> None:
        """The shown unit's problems (or all) for the unit to fill in its progress."""
        unit = None if self.unit_box.currentText() in (ALL, "") else self.unit_box.currentText()
        path = (
            path
            or QFileDialog.getSaveFileName(
                self,
                self.tr("导出整改台账"),
                f"{file_part(unit or '全部单位')}整改台账.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )[0]
        )
        if not path:
            return
        try:
            written = ledger.export_problems(self._db, path, unit=unit)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.message.say(self.tr("已导出到 {path}；黄色三列由责任单位填写").format(path=written))

    def import_file(self, path: str | None = None) -> None:
        """Either workbook: the units' progress, or the office's own list of problems (shown
        first, then registered)."""
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("导入台账"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if not path:
            return
        from app.services.ledger.exchange import (
            commit_problem_list,
            is_progress_workbook,
            preview_problem_list,
        )

        def read() -> tuple[str, Any]:
            if is_progress_workbook(path):
                return "进展", progress_import.preview_progress(self._db, path)
            return "清单", preview_problem_list(self._db, path)

        def recorded(count: Done[int]) -> None:
            self.refresh()
            self.announce(count.changes)
            self.message.say(self.tr("已记录 {n} 条整改进展").format(n=count.value))

        def registered(numbers: Done[list[str]]) -> None:
            self.reload()
            self.announce(numbers.changes)
            self.message.say(self.tr("已登记 {n} 个问题").format(n=len(numbers.value)))

        def read_done(outcome: tuple[str, Any]) -> None:
            kind, value = outcome
            if kind == "进展":
                if not value:
                    self.message.say(self.tr("表中的进展都已记录过，没有新的内容"))
                    return
                if not self.confirm_progress(value):
                    self.message.say(self.tr("已取消，未记录任何进展"))
                    return
                run_task(
                    lambda: progress_import.import_progress(self._db, path),
                    recorded,
                    self._import_failed,
                )
                return
            if not self.confirm_problem_list(value):
                self.message.say(self.tr("已取消，未登记任何问题"))
                return
            run_task(lambda: commit_problem_list(self._db, value), registered, self._import_failed)

        self.message.say(self.tr("正在读取…"))
        run_task(read, read_done, self._import_failed)

    import_progress = import_file  # the exported ledger with the units' progress is one case

    def confirm_progress(self, changes: list[Any]) -> bool:
        return bool(ProgressDialog(changes, self).exec())

    def confirm_problem_list(self, preview: Any) -> bool:
        return bool(ProblemListDialog(preview, self).exec())

    def _import_failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未写入任何数据：\n"))

    def confirm_carry_over(self, dialog: CarryOverDialog) -> bool:
        return bool(dialog.exec())

    def show_statistics(self) -> LedgerStatsDialog:
        dialog = LedgerStatsDialog(self._db, self)
        dialog.open()
        return dialog

    def carry_over(self) -> None:
        from app.services.ledger.carryover import carry_over

        dialog = CarryOverDialog(self._db, self)
        if not self.confirm_carry_over(dialog):
            return
        round_name, leaf, per_problem = dialog.choice()
        try:
            carried = carry_over(self._db, round_name, leaf, per_problem=per_problem)
        except UserError as error:
            self.message.refused(error)
            return
        self.announce(carried.changes)
        hit = sum(1 for p in carried.value if p.problems)
        self.message.say(
            self.tr("已结转到“{r}” {l}：{n} 个单位扣分（记入变更记录）").format(
                r=round_name, l=leaf, n=hit
            )
        )
