"""The 整改台账 page's follow-up of one problem: progress reported, verification passed or sent
back, 回头看, and a 催办 督办函 for a unit's overdue problems. Kept apart from the page because
moving a problem through its steps is a job of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog

from app.errors import UserError
from app.models.database import Database
from app.services.ledger import problem_status
from app.ui.pages.evidence.file_picker import EVIDENCE_FILTER
from app.ui.status_line import StatusLine

ALL = "全部"  # the filter boxes' entry for no filter


class FollowUp:
    """Mixed into LedgerPage (a QWidget): the buttons for the chosen problem's next step."""

    _db: Database
    unit_box: QComboBox
    message: StatusLine

    def _act(self, action, done: str) -> None:  # type: ignore[no-untyped-def]
        problem = self.selected()
        if problem is None:
            self.message.say(self.tr("请先选择一个问题"), error=True)
            return
        try:
            changes = action(problem.number)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        number = problem.number
        self.refresh()
        self.announce(changes)
        self._select(number)
        self.message.say(done.format(number=number))

    def _ask(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def report(self, done: bool, files: list[str] | None = None) -> None:
        """The progress text, then its 整改佐证 (files, optional: cancel for none), which go into
        the evidence store with the report."""
        text = self._ask(self.tr("整改进展"), self.tr("进展情况："))
        if text is None:
            return
        if files is None:
            files = QFileDialog.getOpenFileNames(
                self,
                self.tr("选择整改佐证文件（可多选；没有文件请点取消）"),
                "",
                self.tr("佐证材料 ({patterns})").format(patterns=EVIDENCE_FILTER),
            )[0]
        self._act(
            lambda number: problem_status.report_progress(
                self._db, number, text, done=done, files=files
            ),
            self.tr("已记录 {number} 的进展")
            if not files
            else self.tr("已记录 {number} 的进展及整改佐证"),
        )

    def verify(self, passed: bool) -> None:
        text = self._ask(self.tr("核验"), self.tr("核验意见："))
        if text is not None:
            self._act(
                lambda number: problem_status.verify(self._db, number, passed, text),
                self.tr("{number} 已销号") if passed else self.tr("{number} 已退回整改"),
            )

    def look_back(self) -> None:
        text = self._ask(self.tr("回头看"), self.tr("回头看的理由："))
        if text is not None:
            self._act(
                lambda number: problem_status.look_back(self._db, number, text),
                self.tr("{number} 已重新打开待核验"),
            )

    def remind(self, folder: str | None = None) -> None:
        """A 催办 督办函 to the chosen problem's unit for all its overdue problems."""
        from app.services.publishing.reminders import issue_reminder

        problem = self.selected()
        unit = problem.unit if problem else None
        if unit is None and self.unit_box.currentText() not in (ALL, ""):
            unit = self.unit_box.currentText()
        if unit is None:
            self.message.say(self.tr("请先选择一个问题或一个单位"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("催办函保存到"))
        if not folder:
            return
        try:
            sent = issue_reminder(self._db, unit, Path(folder))
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.refresh()
        self.announce(sent.changes)
        self.message.say(
            self.tr("已印发 {number}（{n} 个逾期问题）：{path}").format(
                number=sent.number, n=len(sent.problems), path=sent.path
            )
        )
