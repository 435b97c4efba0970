"""The 申辩复核 page's settings and exchanges for the round: the disagreement threshold, the
units' preliminary results exported, their self-assessments and the objections written in
their preliminary results imported. Kept apart from the page because exchanging files with
the units is a job of its own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFileDialog

from app.errors import UserError, WorkbookError
from app.models.database import Database
from app.services.changes import Done, all_changes
from app.services.entry.self_assessment import import_self_assessment
from app.services.rounds.review_settings import set_disagreement_fraction
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task, run_with_progress


class RoundExchange:
    """Mixed into ReviewPage (a QWidget): the buttons in the round's bar."""

    _db: Database
    round_box: QComboBox
    threshold: QDoubleSpinBox
    message: StatusLine

    def apply_threshold(self) -> None:
        round_name = self.round_box.currentText()
        if not round_name:
            return
        fraction = Decimal(str(round(self.threshold.value()))) / 100
        try:
            changes = set_disagreement_fraction(self._db, round_name, fraction)
        except UserError as error:
            self.message.say(str(error), error=True)
            return
        self.announce(changes)
        self.message.say(
            self.tr("分歧阈值已设为分值的 {v}%；评分录入页的“只看分歧”按此标记").format(
                v=round(self.threshold.value())
            )
        )

    def export_prelim(self, folder: str | None = None) -> Any:
        round_name = self.round_box.currentText()
        if not round_name:
            return None
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("初步结果保存到"))
        if not folder:
            return None

        from app.services.review.prelim_results import (
            export_prelim,  # openpyxl: load when first used
        )

        def done(written: Done[list[Path]]) -> None:
            paths = written.value
            self.announce(written.changes)
            self.message.say(
                self.tr("已导出 {n} 个单位的初步结果到 {f}").format(n=len(paths), f=folder)
            )

        return run_with_progress(
            self,
            self.tr("导出初步结果"),
            lambda progress, cancelled: export_prelim(
                self._db, round_name, folder, progress=progress, cancelled=cancelled
            ),
            done,
            self._failed,
        )

    def import_self_assessment(self, paths: list[str] | None = None) -> None:
        round_name = self.round_box.currentText()
        if not round_name:
            return
        paths = (
            paths
            or QFileDialog.getOpenFileNames(
                self, self.tr("导入单位自评表"), "", self.tr("Excel/WPS 工作簿 (*.xlsx *.xls)")
            )[0]
        )
        if not paths:
            return

        def work() -> tuple[list[Any], Exception | None]:
            """Each file is its own all-or-nothing import; stop at the first bad one and say
            which files went in before it."""
            summaries: list[Any] = []
            for path in paths:
                try:
                    summaries.append(import_self_assessment(self._db, path, round_name))
                except (UserError, WorkbookError) as error:
                    return summaries, error
            return summaries, None

        def done(outcome: tuple[list[Any], Exception | None]) -> None:
            summaries, error = outcome
            self.announce(all_changes(summaries))
            lines = [
                (
                    self.tr("{unit}：{n} 项")
                    if s.changed
                    else self.tr("{unit}：{n} 项（与已导入的相同，未改变）")
                ).format(unit=s.unit, n=s.leaves)
                for s in summaries
            ]
            if error is not None:
                self._failed(error)
                if lines:
                    self.message.setText(
                        self.tr("已导入：") + "；".join(lines) + "\n" + self.message.text()
                    )
                return
            self.message.say(self.tr("已导入自评（评分录入页的提示中可见）：") + "；".join(lines))

        self.message.say(self.tr("正在导入…"))
        run_task(work, done, self._failed)

    def import_objection_files(self, paths: list[str] | None = None) -> None:
        """The units' 初步结果 files with their objections: previewed, then the good files
        recorded (each whole or not at all); a bad file is named with its cells."""
        round_name = self.round_box.currentText()
        if not round_name:
            return
        paths = (
            paths
            or QFileDialog.getOpenFileNames(
                self, self.tr("导入单位申辩（初步结果表）"), "", self.tr("Excel 工作簿 (*.xlsx)")
            )[0]
        )
        if not paths:
            return
        from app.services.review import objection_import  # openpyxl: load when first used

        def previewed(files: list[Any]) -> None:
            if not self.confirm_objection_files(files):
                self.message.say(self.tr("已取消，未写入任何数据"))
                return
            self.message.say(self.tr("正在导入…"))
            run_task(
                lambda: objection_import.import_objection_files(self._db, round_name, paths),
                imported,
                self._failed,
            )

        def imported(done: Done[list[Any]]) -> None:
            self.announce(done.changes)
            self.show_round(round_name)
            good = [f for f in done.value if not f.refused]
            refused = [f for f in done.value if f.refused]
            added = sum(len(f.new) for f in good)
            if not refused:
                self.message.say(
                    self.tr("已导入 {n} 条申辩（{f} 个文件）").format(n=added, f=len(good))
                )
                return
            problems = "\n".join(str(p) for f in refused for p in f.problems)
            self.message.say(
                self.tr("已导入 {n} 条申辩（{f} 个文件）；{r} 个文件有问题，未导入：\n{p}").format(
                    n=added, f=len(good), r=len(refused), p=problems
                ),
                error=True,
            )

        self.message.say(self.tr("正在检查申辩…"))
        run_task(
            lambda: objection_import.preview_objection_files(self._db, round_name, paths),
            previewed,
            self._failed,
        )

    def confirm_objection_files(self, files: list[Any]) -> bool:
        from app.ui.pages.review.objection_files import confirm_objection_files

        return confirm_objection_files(self, files)

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("文件有问题，未导入：\n"))
