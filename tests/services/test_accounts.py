"""Accounts and roles: who may do what, enforced by the services themselves."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.models import Account, Assessor, ChangeLog
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.models.base import utcnow
from app.models.database import Database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.services.access.passwords import hash_password, verify_password
from app.services.access.permissions import Forbidden
from app.services.entry.scores import import_scores
from app.services.maintenance.backups import create_backup, manual_backup
from app.services.maintenance.restore import restore_backup
from app.services.rounds.definition import reopen_round
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


def test_five_wrong_passwords_lock_the_account_until_reset(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What is counted, not how long a refusal takes (that is the next test's): 11 refusals
    # waited 0.4 s each.
    monkeypatch.setattr(accounts, "FAILED_SIGN_IN_SECONDS", 0.0)
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


@pytest.mark.sqlite_only  # file backups; a server's backup is issue 18's next step
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


@pytest.mark.parametrize(
    ("password", "why"),
    [("abc1234", "至少 8 位"), ("12345678", "全是数字"), ("2026031900", "全是数字")],
)
def test_passwords_need_eight_characters_and_not_only_digits(
    db: Database, password: str, why: str
) -> None:
    with pytest.raises(UserError, match=why):
        accounts.create_account(db, "admin", password, ROLE_ADMIN)
    accounts.create_account(db, "admin", "abcd1234", ROLE_ADMIN)
    with pytest.raises(UserError, match=why):
        accounts.reset_password(db, "admin", password)


def test_an_unknown_name_reads_like_a_wrong_password_and_a_lockout(db: Database) -> None:
    """Issue 15 §2: the lock-out message said which accounts exist; and an unknown name was
    answered at once, a known one after the password check."""
    import time

    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)

    def refusal(username: str, password: str) -> tuple[str, float]:
        start = time.perf_counter()
        with pytest.raises(accounts.SignInFailed) as failed:
            accounts.sign_in(db, username, password)
        return str(failed.value), time.perf_counter() - start

    unknown, unknown_time = refusal("nobody", "guess")
    wrong, wrong_time = refusal("wang", "guess")
    assert unknown == wrong and "nobody" not in unknown
    for _ in range(accounts.MAX_FAILURES - 1):
        refusal("wang", "guess")
    locked, _ = refusal("wang", "pass-wang")  # locked now: even the right password
    assert locked == unknown and "wang" not in locked
    # Both run the password hash, and every refusal takes as long: the fastest of a few
    # tries of each are alike (an unknown name was answered 80 times sooner).
    unknown_best = min([unknown_time] + [refusal("nobody", "guess")[1] for _ in range(2)])
    wrong_best = min([wrong_time] + [refusal("admin", "guess")[1] for _ in range(2)])
    assert 0.8 < unknown_best / wrong_best < 1.25, (unknown_best, wrong_best)


@pytest.mark.sqlite_only  # file backups; a server's backup is issue 18's next step
def test_a_reset_password_is_changed_at_the_next_sign_in(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "wang", "pass-wang", ROLE_STAFF)
    with acting_as(accounts.sign_in(db, "admin", "s3cret-pw")):
        accounts.reset_password(db, "wang", "temp-pass-1")
    actor = accounts.sign_in(db, "wang", "temp-pass-1")
    assert actor.must_change_password
    with acting_as(actor), pytest.raises(Forbidden, match="先修改密码"):
        manual_backup(db)
    accounts.change_own_password(db, actor, "temp-pass-1", "own-pass-1")
    again = accounts.sign_in(db, "wang", "own-pass-1")
    assert not again.must_change_password
    with acting_as(again):
        assert manual_backup(db).exists()


def test_an_assessor_reads_neither_the_log_nor_every_unit_before_publication(
    small_copy: Path, tmp_path: Path
) -> None:
    """Issue 15 §3: 评分人 see their cells; a round's results once published; the change log
    never. 查看 reads everything and changes nothing. (A small round: the demo's change log
    took seconds to export.)"""
    from app.models.opening import open_database
    from app.services.access.audit import export_changes, list_changes
    from app.services.review.explain import explain_json
    from app.services.review.results import export_results, visible_round_results
    from tests.publishing import publish_now
    from tests.small_round import ROUND

    db = open_database(small_copy)
    try:
        accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
        group = accounts.assessor_names(db)[0]
        accounts.create_account(db, "li", "pass-li-1", ROLE_ASSESSOR, assessor=group)
        accounts.create_account(db, "zhao", "pass-zhao", ROLE_VIEWER)
        assessor = accounts.sign_in(db, "li", "pass-li-1")
        viewer = accounts.sign_in(db, "zhao", "pass-zhao")
        with acting_as(assessor):
            for read in (
                lambda: list_changes(db),
                lambda: export_changes(db, tmp_path / "log.xlsx"),
                lambda: visible_round_results(db, ROUND),
                lambda: export_results(db, ROUND, tmp_path / "r.xlsx"),
                lambda: explain_json(db, ROUND),
            ):
                with pytest.raises(Forbidden):
                    read()
        assert not (tmp_path / "log.xlsx").exists() and not (tmp_path / "r.xlsx").exists()
        with acting_as(viewer):
            assert list_changes(db)
            assert export_changes(db, tmp_path / "log.xlsx").exists()
            assert visible_round_results(db, ROUND).result.units
        with acting_as(accounts.sign_in(db, "admin", "s3cret-pw")):
            publish_now(db, ROUND)
        with acting_as(assessor):
            assert export_results(db, ROUND, tmp_path / "r.xlsx").exists()
            with pytest.raises(Forbidden):
                list_changes(db)
    finally:
        db.dispose()
