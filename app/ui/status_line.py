"""The line under a page's work that says what just happened: green when it was done, red with
the reason when it was refused. A bad workbook lists its problems by sheet, row and column."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.errors import UserError, WorkbookError

OK_COLOUR, ERROR_COLOUR = "#1b5e20", "#b00020"
SHOWN_PROBLEMS = 15


def describe_problems(error: WorkbookError) -> str:
    lines = [str(p) for p in error.problems[:SHOWN_PROBLEMS]]
    more = len(error.problems) - len(lines)
    if more > 0:
        lines.append(QCoreApplication.translate("StatusLine", "……另有 {more} 处").format(more=more))
    return "\n".join(lines)


class StatusLine(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def say(self, text: str, error: bool = False) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOUR if error else OK_COLOUR}")
        self.setText(text)

    def refused(self, error: Exception, prefix: str = "") -> None:
        """Say why an operation was refused; anything but a user's error is a bug and goes on
        to the error dialog."""
        if isinstance(error, WorkbookError):
            self.say(prefix + describe_problems(error), error=True)
        elif isinstance(error, UserError):
            self.say(str(error), error=True)
        else:
            raise error
