"""Accounts and roles: who may do what, enforced by the services themselves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Account, Assessor, ChangeLog
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.models.base import utcnow
from app.models.database import Database
from app.services import accounts
from app.services.actor import acting_as
from app.services.backups import create_backup, manual_backup
from app.services.errors import UserError
from app.services.passwords import hash_password, verify_password
from app.services.permissions import Forbidden
from app.services.restore import restore_backup
from app.services.rounds import reopen_round
from app.services.scores import import_scores
from tests.workbooks import write_sheet


def test_passwords_are_salted_slow_hashes_never_clear_text(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    with db.reading() as session:
        stored = session.scalar(select(Account.password_hash))
    assert stored is not None and "s3cret-pw" not in stored and stored.startswith("scrypt$")
    assert hash_password("s3cret-pw") != hash_password("s3cret-pw")  # salted
    assert verify_password("s3cret-pw", stored) and not verify_password("s3cret-px", stored)


def test_one_account_runs_without_login_two_need_it(db: Database) -> None:
    assert accounts.start_actor(db) is not None  # no accounts: single-user administrator
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    single = accounts.start_actor(db)
    assert single is not None and single.username == "admin" and single.role == ROLE_ADMIN
    assert not accounts.login_required(db)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    assert accounts.login_required(db) and accounts.start_actor(db) is None


def test_first_account_must_be_an_administrator_and_one_always_remains(db: Database) -> None:
    with pytest.raises(UserError, match="管理员"):
        accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    with pytest.raises(UserError, match="至少要保留"):
        accounts.disable_account(db, "admin")
    with pytest.raises(UserError, match="至少要保留"):
        accounts.set_role(db, "admin", ROLE_VIEWER)


def test_five_wrong_passwords_lock_the_account_until_reset(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed, match="不正确"):
            accounts.sign_in(db, "wang", "guess")
    with pytest.raises(accounts.SignInFailed, match="锁定"):
        accounts.sign_in(db, "wang", "pass-wang")  # even the right password
    later = utcnow() + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.sign_in(db, "wang", "pass-wang", now=later).role == ROLE_STAFF
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(db, "wang", "guess")
    admin = accounts.sign_in(db, "admin", "s3cret-pw")
    with acting_as(admin):
        accounts.reset_password(db, "wang", "new-pass-1")
    assert accounts.sign_in(db, "wang", "new-pass-1").username == "wang"
    with db.reading() as session:
        actions = list(session.scalars(select(ChangeLog.action).where(ChangeLog.entity == "账户")))
    assert "锁定" in actions and "重置密码" in actions


def test_each_role_is_refused_what_it_may_not_do(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        session.add(Assessor(name="第一考核组"))
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    accounts.create_account(db, "li", "pass-li-1", ROLE_ASSESSOR, assessor="第一考核组")
    accounts.create_account(db, "zhao", "pass-zhao", ROLE_VIEWER)
    staff = accounts.sign_in(db, "wang", "pass-wang")
    assessor = accounts.sign_in(db, "li", "pass-li-1")
    viewer = accounts.sign_in(db, "zhao", "pass-zhao")
    assert assessor.assessor_name == "第一考核组"
    backup = create_backup(db, "手动")
    units_file = write_sheet(tmp_path / "units.xlsx", ["单位名称"], [["市司法局"]])

    with acting_as(viewer), pytest.raises(Forbidden, match="查看"):
        manual_backup(db)
    with acting_as(assessor), pytest.raises(Forbidden):
        import_scores(db, units_file, "任何批次")
    with acting_as(staff), pytest.raises(Forbidden, match="恢复备份"):
        restore_backup(db, backup, "测试")
    with acting_as(staff), pytest.raises(Forbidden, match="重新打开"):
        reopen_round(db, "任何批次", "理由")
    with acting_as(staff), pytest.raises(Forbidden, match="管理账户"):
        accounts.create_account(db, "sun", "pass-sun-1", ROLE_VIEWER)
    with acting_as(staff):
        assert manual_backup(db).exists()


def test_an_assessor_account_needs_a_known_assessor(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    with pytest.raises(UserError, match="必须关联"):
        accounts.create_account(db, "li", "pass-li-1", ROLE_ASSESSOR)
    with pytest.raises(UserError, match="没有评分人"):
        accounts.create_account(db, "li", "pass-li-1", ROLE_ASSESSOR, assessor="不存在的组")
    with pytest.raises(UserError, match="至少"):
        accounts.create_account(db, "li", "12", ROLE_VIEWER)
