"""Run a service call off the GUI thread and hand its result (or error) back by signal.

Widgets are only touched in the callbacks, which Qt delivers on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread, which decides how to show it
            self.signals.failed.emit(error)
            return
        self.signals.finished.emit(result)


_running: set[_Task] = set()  # keeps tasks (and their signal objects) alive until they report


def run_task(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> None:
    task = _Task(work)
    task.setAutoDelete(False)
    _running.add(task)

    def done(result: Any) -> None:
        _running.discard(task)
        on_done(result)

    def failed(error: Exception) -> None:
        _running.discard(task)
        on_error(error)

    task.signals.finished.connect(done)
    task.signals.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(task)


class ProgressRelay(QObject):
    """Carries a worker's progress(done, total) to the GUI thread."""

    advanced = Signal(int, int)


def run_with_progress(
    parent: Any,
    title: str,
    work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> Any:
    """Long work with a progress dialog and a working 取消 button: the service receives
    progress(done, total) and cancelled() and stops at its next safe point."""
    import threading

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QProgressDialog

    stop = threading.Event()
    dialog = QProgressDialog(title, QCoreApplication.translate("tasks", "取消"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.canceled.connect(stop.set)
    relay = ProgressRelay()

    def advanced(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(
            QCoreApplication.translate("tasks", "{title}：{done}/{total}").format(
                title=title, done=done, total=total
            )
        )

    relay.advanced.connect(advanced)

    def finished(result: Any) -> None:
        dialog.reset()
        dialog.close()
        on_done(result)

    def failed(error: Exception) -> None:
        dialog.reset()
        dialog.close()
        on_error(error)

    run_task(lambda: work(relay.advanced.emit, stop.is_set), finished, failed)
    dialog.relay = relay  # type: ignore[attr-defined] - lives as long as the dialog
    return dialog
