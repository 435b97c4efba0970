"""One version, from pyproject.toml, in the window title and the About box, which lists the
bundled fonts (with their licence files) and the libraries with their licences."""

from __future__ import annotations

import re
from pathlib import Path

from app.models.opening import open_database
from app.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_and_what_is_inside(qtbot, tmp_path: Path) -> None:
    declared = re.search(
        r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M
    ).group(1)
    db = open_database(tmp_path / "k.db")
    window = MainWindow(db, str(tmp_path / "k.db"))
    qtbot.addWidget(window)
    assert window.windowTitle().endswith(declared)
    about = window.show_about()
    qtbot.addWidget(about)
    assert declared in about.heading.text() and "k.db" in about.heading.text()
    parts = {p.name: p for p in (about.model.row_at(r) for r in range(about.model.rowCount()))}
    for font in ("uming.ttc", "ukai.ttc", "wqy-microhei.ttc"):
        assert parts[font].version == "随程序" and "缺失" not in parts[font].note
    assert parts["PySide6-Essentials"].licence == "LGPL-3.0"
    assert parts["reportlab"].version[0].isdigit()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件", "帮助"]
    db.dispose()
