"""The main window and what it stands on — the open database, a file's lock, the daily
backup, the person signed in — replaced whole when the person switches to a server or back to
a file, so that no page keeps reading the database it was built on."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from app.services.access.actor import Actor, set_actor
from app.ui.daily_backup import DailyBackup
from app.ui.database_opening import Opened, who_is_there
from app.ui.main_window import MainWindow


class WindowHost(QObject):
    def __init__(self, opened: Opened, actor: Actor) -> None:
        super().__init__()
        self.opened = opened
        set_actor(actor)
        self.window = self._build(actor)

    def _build(self, actor: Actor) -> MainWindow:
        window = MainWindow(self.opened.database, self.opened.label)
        window.statusBar().addPermanentWidget(
            QLabel(
                self.tr("当前用户：{user}（{role}）").format(user=actor.username, role=actor.role)
            )
        )
        window.server_actions.opened.connect(self.switch)
        return window

    def start(self) -> None:
        """The checks that run while the window is up (not for an offscreen picture)."""
        from app.ui.state_check import check_at_start

        self.daily = DailyBackup(self.opened.database, self.window)
        check_at_start(self.opened.database, self.window)  # issue 15 §1: off the GUI thread

    def switch(self, opened: Opened) -> None:
        """The new database replaces the old once someone may work in it; if the sign-in is
        cancelled, the window stays on the old one."""
        actor = who_is_there(opened, offscreen=False, parent=self.window)
        if actor is None:
            opened.close()
            return
        old_window, old = self.window, self.opened
        self.opened = opened
        set_actor(actor)
        self.window = self._build(actor)
        self.window.setGeometry(old_window.geometry())
        self.window.show()
        self.start()
        old_window.close()
        old_window.deleteLater()
        old.close()

    def close(self) -> None:
        self.opened.close()
