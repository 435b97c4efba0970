"""Two clients on one server (issue 18): an edit made through one reaches the other's window
within a second or two, and its 评分录入 page shows the new value."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from app.models.database import Database
from app.models.opening import open_database
from app.services.changes import Topic
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes
from app.ui.itemmodels.score_grid_model import FIXED
from app.ui.main_window import MainWindow
from app.ui.server_listener import ServerListener, start_listening
from tests.cells import by_ids
from tests.small_round import ASSESSOR, ROUND, build_small_round


def _write(db: Database, n: int) -> None:
    value = CellValue(deduction=Decimal(n), reason="制度未及时更新")
    apply_changes(db, ROUND, by_ids(db, ROUND, NamedChange("市公安局", "1.1.1", ASSESSOR, value)))


def test_another_clients_edit_shows_in_this_window(qtbot, pg_db: Database, tmp_path: Path) -> None:
    build_small_round(pg_db, tmp_path, ["市公安局"])
    other = open_database(pg_db.engine.url.render_as_string(hide_password=False))
    window = MainWindow(other, "服务器")
    qtbot.addWidget(window)
    assert isinstance(window.listener, ServerListener)
    window.show_page("scoring")
    page = window.scoring_page
    model = page.model
    row = next(r for r, leaf in enumerate(model.leaves) if leaf.code == "1.1.1")
    column = next(c for c in range(len(FIXED), model.columnCount()) if model.index(row, c).data())
    assert model.index(row, column).data() == "1"
    grid = page.grid
    time.sleep(0.3)  # the listener has issued LISTEN
    with qtbot.waitSignal(window.listener.changed, timeout=2000) as heard:
        _write(pg_db, 3)
    assert heard.args[0].touches(Topic.SCORES)
    assert heard.args[0].only_cells(grid.round_id) and len(heard.args[0].cells) == 1
    qtbot.waitUntil(lambda: page.model.index(row, column).data() == "3", timeout=1000)
    # Only the cell was read: the round's grid in memory is the same one, updated in place.
    assert page.grid is grid
    window.close()
    assert window.listener._thread is None  # stopped on close
    other.dispose()


def test_a_window_on_a_file_does_not_listen(qtbot, db: Database) -> None:
    assert start_listening(db, None) is None  # type: ignore[arg-type]
