"""The first window: the current round's ranking, in Chinese, and its offscreen screenshot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.__main__ import main
from app.models.opening import open_database
from app.services.review.results import compute_round_results
from app.ui.itemmodels.ranking_table_model import FINAL, NOTE, RANK, UNIT, RankingTableModel
from app.ui.main_window import MainWindow


def test_ranking_model_passes_qt_model_checks(qtmodeltester, demo_db_file: Path) -> None:
    db = open_database(demo_db_file)
    results = compute_round_results(db, "2025年度法治政府建设考核")
    model = RankingTableModel()
    model.set_results(results.result.units)
    qtmodeltester.check(model)
    assert model.rowCount() == 80
    db.dispose()


def test_window_shows_the_round_ranked(qtbot, demo_db_file: Path) -> None:
    db = open_database(demo_db_file)
    window = MainWindow(db, str(demo_db_file))
    qtbot.addWidget(window)
    page = window.results_page
    assert page.round_box.currentText() == "2025年度法治政府建设考核"
    proxy = page.proxy
    assert proxy.rowCount() == 80
    first = proxy.index(0, RANK).data()
    assert first == "1"
    finals = [float(proxy.index(r, FINAL).data()) for r in range(proxy.rowCount())]
    ranks = [int(proxy.index(r, RANK).data()) for r in range(proxy.rowCount())]
    assert ranks == sorted(ranks)
    vetoed = [r for r in range(proxy.rowCount()) if "否决" in str(proxy.index(r, NOTE).data())]
    standing = [(r in vetoed, -f) for r, f in enumerate(finals)]
    assert standing == sorted(standing)  # vetoed units after all others (issue 14 §2)
    rules = page.rules_text.text()  # the rules that decided grades, as the 通报 says them
    assert "一票否决" in rules and "排名靠后" in rules
    page.category_box.setCurrentText(page.category_box.itemText(1))
    category = page.category_box.itemText(1)
    assert 0 < proxy.rowCount() < 80
    assert all(proxy.index(r, 2).data() == category for r in range(proxy.rowCount()))
    assert proxy.headerData(UNIT, Qt.Orientation.Horizontal) == "单位"
    db.dispose()


def test_screenshot_option_saves_the_window(demo_db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    assert main(["--db", str(demo_db_file), "--screenshot", str(out), "--page", "results"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)


def test_screenshot_of_an_unknown_page_is_refused(demo_db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    assert main(["--db", str(demo_db_file), "--screenshot", str(out), "--page", "nowhere"]) == 2
    assert not out.exists()


def test_framework_tree_model_passes_qt_model_checks(qtmodeltester, demo_db_file: Path) -> None:
    from app.services.setup.frameworks import get_framework_tree
    from app.ui.itemmodels.framework_tree_model import FrameworkTreeModel

    db = open_database(demo_db_file)
    model = FrameworkTreeModel()
    model.set_tree(get_framework_tree(db, "法治政府建设指标体系"))
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    first_area = model.index(0, 0)
    assert model.rowCount(first_area) > 0
    assert model.parent(model.index(0, 0, first_area)) == first_area
    db.dispose()


def test_frameworks_page_shows_the_tree(qtbot, demo_db_file: Path) -> None:
    db = open_database(demo_db_file)
    window = MainWindow(db, str(demo_db_file))
    qtbot.addWidget(window)
    window.show_page("frameworks")
    page = window.frameworks_page
    assert page.framework_box.count() == 2
    assert "100 个末级指标" in page.caption.text() or "102 个末级指标" in page.caption.text()
    db.dispose()


def test_results_page_exports_and_shows_a_units_detail(
    qtbot, demo_db_file: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    db = open_database(demo_db_file)
    window = MainWindow(db, str(demo_db_file))
    qtbot.addWidget(window)
    page = window.results_page
    out = tmp_path / "排名.xlsx"
    page.export_to(str(out))
    assert load_workbook(out)["总排名"]["B3"].value == page.proxy.index(0, UNIT).data()
    dialog = page.show_detail(page.proxy.index(0, 0))  # a double-click on the first row
    qtbot.waitUntil(lambda: dialog.calculation is not None, timeout=20000)
    model = dialog.model
    assert sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount())) == 102
    headers = {model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())}
    assert "司法局考核组" in headers  # each assessor has a column with their values
    db.dispose()


def test_an_error_while_rendering_offscreen_exits_instead_of_waiting(tmp_path: Path) -> None:
    """A screenshot run that meets an unexpected error must not sit behind a modal dialog
    nobody can see (it used to hang until killed)."""
    import os
    import sqlite3
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "broken.db"
    main(["--db", str(db), "units", "list"])  # a fresh file at the current schema
    with sqlite3.connect(db) as connection:  # a column the program needs disappears
        connection.execute("ALTER TABLE units RENAME COLUMN short_name TO gone")
    connection.close()
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "--screenshot", str(tmp_path / "s.png")],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)},
        timeout=60,
    )
    assert done.returncode != 0 and "Traceback" in done.stderr
