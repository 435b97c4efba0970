"""备份恢复 page: list, back up now, restore after showing what the backup holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Unit
from app.models.database import Database
from app.services.maintenance.backups import create_backup
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

    def answer_yes(title, text):  # the user reads the contents, agrees and says why
        asked.append(text)
        return "误加了单位"

    monkeypatch.setattr(page, "ask", answer_yes)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.changes_made):
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
    monkeypatch.setattr(page, "ask", lambda title, text: None)
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


def test_the_restore_asks_why_and_the_reason_is_logged(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.access.audit import list_changes

    with db.transaction() as session:
        session.add(Unit(name="市司法局"))
    create_backup(db, "手动")
    page = BackupsPage(db)
    qtbot.addWidget(page)
    monkeypatch.setattr(page, "ask", lambda title, text: "撤回误导入")
    page.table.selectRow(0)
    with qtbot.waitSignal(page.changes_made):
        page.restore_button.click()
    last = list_changes(db)[-1]
    assert (last.entity, last.action, last.reason) == ("数据库", "恢复", "撤回误导入")


def test_only_an_administrator_changes_where_backups_go(
    qtbot, db: Database, tmp_path: Path
) -> None:
    from app.models.accounts import ROLE_ADMIN, ROLE_STAFF
    from app.services.access import accounts
    from app.services.access.actor import acting_as
    from app.services.access.audit import list_changes
    from app.settings import load_settings

    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "wang", "staff-pw-1", ROLE_STAFF)
    with acting_as(accounts.sign_in(db, "wang", "staff-pw-1")):
        page = BackupsPage(db)
        qtbot.addWidget(page)
        assert not page.change_folder_button.isEnabled()
        assert not page.default_folder_button.isEnabled() and not page.daily_box.isEnabled()
        page.set_folder(str(tmp_path / "别处"))  # even if reached some other way
        assert "无权" in page.message.text()
        assert load_settings().backup_folder == ""
    with acting_as(accounts.sign_in(db, "admin", "admin-pw-1")):
        page = BackupsPage(db)
        qtbot.addWidget(page)
        assert page.change_folder_button.isEnabled()
        page.set_folder(str(tmp_path / "别处"))
        page.daily_box.setChecked(False)
    assert load_settings().backup_folder == str(tmp_path / "别处")
    logged = [(c.entity, c.key, c.user) for c in list_changes(db) if c.entity == "设置"]
    assert logged == [("设置", "备份文件夹", "admin"), ("设置", "每日自动备份", "admin")]
