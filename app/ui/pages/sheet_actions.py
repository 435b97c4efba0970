"""The rounds page's offline workbooks: every assessor's workbook out (with the units' evidence
files beside it when asked), and a batch of returned workbooks previewed, then the good ones
written. Kept apart from the page because it is a job of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from app.models.database import Database
from app.services.changes import Done
from app.ui.pages import offline_sheets
from app.ui.tasks import run_task, run_with_progress


class SheetActions:
    """Mixed into RoundsPage (a Page), which gives current(), _note(), _failed(), tr() and
    announce()."""

    _db: Database

    def _sheets_imported(
        self, done: Done[list[offline_sheets.SheetCheck]], left_out: list[offline_sheets.SheetCheck]
    ) -> None:
        """Say what was written and name every workbook that was not, with its problems."""
        self.announce(done.changes)  # the grid and the results show the new scores
        written = [c for c in done.value if c.written]
        refused = left_out + [c for c in done.value if c.refused]
        text = self.tr("已导入 {f} 份评分表，{n} 格评分有变化（均记入变更记录）").format(
            f=len(written), n=sum(len(c.diffs) for c in written)
        )
        if refused:
            text += self.tr("；{r} 份有问题，未导入：\n").format(r=len(refused))
            text += "\n".join(str(p) for c in refused for p in c.problems)
        self._note(text, ok=not refused)

    def export_sheets(self, folder: str | None = None, *, with_evidence: bool = False) -> None:
        """Every assessor's workbook (it lists the units' evidence files for its cells);
        ``with_evidence``: the files too, in a folder beside each workbook."""
        info = self.current()
        if info is None:
            return
        folder = folder or QFileDialog.getExistingDirectory(
            self,  # type: ignore[arg-type] - mixed into a QWidget
            self.tr("评分表保存到"),
        )
        if not folder:
            return

        def done(paths: list) -> None:  # type: ignore[type-arg]
            text = self.tr("已导出 {n} 份评分表到 {f}").format(n=len(paths), f=folder)
            if with_evidence:
                text += self.tr("，佐证材料在各评分表旁的“…-佐证材料”文件夹中")
            self._note(text, ok=True)

        self._note(self.tr("正在导出…"))
        run_with_progress(
            self,
            self.tr("正在导出离线评分表"),
            lambda progress, cancelled: offline_sheets.export_all(
                self._db,
                info.name,
                folder,
                with_evidence=with_evidence,
                progress=progress,
                cancelled=cancelled,
            ),
            done,
            self._failed,
        )

    def import_sheets(self, paths: list[str] | None = None) -> None:
        info = self.current()
        if info is None:
            return
        paths = (
            paths
            or QFileDialog.getOpenFileNames(
                self, self.tr("导入离线评分表"), "", self.tr("Excel 工作簿 (*.xlsx)")
            )[0]
        )
        if not paths:
            return

        def previewed(checks: list[offline_sheets.SheetCheck]) -> None:
            self._note("")
            good = offline_sheets.importable(checks)
            if not self.confirm_sheet_diffs(checks) or not good:
                self._note(self.tr("已取消，未写入任何数据"), ok=True)
                return
            refused = [c for c in checks if c.refused]
            run_task(
                lambda: offline_sheets.import_files(self._db, info.name, good),
                lambda done: self._sheets_imported(done, refused),
                self._failed,
            )

        self._note(self.tr("正在检查评分表…"))
        run_task(
            lambda: offline_sheets.preview_files(self._db, info.name, paths),
            previewed,
            self._failed,
        )

    def confirm_sheet_diffs(self, checks: list[offline_sheets.SheetCheck]) -> bool:
        return offline_sheets.confirm_checks(self, checks)
