"""Issue 15 §2: the window offers the newest good backup for a damaged file, but puts it back
only for an administrator of the data (asked to sign in when it has accounts), and logs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.models.accounts import ROLE_ADMIN, ROLE_STAFF
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.audit import list_changes
from app.services.maintenance.backups import create_backup
from app.ui import launch
from app.ui.login_dialog import LoginDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


def test_a_damaged_file_is_restored_at_start_only_by_an_administrator(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_path)
    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "wang", "staff-pw-1", ROLE_STAFF)
    create_backup(db, "手动")
    db.dispose()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    db_path.write_bytes(bytes(data))
    damaged = db_path.read_bytes()

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    who = ["wang", "staff-pw-1"]
    refusals: list[str] = []

    def sign_in_as(dialog: LoginDialog) -> int:
        dialog.username.setText(who[0])
        dialog.password.setText(who[1])
        dialog.try_sign_in()
        if dialog.actor is None:
            refusals.append(dialog.message.text())
        return 1 if dialog.actor is not None else 0

    monkeypatch.setattr(LoginDialog, "exec", sign_in_as)
    assert not launch._passes_start_check(db_path)  # a 考核办 may not
    assert "无权" in refusals[-1]
    assert db_path.read_bytes() == damaged and not list(db_path.parent.glob("*损坏-*"))
    who[:] = ["admin", "admin-pw-1"]
    assert launch._passes_start_check(db_path)
    db = open_database(db_path)
    try:
        last = list_changes(db)[-1]
    finally:
        db.dispose()
    assert (last.entity, last.action, last.user) == ("数据库", "恢复", "admin")
