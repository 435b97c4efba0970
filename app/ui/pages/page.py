"""What every page of the main window has in common: what it shows, and how it hears of writes.

A page that writes emits ``changes_made`` with the ``Changes`` the service returned; the window
passes them to every other page whose ``SHOWS`` they touch (Anki's ``operation_did_execute``).
A page on screen reads again at once; one out of sight when it is next shown.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.changes import Changes, Topic


class Page(QWidget):
    changes_made = Signal(object)  # Changes: what this page's own write changed

    SHOWS: frozenset[Topic] = frozenset()  # the kinds of data the page shows
    REFRESH_WHEN_SHOWN = False  # what it shows moves on with the clock (deadlines, overdue)

    def reload(self) -> None:
        """Read again what the page shows (each page says how)."""
        raise NotImplementedError

    def refresh_for(self, changes: Changes) -> None:
        """On screen when ``changes`` arrive: read again (a page that can read less, e.g. just
        the cells another client wrote, says so)."""
        self.reload()

    def affected_by(self, changes: Changes) -> bool:
        return changes.touches(*self.SHOWS)

    def announce(self, changes: Changes) -> None:
        """After a write of this page (or its dialog): tell the others."""
        if changes:
            self.changes_made.emit(changes)
