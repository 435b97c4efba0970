"""The self-test's window step: the main window offscreen, every page opened once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.models.database import Database
from app.ui.fonts import interface_font, register_bundled_fonts
from app.ui.main_window import MainWindow


def open_every_page(db: Database, shot: Path) -> str:
    """Each page's code loads when first shown, so a package that left one out fails here,
    not in front of the user. Saves the first page to ``shot``."""
    app = QApplication.instance() or QApplication([])
    register_bundled_fonts()
    app.setFont(interface_font())  # type: ignore[union-attr]
    window = MainWindow(db, "自检")
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    for key in window.page_keys:
        try:
            window.show_page(key)
            app.processEvents()
        except Exception as exc:
            raise AssertionError(f"页面“{key}”打不开：{exc}") from exc
    window.show_page(window.page_keys[0])
    if not window.grab().save(str(shot)):
        raise AssertionError("无法保存窗口截图")
    window.close()
    return f"{len(window.page_keys)} 个页面都能打开；{shot}"
