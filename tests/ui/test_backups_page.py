"""备份恢复 page: list, back up now, restore after showing what the backup holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import Unit
from app.models.database import Database
from app.services.backups import create_backup
from app.ui.pages.backups_page import BackupsPage


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


def unit_names(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Unit.name).order_by(Unit.id)))


def test_restore_shows_contents_then_brings_the_data_back(
    qtbot, qtmodeltester, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as session:
        session.add_all([Unit(name="市司法局"), Unit(name="市公安局")])
    create_backup(db, "手动")
    with db.transaction() as session:
        session.add(Unit(name="误加的单位"))
    page = BackupsPage(db)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 1
    asked: list[str] = []

    def answer_yes(parent, title, text, *rest):  # the user reads the contents and agrees
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.database_replaced):
        page.restore_button.click()
    assert "考核对象 2 个" in asked[0]
    assert unit_names(db) == ["市司法局", "市公安局"]
    assert page.model.rowCount() == 2  # the safety backup made before restoring is listed
    assert "恢复前" in page.message.text()


def test_declined_restore_changes_nothing(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as session:
        session.add(Unit(name="市司法局"))
    create_backup(db, "手动")
    with db.transaction() as session:
        session.add(Unit(name="市财政局"))
    page = BackupsPage(db)
    qtbot.addWidget(page)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    page.table.selectRow(0)
    page.restore_button.click()
    assert unit_names(db) == ["市司法局", "市财政局"]


def test_backup_now_and_a_chosen_folder(qtbot, db: Database, tmp_path: Path) -> None:
    page = BackupsPage(db)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    chosen = tmp_path / "别处"
    page.set_folder(str(chosen))
    page.backup_button.click()
    assert page.model.rowCount() == 1
    assert len(list(chosen.glob("kaoping-*手动.db"))) == 1
    assert str(chosen) in page.folder_label.text()
    page.daily_box.setChecked(False)
    from app.settings import load_settings

    assert load_settings().daily_backup is False
