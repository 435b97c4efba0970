"""Two windows on one cell (issue 18): the second write is refused on the message line with
who changed the cell, when and to what, and the cell shows the value now stored."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from app.models.opening import open_database
from app.services.access.actor import Actor, acting_as
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.pages.scoring.page import ScoringPage


def _page(qtbot, path: Path) -> ScoringPage:
    page = ScoringPage(open_database(path))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    return page


def test_the_second_window_is_told_and_shows_the_first_ones_value(
    qtbot, demo_db_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    first, second = _page(qtbot, path), _page(qtbot, path)
    model = first.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.method == "扣分")
    column = next(
        c
        for c in range(len(FIXED), model.columnCount())
        if model.flags(model.index(row, c)) & Qt.ItemFlag.ItemIsEditable
        and model.index(row, c).data() != "2"
    )
    before = second.model.index(row, column).data()
    with acting_as(Actor("张三", "考核办")):
        assert first.model.setData(first.model.index(row, column), "2")
    shown = second.model.index(row, column)
    assert shown.data() == before  # the second window has not read it yet
    assert second.model.setData(shown, "3") is False
    text = second.message.text()
    assert "张三" in text and "扣分: 2" in text and "未写入" in text
    assert second.model.index(row, column).data() == "2"  # the stored value, shown
    assert second.model.setData(second.model.index(row, column), "3")  # now it goes in
    for page in (first, second):
        page._db.dispose()
