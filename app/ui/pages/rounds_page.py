"""考核批次: the rounds, their rules and status history; create one, move its status on or back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.models import ROUND_STATUSES
from app.models.database import Database
from app.models.enums import RoundStatus
from app.services.access.permissions import Permission, allowed
from app.services.changes import Topic
from app.services.review.publication import PUBLICITY, publicity_check
from app.services.review.publication_gate import GateReport, check_round
from app.services.review.round_status import change_status, next_status, status_history
from app.services.rounds.definition import PUBLISHED, RoundInfo, list_rounds
from app.timefmt import local_time
from app.ui.itemmodels.rounds_table_model import RoundsTableModel
from app.ui.pages.assignments_dialog import AssignmentsDialog
from app.ui.pages.new_round_dialog import NewRoundDialog
from app.ui.pages.page import Page
from app.ui.pages.round_setup import RoundSetup
from app.ui.pages.rules_dialog import RulesDialog
from app.ui.pages.rules_form import ROUNDINGS, SCOPES, TIES
from app.ui.pages.sheet_actions import SheetActions
from app.ui.pages.status_step_dialog import StatusStepDialog
from app.ui.status_line import StatusLine
from app.ui.tasks import run_task


class RoundsPage(RoundSetup, SheetActions, Page):
    SHOWS = frozenset({Topic.ROUNDS, Topic.FRAMEWORKS, Topic.UNITS, Topic.SCORES})

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.step_dialog: StatusStepDialog | None = None
        self.model = RoundsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton(self.tr("新建考核批次…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        self.edit_button.setToolTip(self.tr("尚无评分时：改名称、年度、指标体系、参加单位，或删除"))
        edit_menu = QMenu(self.edit_button)
        edit_menu.addAction(self.tr("修改名称、年度、指标体系或单位…"), lambda: self.edit_round())
        edit_menu.addAction(self.tr("删除考核批次…"), lambda: self.delete_round())
        self.edit_button.setMenu(edit_menu)
        self.forward_button = QPushButton()
        self.back_button = QPushButton(self.tr("退回…"))
        self.rules_button = QPushButton(self.tr("规则…"))
        self.rules_button.setToolTip(self.tr("等次、优秀名额、排名靠后、满意度免测；发布前可改"))
        self.assign_button = QPushButton(self.tr("分工…"))
        self.assign_button.setToolTip(self.tr("谁评哪些指标、哪些单位；回避本单位"))
        self.export_sheets_button = QPushButton(self.tr("导出离线评分表…"))
        self.export_sheets_button.setToolTip(
            self.tr("每位评分人一份 .xlsx：只含其分工，规则可见，只有评分格可填")
        )
        sheets_menu = QMenu(self.export_sheets_button)
        sheets_menu.addAction(self.tr("只导出评分表…"), lambda: self.export_sheets())
        sheets_menu.addAction(
            self.tr("评分表及佐证材料（每人一个文件夹）…"),
            lambda: self.export_sheets(with_evidence=True),
        )
        self.export_sheets_button.setMenu(sheets_menu)
        self.import_sheets_button = QPushButton(self.tr("导入离线评分表…"))
        self.import_sheets_button.setToolTip(self.tr("先显示将改变的评分，确认后才写入"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message = StatusLine()
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.forward_button,
            self.back_button,
            self.rules_button,
            self.assign_button,
            self.export_sheets_button,
            self.import_sheets_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        self.new_button.clicked.connect(self.new_round)
        self.forward_button.clicked.connect(self.move_forward)
        self.back_button.clicked.connect(self.move_back)
        self.rules_button.clicked.connect(lambda: self.edit_rules())
        self.assign_button.clicked.connect(lambda: self.edit_assignments())
        self.import_sheets_button.clicked.connect(lambda: self.import_sheets())
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """The rounds again, ``keep`` (or the round selected now) selected."""
        if keep is None and (shown := self.current()) is not None:
            keep = shown.name
        rounds = list_rounds(self._db)
        self.model.set_rounds(rounds)
        row = next((i for i, r in enumerate(rounds) if r.name == keep), 0)
        if rounds:
            self.table.selectRow(row)
        self._selected(self.model.index(row, 0), QModelIndex())

    def current(self) -> RoundInfo | None:
        return self.model.round_at(self.table.currentIndex().row())

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        info = self.model.round_at(current.row())
        self.forward_button.setEnabled(info is not None and next_status(info.status) is not None)
        self.back_button.setEnabled(info is not None and info.status != ROUND_STATUSES[0])
        self.assign_button.setEnabled(info is not None and info.status != RoundStatus.PUBLISHED)
        self.rules_button.setEnabled(info is not None and info.status != RoundStatus.PUBLISHED)
        self.export_sheets_button.setEnabled(info is not None)
        self.import_sheets_button.setEnabled(
            info is not None and info.status != RoundStatus.PUBLISHED
        )
        if info is None:
            self.forward_button.setText(self.tr("推进状态"))
            self.details.setText(self.tr("还没有考核批次。"))
            return
        following = next_status(info.status)
        self.forward_button.setText(
            self.tr("推进到“{status}”").format(status=following) if following else self.tr("已发布")
        )
        bands = "、".join(f"{b.name}≥{b.minimum}" for b in info.rules.grades)
        for category, special in info.rules.category_grades.items():
            bands += f"（{category}：" + "、".join(f"{b.name}≥{b.minimum}" for b in special) + "）"
        steps = "<br>".join(
            f"{local_time(s.at):%Y-%m-%d %H:%M}　{s.user}　{s.old or self.tr('新建')} → {s.new}"
            + (self.tr("（理由：{reason}）").format(reason=s.reason) if s.reason else "")
            for s in status_history(self._db, info.name)
        )
        dates = "；".join(f"{label} {day}" for day, label in info.deadlines.labelled() if day)
        self.details.setText(
            self.tr(
                "<b>规则</b>：等次 {bands}；加分上限 {cap}；{trim} 人及以上评分去掉最高最低分"
                "<br>{quota}"
                "<br><b>期限</b>：{dates}<br><b>状态记录</b><br>{steps}"
            ).format(
                dates=dates or self.tr("未设"),
                bands=bands,
                cap=info.rules.bonus_cap if info.rules.bonus_cap is not None else self.tr("无"),
                trim=info.rules.trim_from,
                quota=self._quota_words(info),
                steps=steps or "—",
            )
        )

    def _quota_words(self, info: RoundInfo) -> str:
        rules = info.rules
        parts = []
        if rules.top_quota is not None:
            scope = QCoreApplication.translate("RulesForm", dict(SCOPES)[rules.quota_scope])
            rounding = QCoreApplication.translate(
                "RulesForm", dict(ROUNDINGS)[rules.quota_rounding]
            )
            ties = QCoreApplication.translate("RulesForm", dict(TIES)[rules.quota_ties])
            parts.append(
                self.tr("优秀不超过 {q}%（{s}，{r}；{t}）").format(
                    q=f"{rules.top_quota * 100:g}", s=scope, r=rounding, t=ties
                )
            )
        if rules.bottom_n:
            parts.append(self.tr("各类别排名最后 {n} 位通报为排名靠后").format(n=rules.bottom_n))
        if rules.satisfaction_weight is not None:
            parts.append(
                self.tr("满意度占 {w}%").format(w=f"{rules.satisfaction_weight * 100:g}")
                + (
                    self.tr("（免测 {n} 个单位）").format(n=len(rules.satisfaction_exempt))
                    if rules.satisfaction_exempt
                    else ""
                )
            )
        return "；".join(parts)

    def new_round(self) -> None:
        dialog = NewRoundDialog(self._db, self)
        dialog.changes_made.connect(self.announce)
        if dialog.exec():
            self.reload(dialog.name_edit.text().strip())

    def edit_rules(self) -> RulesDialog | None:
        info = self.current()
        if info is None:
            return None
        dialog = RulesDialog(self._db, info, self)
        dialog.changes_made.connect(self.announce)
        dialog.finished.connect(lambda _result: self.reload(info.name))
        dialog.open()
        return dialog

    def edit_assignments(self) -> AssignmentsDialog | None:
        info = self.current()
        if info is None:
            return None
        dialog = AssignmentsDialog(self._db, info.name, self)
        dialog.changes_made.connect(self.announce)
        dialog.open()
        return dialog

    def _failed(self, error: Exception) -> None:
        self.message.refused(error, self.tr("未写入任何数据：\n"))

    def _note(self, text: str, ok: bool = False) -> None:
        self.message.say(text, error=not ok)

    def move_forward(self) -> None:
        """One step, confirmed. The button is off until the step is done or cancelled, and the
        service is told the status the clerk saw: a double-click moves one step at most."""
        info = self.current()
        if info is None or self.step_dialog is not None:
            return
        target = next_status(info.status)
        if target is None:
            return
        self.forward_button.setEnabled(False)
        if target not in (PUBLICITY, PUBLISHED):
            self._ask_step(info, target, None)
            return
        self._note(self.tr("正在做发布前检查…"), ok=True)
        run_task(
            lambda: (publicity_check if target == PUBLICITY else check_round)(self._db, info.name),
            lambda report: self._ask_step(info, target, report),
            self._step_failed,
        )

    def _ask_step(self, info: RoundInfo, target: str, report: GateReport | None) -> None:
        self.message.clear()
        dialog = StatusStepDialog(
            info.name,
            info.status,
            target,
            report,
            allowed(Permission.PUBLISH_OVERRIDE),
            self,
            publicity_until=info.deadlines.publication,
        )
        self.step_dialog = dialog

        def finished(result: int) -> None:
            self.step_dialog = None
            if result == QDialog.DialogCode.Accepted:
                self._change(
                    info.name,
                    target,
                    dialog.reason(),
                    expected=info.status,
                    override=dialog.override(),
                    publicity_until=dialog.publicity_until(),
                )
            else:
                self.reload(info.name)

        dialog.finished.connect(finished)
        dialog.open()

    def _step_failed(self, error: Exception) -> None:
        self.reload(self.current().name if self.current() else None)
        self._failed(error)

    def move_back(self) -> None:
        info = self.current()
        if info is None:
            return
        earlier = list(ROUND_STATUSES[: ROUND_STATUSES.index(info.status)])
        target, ok = QInputDialog.getItem(
            self, self.tr("退回"), self.tr("退回到："), earlier, len(earlier) - 1, False
        )
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, self.tr("退回"), self.tr("退回理由（必填）："))
        if ok:
            self._change(info.name, target, reason, expected=info.status)

    def _change(
        self,
        name: str,
        target: str,
        reason: str,
        *,
        expected: str,
        override: bool = False,
        publicity_until: date | None = None,
    ) -> None:
        try:
            done = change_status(
                self._db,
                name,
                target,
                reason,
                expected=expected,
                override=override,
                publicity_until=publicity_until,
            )
        except UserError as error:
            self.reload(name)
            self.message.say(str(error), error=True)
            return
        self.message.clear()
        self.reload(name)
        self.announce(done.changes)
