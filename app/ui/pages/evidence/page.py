"""佐证材料: the units' packages (自评包) out and back for a round, each unit's progress (files,
reviews, what was sent back and whether it is late), each unit's 佐证材料目录 and the whole
round's evidence for the inspection. The assessors review the evidence beside the score grid
(评分录入); this page is the clerk's desk for the packages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.access.permissions import Permission, allowed
from app.services.changes import Done, Topic
from app.services.evidence import package_batch
from app.services.evidence.overview import UnitOverview, unit_overview
from app.services.evidence.package_check import CheckedPackage
from app.services.evidence.package_export import ExportedPackage, export_packages
from app.services.evidence.reviews import returned_items
from app.services.evidence.round_export import RoundExport, export_round_evidence, unit_index
from app.services.rounds.definition import RoundInfo, list_rounds
from app.ui.itemmodels.evidence_models import ReturnedModel, UnitOverviewModel, size_text
from app.ui.itemmodels.rows_model import RowsTableModel
from app.ui.pages.evidence.package_preview import confirm_packages, importable
from app.ui.pages.page import Page
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task, run_with_progress


def _table(model: RowsTableModel, stretch: int) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSortingEnabled(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class EvidencePage(Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.UNITS, Topic.EVIDENCE, Topic.SCORES})
    REFRESH_WHEN_SHOWN = True  # what is overdue moves on with the clock
    cell_requested = Signal(str, str, str)  # round, unit, leaf: the grid at a sent-back item

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.rounds: list[RoundInfo] = []
        self.round_box = QComboBox()
        self.round_box.setMinimumWidth(240)
        self.export_button = QPushButton(self.tr("导出自评包…"))
        self.export_button.setToolTip(
            self.tr(
                "每个单位一个 zip：自评表和每个指标一个文件夹，已交的材料和退回补充的要求一并发出"
            )
        )
        export_menu = QMenu(self.export_button)
        export_menu.addAction(self.tr("全部单位…"), lambda: self.export_packages(selected=False))
        export_menu.addAction(self.tr("选中的单位…"), lambda: self.export_packages(selected=True))
        self.export_button.setMenu(export_menu)
        self.import_button = QPushButton(self.tr("导入交回的自评包…"))
        self.import_button.setToolTip(self.tr("可一次选多个 zip，或选文件夹；先预览，确认后才写入"))
        import_menu = QMenu(self.import_button)
        import_menu.addAction(self.tr("选择 zip 文件（可多选）…"), lambda: self.import_packages())
        import_menu.addAction(self.tr("选择文件夹…"), lambda: self.import_folder())
        self.import_button.setMenu(import_menu)
        self.index_button = QPushButton(self.tr("佐证材料目录…"))
        self.index_button.setToolTip(
            self.tr("选中单位的目录（PDF 和 Excel）：指标、文件、大小、SHA-256、审核状态")
        )
        self.round_export_button = QPushButton(self.tr("导出全部材料…"))
        self.round_export_button.setToolTip(
            self.tr("按“单位/指标/文件”导出本批次全部佐证材料，附各单位目录和总目录，交检查组")
        )
        self.units = UnitOverviewModel(self)
        self.units_view = _table(self.units, 0)
        self.returned = ReturnedModel(self)
        self.returned_view = _table(self.returned, 2)
        self.returned_view.setToolTip(self.tr("双击在评分录入中查看该单元格及其材料"))
        self.returned_box = QGroupBox()
        inner = QVBoxLayout(self.returned_box)
        inner.addWidget(self.returned_view)
        self.summary = QLabel()
        self.message = StatusLine()
        self._build_layout()
        self.round_box.currentIndexChanged.connect(lambda _i: self.show_round())
        self.index_button.clicked.connect(lambda: self.write_index())
        self.round_export_button.clicked.connect(lambda: self.export_round())
        self.returned_view.doubleClicked.connect(self._returned_chosen)
        self.reload()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("考核批次：")))
        bar.addWidget(self.round_box)
        for button in (
            self.export_button,
            self.import_button,
            self.index_button,
            self.round_export_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.units_view, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.returned_box, 2)

    # --- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.round_box.currentData()
        self.rounds = list_rounds(self._db)
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for info in self.rounds:
            self.round_box.addItem(info.name, info.id)
        kept = self.round_box.findData(current)
        self.round_box.setCurrentIndex(max(kept, 0))
        self.round_box.blockSignals(False)
        self.show_round()

    def current_round(self) -> RoundInfo | None:
        return next((r for r in self.rounds if r.id == self.round_box.currentData()), None)

    def show_round(self) -> None:
        info = self.current_round()
        rows: list[UnitOverview] = unit_overview(self._db, info.id) if info else []
        self.units.set_rows(rows)
        owed = returned_items(self._db, info.id) if info else []
        self.returned.set_rows(owed)
        late = sum(1 for item in owed if item.overdue)
        self.returned_box.setTitle(
            self.tr("退回补充、待单位补交的指标（{n}，其中逾期 {late}）").format(
                n=len(owed), late=late
            )
        )
        back = sum(1 for r in rows if r.packages)
        self.summary.setText(
            self.tr(
                "{units} 个单位中 {back} 个已交回自评包；共 {files} 个文件（{size}），"
                "待审核 {pending} 个指标，退回补充 {returned} 个指标。"
            ).format(
                units=len(rows),
                back=back,
                files=sum(r.files for r in rows),
                size=size_text(sum(r.size for r in rows)),
                pending=sum(r.pending for r in rows),
                returned=sum(r.returned for r in rows),
            )
            if info
            else self.tr("还没有考核批次。")
        )
        writable = info is not None and info.status != RoundStatus.PUBLISHED
        for button in (self.export_button, self.index_button, self.round_export_button):
            button.setEnabled(info is not None)
        self.import_button.setEnabled(writable and allowed(Permission.IMPORT))
        self.export_button.setEnabled(info is not None and allowed(Permission.IMPORT))

    def selected_units(self) -> list[str]:
        rows = sorted({i.row() for i in self.units_view.selectionModel().selectedRows()})
        return [row.unit for r in rows if (row := self.units.row_at(r)) is not None]

    def _returned_chosen(self, index: QModelIndex) -> None:
        item, info = self.returned.row_at(index.row()), self.current_round()
        if item is not None and info is not None:
            self.cell_requested.emit(info.name, item.unit, item.leaf)

    # --- packages out ---------------------------------------------------------------------------
    def export_packages(self, *, selected: bool, folder: str | None = None) -> None:
        info = self.current_round()
        if info is None:
            return
        units = self.selected_units() if selected else None
        if selected and not units:
            self.message.say(self.tr("请先在表中选中要导出自评包的单位"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("自评包保存到"))
        if not folder:
            return

        def done(exported: list[ExportedPackage]) -> None:
            self.message.say(
                self.tr("已导出 {n} 个自评包到 {folder}").format(n=len(exported), folder=folder)
            )

        run_with_progress(
            self,
            self.tr("正在导出自评包"),
            lambda progress, cancelled: export_packages(
                self._db, info.id, folder, units, progress=progress, cancelled=cancelled
            ),
            done,
            self._failed,
        )

    # --- packages back --------------------------------------------------------------------------
    def import_packages(self, paths: list[str] | None = None) -> None:
        paths = (
            paths
            or QFileDialog.getOpenFileNames(
                self, self.tr("导入交回的自评包"), "", self.tr("自评包 (*.zip)")
            )[0]
        )
        if paths:
            self.check_packages([Path(p) for p in paths])

    def import_folder(self, folder: str | None = None) -> None:
        folder = folder or QFileDialog.getExistingDirectory(
            self, self.tr("选择自评包文件夹（一个单位的，或放着多个自评包的）")
        )
        if not folder:
            return
        found = package_batch.packages_in_folder(Path(folder))
        if not found:
            self.message.say(
                self.tr("“{folder}”中没有自评包（zip 文件或含自评表.xlsx 的文件夹）").format(
                    folder=folder
                ),
                error=True,
            )
            return
        self.check_packages(found)

    def check_packages(self, paths: list[Path]) -> None:
        """Check every package off the GUI thread (progress, 取消), show the preview, apply
        the good ones when the clerk says so."""
        info = self.current_round()
        if info is None:
            return
        self.message.say(self.tr("正在检查 {n} 个材料包……").format(n=len(paths)))
        run_with_progress(
            self,
            self.tr("正在检查材料包（KB）"),
            lambda progress, cancelled: package_batch.check_packages(
                self._db, info.id, paths, progress=progress, cancelled=cancelled
            ),
            self._checked,
            self._failed,
        )

    def _checked(self, packages: list[CheckedPackage]) -> None:
        good = importable(packages)
        if not self.confirm(packages) or not good:
            package_batch.discard_packages(packages)
            self.message.say(self.tr("已取消，未写入任何数据"))
            return
        run_with_progress(
            self,
            self.tr("正在导入材料包"),
            lambda progress, _cancelled: package_batch.apply_packages(
                self._db, packages, progress=progress
            ),
            self._applied,
            self._failed,
        )

    def confirm(self, packages: list[CheckedPackage]) -> bool:
        return confirm_packages(self, packages)

    def _applied(self, done: Done[list[package_batch.PackageOutcome]]) -> None:
        self.announce(done.changes)
        self.show_round()
        applied = [o for o in done.value if o.applied]
        held = [o for o in done.value if o.refused]
        text = self.tr("已导入 {n} 个材料包（{leaves} 个指标有变化，均记入变更记录）").format(
            n=len(applied), leaves=sum(len(o.package.changed) for o in applied)
        )
        if held:
            text += self.tr("；{n} 个未导入：").format(n=len(held))
            text += "；".join(
                f"{o.package.source.name}（{o.problem or '；'.join(o.package.problems[:3])}）"
                for o in held
            )
        self.message.say(text, error=bool(held))

    # --- lists --------------------------------------------------------------------------------
    def write_index(self, folder: str | None = None) -> None:
        info = self.current_round()
        units = self.selected_units()
        if info is None:
            return
        if not units:
            self.message.say(self.tr("请先在表中选中单位（可多选）"), error=True)
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("目录保存到"))
        if not folder:
            return
        run_task(
            lambda: [p for u in units for p in unit_index(self._db, info.id, u, folder)],
            lambda written: self.message.say(
                self.tr("已写出 {n} 个单位的佐证材料目录（PDF 和 Excel）到 {folder}").format(
                    n=len(units), folder=folder
                )
            ),
            self._failed,
        )

    def export_round(self, folder: str | None = None) -> None:
        info = self.current_round()
        if info is None:
            return
        folder = folder or QFileDialog.getExistingDirectory(self, self.tr("全部材料导出到"))
        if not folder:
            return

        def done(exported: RoundExport) -> None:
            self.message.say(
                self.tr("已导出 {u} 个单位的 {f} 个文件（{s}）及目录到 {folder}").format(
                    u=exported.units, f=exported.files, s=size_text(exported.size), folder=folder
                )
            )

        run_with_progress(
            self,
            self.tr("正在导出佐证材料（KB）"),
            lambda progress, cancelled: export_round_evidence(
                self._db,
                info.id,
                folder,
                progress=lambda d, t: progress(-(-d // 1024), -(-t // 1024)),
                cancelled=cancelled,
            ),
            done,
            self._failed,
        )

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("未写入任何数据：\n"))
