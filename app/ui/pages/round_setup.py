"""The rounds page's 修改 menu: a round nobody has worked in is corrected (name, year, indicator
system, units) in the dialog it was created in, or deleted with a reason. Kept apart from the
page because it is a job of its own; the services refuse a round already scored, with why."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from app.errors import UserError
from app.models.database import Database
from app.services.rounds.definition import RoundInfo
from app.services.rounds.round_edit import delete_round, taking_part
from app.ui.pages.new_round_dialog import NewRoundDialog
from app.ui.status_line import StatusLine


class RoundSetup:
    """Mixed into RoundsPage (a Page)."""

    _db: Database
    message: StatusLine

    def current(self) -> RoundInfo | None:
        raise NotImplementedError

    def edit_round(self) -> NewRoundDialog | None:
        info = self.current()
        if info is None:
            return None
        dialog = NewRoundDialog(self._db, self)  # type: ignore[arg-type]
        dialog.edit(info, taking_part(self._db, info.name))
        dialog.changes_made.connect(self.announce)  # type: ignore[attr-defined]
        dialog.accepted.connect(lambda: self.reload(dialog.name_edit.text().strip()))  # type: ignore[attr-defined]
        dialog.open()
        return dialog

    def delete_round(self, reason: str | None = None) -> None:
        info = self.current()
        if info is None:
            return
        parent: QWidget = self  # type: ignore[assignment]
        if reason is None:
            answer = QMessageBox.question(
                parent,
                parent.tr("删除考核批次"),
                parent.tr("删除考核批次“{name}”？删除前会自动备份。").format(name=info.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            reason, ok = QInputDialog.getText(
                parent, parent.tr("删除考核批次"), parent.tr("删除的理由（记入变更记录）：")
            )
            if not ok:
                return
        try:
            changes = delete_round(self._db, info.name, reason)
        except UserError as error:
            self.message.refused(error)
            return
        self.reload()  # type: ignore[attr-defined]
        self.announce(changes)  # type: ignore[attr-defined]
        self.message.say(parent.tr("已删除考核批次“{name}”").format(name=info.name))
