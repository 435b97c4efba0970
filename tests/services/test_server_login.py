"""On a server the database login is the person's account: the server checked the password,
so the program's own sign-in is skipped for a login that is an active account — and only
there (a file has nobody checking)."""

from __future__ import annotations

from pathlib import Path

from app.models.accounts import ROLE_ADMIN, ROLE_STAFF
from app.models.database import Database
from app.models.opening import open_database
from app.services.access import accounts
from app.services.server.login import server_actor


def test_the_login_that_is_an_account_acts_as_it(pg_db: Database) -> None:
    accounts.create_account(pg_db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(pg_db, "wang", "pass-wang", ROLE_STAFF)
    actor = server_actor(pg_db, "wang")
    assert actor is not None
    assert (actor.username, actor.role, actor.signed_in) == ("wang", ROLE_STAFF, True)
    assert not actor.must_change_password  # the server's password is the one that counts
    accounts.disable_account(pg_db, "wang")
    assert server_actor(pg_db, "wang") is None


def test_a_login_that_is_no_account_signs_in_as_usual(pg_db: Database) -> None:
    accounts.create_account(pg_db, "admin", "s3cret-pw", ROLE_ADMIN)
    assert server_actor(pg_db, "postgres") is None
    assert server_actor(pg_db, "") is None


def test_a_file_never_skips_the_sign_in(tmp_path: Path) -> None:
    database = open_database(tmp_path / "k.db")
    accounts.create_account(database, "admin", "s3cret-pw", ROLE_ADMIN)
    assert server_actor(database, "admin") is None
    database.dispose()
