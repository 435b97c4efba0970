"""开始使用 on an empty database: each step opens its page's action, the steps tick off, the
panel goes once a round exists, and last year's data file can take the empty one's place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton

from app.models.opening import open_database
from app.services.setup.units import list_units
from app.ui.main_window import MainWindow


def window_on(qtbot, path: Path) -> MainWindow:
    db = open_database(path)
    window = MainWindow(db, path.name)
    qtbot.addWidget(window)
    return window


def test_the_steps_open_their_pages(qtbot, tmp_path: Path, monkeypatch) -> None:
    window = window_on(qtbot, tmp_path / "empty.db")
    panel = window.home_page.getting_started
    assert not panel.isHidden()
    assert all(label.text().startswith("○") for label in panel.step_labels)
    called = []
    monkeypatch.setattr(window.units_page, "import_list", lambda: called.append("units"))
    monkeypatch.setattr(window.rounds_page, "new_round", lambda: called.append("rounds"))
    buttons = {b.text(): b for b in panel.findChildren(QPushButton)}
    buttons["导入单位名单…"].click()
    assert called == ["units"] and window.stack.currentWidget() is window.units_page
    buttons["新建考核批次…"].click()
    assert called == ["units", "rounds"] and window.stack.currentWidget() is window.rounds_page


def test_last_years_file_replaces_the_empty_one_and_the_panel_goes(
    qtbot, tmp_path: Path, demo_db_file: Path, monkeypatch
) -> None:
    window = window_on(qtbot, tmp_path / "empty.db")
    monkeypatch.setattr(
        window.backups_page,
        "ask",
        lambda title, text: "用去年的数据开始" if "考核对象 80 个" in text else None,
    )
    window.home_page.getting_started.open_data_file(str(demo_db_file))
    assert len(list_units(window.home_page._db)) == 80
    window.show_page("home")  # back on the home page, which reads the restored file
    assert window.home_page.getting_started.isHidden()
    texts = [label.text() for label in window.home_page.getting_started.step_labels]
    assert all(t.startswith("✔") for t in texts) and "已有 80 个单位" in texts[0]
