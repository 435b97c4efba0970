"""The 申辩复核 page's objections: recorded from the dialog, then reviewed — accepted with a new
score (written as a logged score change) or rejected with a reason. Kept apart from the page
because recording and reviewing objections is a job of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox

from app.errors import UserError
from app.models.database import Database
from app.services.review.objections import (
    ObjectionInfo,
    add_objection,
    objection_choices,
    review_objection,
)
from app.ui.pages.review.objection_dialog import ObjectionDialog, ReviewDialog, as_decimal
from app.ui.status_line import StatusLine


class Objections:
    """Mixed into ReviewPage (a QWidget): the buttons that record and review objections."""

    _db: Database
    round_box: QComboBox
    message: StatusLine

    def new_objection(self, values: dict[str, Any] | None = None) -> int | None:
        round_name = self.round_box.currentText()
        if not round_name:
            return None
        if values is None:
            dialog = ObjectionDialog(
                objection_choices(self._db, round_name),
                self,
                submit=lambda typed: add_objection(self._db, round_name, **typed),
            )
            if not dialog.exec():
                if dialog.error.text():  # closed after a refusal: say it where it stays
                    self.message.say(
                        self.tr("未登记：{why}").format(why=dialog.error.text()), error=True
                    )
                return None
            values, added = dialog.values(), dialog.outcome
        else:
            try:
                added = add_objection(self._db, round_name, **values)
            except UserError as error:
                self.message.say(str(error), error=True)
                return None
        new_id = added.value
        self.announce(added.changes)
        self.show_round(round_name)
        self._select(new_id)
        self.message.say(
            self.tr("已登记申辩 {id}：{u} {l}").format(
                id=new_id, u=values["unit"], l=values["leaf"]
            )
        )
        return new_id

    def accept_selected(self, score: str | None = None) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if score is None:
            suggested = chosen.requested if chosen.requested is not None else chosen.score_before
            question = self.tr("{u} {l}（满分 {p}）").format(
                u=chosen.unit, l=chosen.leaf, p=f"{chosen.points.normalize():f}"
            )
            ReviewDialog(
                self.tr("采纳申辩"),
                question,
                "" if suggested is None else f"{suggested.normalize():f}",
                lambda typed, opinion: self._decide(chosen, True, typed, opinion),
                self,
            ).exec()
            return
        self._review(chosen, accept=True, score=score)

    def reject_selected(self, reason: str | None = None) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if reason is None:
            ReviewDialog(
                self.tr("不予采纳"),
                self.tr("{u} {l}：不予采纳的理由").format(u=chosen.unit, l=chosen.leaf),
                None,
                lambda _score, opinion: self._decide(chosen, False, "", opinion),
                self,
            ).exec()
            return
        self._review(chosen, accept=False, reason=reason)

    def _review(
        self, chosen: ObjectionInfo, *, accept: bool, score: str = "", reason: str = ""
    ) -> None:
        try:
            self._decide(chosen, accept, score, reason)
        except UserError as error:
            self.message.say(str(error), error=True)

    def _decide(self, chosen: ObjectionInfo, accept: bool, score: str, opinion: str) -> None:
        """The review written (refusals raise, for the dialog to show in place), then shown."""
        reviewed = review_objection(
            self._db,
            chosen.round,
            chosen.id,
            accept=accept,
            score=as_decimal(score) if accept else None,
            reason=opinion,
        )
        self.announce(reviewed.changes)
        done = reviewed.value
        self.show_round(chosen.round)
        self._select(done.id)
        self.message.say(self.tr("申辩 {id} 已复核：{s}").format(id=done.id, s=done.status))
