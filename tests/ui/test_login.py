"""Login at start once a second account exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models.accounts import ROLE_ADMIN, ROLE_STAFF
from app.models.database import Database
from app.services.access import accounts
from app.ui.login_dialog import LoginDialog


def two_accounts(db: Database) -> None:
    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "wang", "staff-pw-1", ROLE_STAFF)


def test_wrong_password_keeps_the_dialog_open_right_one_signs_in(qtbot, db: Database) -> None:
    two_accounts(db)
    dialog = LoginDialog(db, "test.db")
    qtbot.addWidget(dialog)
    dialog.username.setText("wang")
    dialog.password.setText("nope")
    dialog.try_sign_in()
    assert dialog.actor is None and "不正确" in dialog.message.text()
    assert dialog.password.text() == ""
    dialog.password.setText("staff-pw-1")
    dialog.try_sign_in()
    assert dialog.actor is not None and dialog.actor.role == ROLE_STAFF
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_offscreen_start_needs_credentials(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m app --screenshot` run in this process (what `main` does with the arguments
    and the environment; a new interpreter each time only added its start-up)."""
    from app.__main__ import main

    two_accounts(db)
    db.dispose()
    monkeypatch.delenv("KAOPING_USER", raising=False)
    monkeypatch.delenv("KAOPING_PASSWORD", raising=False)
    shot = tmp_path / "shot.png"
    arguments = ["--db", str(db_path), "--screenshot", str(shot)]
    assert main(arguments) == 2
    assert "需要登录" in capsys.readouterr().err and not shot.exists()
    monkeypatch.setenv("KAOPING_USER", "wang")
    monkeypatch.setenv("KAOPING_PASSWORD", "staff-pw-1")
    code = main(arguments)
    assert code == 0, capsys.readouterr().err
    assert shot.exists()


def test_a_reset_password_is_replaced_in_the_login_dialog(qtbot, db: Database) -> None:
    """Issue 15 §3: after an administrator's reset the next sign-in asks for a new password
    before the window opens; the new one must follow the rules and be typed twice alike."""
    from app.services.access.actor import acting_as

    two_accounts(db)
    with acting_as(accounts.sign_in(db, "admin", "admin-pw-1")):
        accounts.reset_password(db, "wang", "temp-pw-1")
    dialog = LoginDialog(db, "test.db")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.new_password.isVisible()
    dialog.username.setText("wang")
    dialog.password.setText("temp-pw-1")
    dialog.try_sign_in()
    assert dialog.actor is None and dialog.result() != LoginDialog.DialogCode.Accepted
    assert dialog.new_password.isVisible() and "新密码" in dialog.message.text()
    dialog.new_password.setText("12345678")
    dialog.again.setText("12345678")
    dialog.try_sign_in()
    assert dialog.actor is None and "全是数字" in dialog.message.text()
    dialog.new_password.setText("own-pass-1")
    dialog.again.setText("own-pass-2")
    dialog.try_sign_in()
    assert dialog.actor is None and "不一致" in dialog.message.text()
    dialog.again.setText("own-pass-1")
    dialog.try_sign_in()
    assert dialog.actor is not None and not dialog.actor.must_change_password
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert not accounts.sign_in(db, "wang", "own-pass-1").must_change_password
