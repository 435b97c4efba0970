"""The check at start (issue 15 §1): the change log's chain and the data against it, off the
GUI thread; when something was changed outside the program a warning says so plainly and
offers the 变更记录 page, where every difference is listed. Its texts are translated in the
context "state_check" (functions, no QObject of their own to tr() on)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.models.database import Database
from app.services.access.state_verify import Verification, sees_whole_state, verify_database
from app.ui.tasks import run_task


def check_at_start(db: Database, window: Any) -> None:
    """Start the check; the window stays usable while it runs. Not for an 评分人 on a server:
    they read only their own share, and the office's accounts check the whole."""
    if not sees_whole_state(db):
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "state_check", "数据与变更记录的整体校验由考核办进行（评分人只能读到自己的评分）"
            ),
            10000,
        )
        return
    window.statusBar().showMessage(
        QCoreApplication.translate("state_check", "正在校验数据与变更记录…"), 10000
    )
    run_task(
        lambda: verify_database(db),
        lambda verification: _report(window, verification),
        lambda error: _failed(window, error),
    )


def _closed(window: Any) -> bool:
    """The window went while the check ran (closed at once, or a test over): nobody to tell."""
    try:
        return not window.isVisible() and bool(getattr(window, "closing", False))
    except RuntimeError:  # its C++ side is gone
        return True


def _report(window: Any, verification: Verification) -> None:
    if _closed(window):
        return
    if verification.ok:
        state = verification.state
        window.statusBar().showMessage(
            QCoreApplication.translate(
                "state_check", "数据与变更记录一致（校验用时 {s:.1f} 秒）"
            ).format(s=state.seconds if state is not None else 0.0),
            10000,
        )
        return
    box = warning_box(window, verification)
    box.open()
    window.state_warning = box  # kept for the tests and so the box is not collected


def warning_box(parent: QWidget, verification: Verification) -> QMessageBox:
    chain, state = verification.chain, verification.state
    lines: list[str] = []
    if chain.first_broken is not None:
        lines.append(
            QCoreApplication.translate("state_check", "变更记录链校验失败：{p}").format(
                p=chain.problem
            )
        )
    if state is not None:
        lines += state.summary(limit=30)
    count = len(state.differences) if state is not None else 0
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("state_check", "数据与变更记录不一致"),
        QCoreApplication.translate(
            "state_check",
            "数据库中有数据在本程序之外被改动，与变更记录不符（{n} 处）。\n\n"
            "在查明之前：发布考核结果和印发带校验码的文书会被拒绝。请管理员到“变更记录”页"
            "查看每一处改动，然后从备份恢复，或核实后确认并重新封存。",
        ).format(n=count),
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setDetailedText("\n".join(lines))
    show = box.addButton(
        QCoreApplication.translate("state_check", "查看变更记录"), QMessageBox.ButtonRole.AcceptRole
    )

    def open_audit_page() -> None:
        if box.clickedButton() is show and hasattr(parent, "show_page"):
            parent.show_page("audit")
            parent.audit_page.show_verification(verification)

    box.finished.connect(lambda _result: open_audit_page())
    return box


def _failed(window: Any, error: Exception) -> None:
    """Said without blocking (open, not exec): the check runs while the clerk works."""
    if _closed(window):
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("state_check", "无法校验数据"),
        QCoreApplication.translate("state_check", "校验数据与变更记录时出错：{e}").format(e=error),
        QMessageBox.StandardButton.Close,
        window,
    )
    box.open()
    window.state_warning = box
