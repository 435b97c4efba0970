"""Backups of a server (issue 18): 备份 writes a snapshot file into this PC's backup folder, the
daily one runs from an administrator's client, and a restore goes to a new database or a file,
never over the live one — through the services, the command line and the 备份恢复 page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.models.accounts import ROLE_ADMIN, ROLE_STAFF
from app.models.opening import open_database
from app.services.access.actor import Actor, acting_as
from app.services.access.state_verify import verify_database
from app.services.entry.assignment_admin import add_assessor
from app.services.maintenance import backups
from app.services.maintenance.restore import restore_backup
from app.services.server.snapshots import import_file
from tests.postgres import database_url, drop_database, new_database
from tests.small_round import build_small_round


@pytest.fixture
def server(pg_server: str, pg_template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A server database holding a small round, and this PC's own backup folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("KAOPING_SETTINGS", str(tmp_path / "settings.json"))
    name, url = new_database(pg_server, pg_template)
    database = open_database(url)
    build_small_round(database, tmp_path, ["市司法局", "市公安局"])
    yield database
    database.dispose()
    drop_database(pg_server, name)


def test_a_backup_of_a_server_is_a_snapshot_file_in_this_pcs_folder(server) -> None:
    made = backups.create_backup(server, "手动")
    folder = backups.backup_folder(server)
    assert made.parent == folder and "server-backups" in str(folder)
    listed = backups.list_backups(folder)
    assert [b.path for b in listed] == [made] and listed[0].rounds == ["2025年度考核"]
    copy = open_database(made)
    assert verify_database(copy).ok
    copy.dispose()
    with backups.backup_before(server, "导入评分前") as before:  # none per import on a server
        assert before is None


def test_the_daily_backup_runs_from_an_administrators_client_only(server) -> None:
    with acting_as(Actor("zhang", ROLE_STAFF, signed_in=True)):
        assert backups.backup_if_due(server) is None
    with acting_as(Actor("admin", ROLE_ADMIN, signed_in=True)):
        made = backups.backup_if_due(server)
        assert made is not None and made.is_file()
        assert backups.backup_if_due(server) is None  # once a day


def test_a_restore_on_a_server_never_replaces_the_live_data(server, pg_server, run_cli) -> None:
    made = backups.create_backup(server, "手动")
    add_assessor(server, "备份之后加的考核组")
    with pytest.raises(Exception, match="不会被备份覆盖"):
        restore_backup(server, made, "撤回")
    name = f"restored_{int(time.time() * 1000)}"
    url = server.engine.url.render_as_string(hide_password=False)
    try:
        code, out, err = run_cli(
            "--db", url, "backup", "restore", str(made), "--reason", "撤回", "--to-database", name
        )
        assert code == 0, err
        assert name in out and "正在使用的数据库未改变" in out
        restored = open_database(database_url(pg_server, name))
        assert verify_database(restored).ok
        restored.dispose()
    finally:
        drop_database(pg_server, name)


def test_server_import_on_the_command_line(
    server, pg_server: str, pg_template: str, tmp_path: Path, run_cli
) -> None:
    """`server import` takes a snapshot file into an empty server database, and refuses one
    that already holds data."""
    snapshot = backups.create_backup(server, "手动")
    name, url = new_database(pg_server, pg_template)
    try:
        code, out, err = run_cli("server", "import", "--url", url, "--from", str(snapshot))
        assert code == 0, err
        assert "核对一致" in out
        code, out, err = run_cli("server", "import", "--url", url, "--from", str(snapshot))
        assert code == 2 and "不是空的" in err
    finally:
        drop_database(pg_server, name)


def test_the_backups_page_restores_to_a_new_database_on_a_server(
    qtbot, server, pg_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from app.ui.pages.backups_page import BackupsPage

    backups.create_backup(server, "手动")
    page = BackupsPage(server)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1 and page.restore_button.isEnabled()
    page.table.selectRow(0)
    name = f"restored_{int(time.time() * 1000)}"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (name, True))
    monkeypatch.setattr(page, "ask", lambda title, text: "核对去年的数据")
    try:
        page.restore_selected()
        assert name in page.message.text() and "正在使用的数据库未改变" in page.message.text()
        restored = open_database(database_url(pg_server, name))
        assert verify_database(restored).ok
        restored.dispose()
    finally:
        drop_database(pg_server, name)


def test_an_imported_file_and_its_snapshot_round_trip(server, pg_server, pg_template) -> None:
    """server → snapshot file → another empty server database: the same data and chain."""
    snapshot = backups.create_backup(server, "手动")
    name, url = new_database(pg_server, pg_template)
    try:
        report = import_file(url, snapshot)
        again = open_database(url)
        assert verify_database(again).ok and report.chain_records > 0
        again.dispose()
    finally:
        drop_database(pg_server, name)
