"""On a server, the other clients' writes reach this window's pages (issue 18): the service's
listener runs on a thread of its own and hands each ``Changes`` to the GUI thread by a
queued signal; changes arriving together are passed on as one, so twenty busy clients cost a
page one reading every short while, not one per edit."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from app.models.database import Database
from app.services.changes import NOTHING, Changes
from app.services.live_changes import listen

GATHER_MS = 150  # changes within this are passed on together


class ServerListener(QObject):
    changed = Signal(object)  # Changes another client made
    _arrived = Signal(object)  # from the listening thread

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._gathered = NOTHING
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._pass_on)
        self._arrived.connect(self._gather)
        self.destroyed.connect(self._stop.set)  # the window went without closing

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kaoping-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stopped within a fraction of a second (the listener looks at the flag often)."""
        self._stop.set()
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def _run(self) -> None:
        for changes in listen(self._db, self._stop.is_set):
            if self._stop.is_set():
                return
            try:
                self._arrived.emit(changes)  # queued: the object lives in the GUI thread
            except RuntimeError:  # deleted meanwhile
                return

    def _gather(self, changes: Changes) -> None:
        self._gathered |= changes
        if not self._timer.isActive():
            self._timer.start()

    def _pass_on(self) -> None:
        changes, self._gathered = self._gathered, NOTHING
        if changes and not self._stop.is_set():
            self.changed.emit(changes)


def start_listening(db: Database, parent: QObject) -> ServerListener | None:
    """A listener for a server database, started; none for a file (one window per file)."""
    if db.engine.dialect.name != "postgresql":
        return None
    listener = ServerListener(db, parent)
    listener.start()
    return listener
