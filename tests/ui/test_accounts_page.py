"""账户管理: the administrator adds accounts and roles; other roles never see the page."""

from __future__ import annotations

import pytest

from app.models.accounts import ROLE_ADMIN, ROLE_STAFF, ROLE_VIEWER
from app.models.database import Database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.ui.main_window import MainWindow
from app.ui.pages.accounts_page import AccountDialog, AccountsPage


def fill_and_accept(username: str, password: str, role: str, repeat: str | None = None):
    def exec_(dialog: AccountDialog) -> int:
        dialog.username.setText(username)
        dialog.role.setCurrentText(role)
        dialog.password.setText(password)
        dialog.repeat.setText(password if repeat is None else repeat)
        return 1

    return exec_


def test_admin_adds_accounts_and_mistakes_are_explained(
    qtbot, qtmodeltester, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = AccountsPage(db)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    monkeypatch.setattr(AccountDialog, "exec", fill_and_accept("wang", "staff-pw-1", ROLE_STAFF))
    page.add_account()
    assert "第一个账户必须是管理员" in page.message.text() and page.model.rowCount() == 0
    monkeypatch.setattr(AccountDialog, "exec", fill_and_accept("admin", "admin-pw-1", ROLE_ADMIN))
    page.add_account()
    monkeypatch.setattr(
        AccountDialog, "exec", fill_and_accept("wang", "staff-pw-1", ROLE_STAFF, "other-pw")
    )
    page.add_account()
    assert "不一致" in page.message.text()
    monkeypatch.setattr(AccountDialog, "exec", fill_and_accept("wang", "staff-pw-1", ROLE_STAFF))
    page.add_account()
    assert page.model.rowCount() == 2
    assert accounts.login_required(db)
    assert accounts.sign_in(db, "wang", "staff-pw-1").role == ROLE_STAFF


def test_pages_a_role_may_not_use_are_not_shown(qtbot, db: Database) -> None:
    accounts.create_account(db, "admin", "admin-pw-1", ROLE_ADMIN)
    accounts.create_account(db, "zhao", "viewer-pw-1", ROLE_VIEWER)
    accounts.create_account(db, "wang", "staff-pw-1", ROLE_STAFF)
    with acting_as(accounts.sign_in(db, "zhao", "viewer-pw-1")):
        window = MainWindow(db, "test.db")
        qtbot.addWidget(window)
        with pytest.raises(ValueError):
            window.show_page("accounts")
        with pytest.raises(ValueError):
            window.show_page("backups")
    with acting_as(accounts.sign_in(db, "wang", "staff-pw-1")):
        window = MainWindow(db, "test.db")
        qtbot.addWidget(window)
        window.show_page("backups")
        assert not window.backups_page.restore_button.isVisibleTo(window.backups_page)
        with pytest.raises(ValueError):
            window.show_page("accounts")
    with acting_as(accounts.sign_in(db, "admin", "admin-pw-1")):
        window = MainWindow(db, "test.db")
        qtbot.addWidget(window)
        window.show_page("accounts")
        assert window.accounts_page.model.rowCount() == 3
