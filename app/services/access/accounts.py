"""Local accounts: create, sign in (with lockout), reset, disable.

A database with at most one active account runs without login as the administrator; from the
second account on, every start asks who is there. At least one active administrator always
remains, so nobody can lock the office out of its own data. On a server set up by
`server init` each account is also its own database login, kept in step in the same
transaction (server_logins).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models import Account, Assessor
from app.models.accounts import ROLE_ADMIN, ROLE_ASSESSOR, ROLES
from app.models.base import utcnow
from app.models.database import Database
from app.services.access.actor import Actor, single_user_actor
from app.services.access.audit import log_change
from app.services.access.passwords import hash_password, password_problem, verify_password
from app.services.access.permissions import Permission, require
from app.services.access.server_logins import sync_login
from app.services.changes import Changes, changes_of
from app.services.names import find_named

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# Checked against for a name with no account, so that it takes as long as a real check: the
# scrypt hash (same cost) of a random password nobody kept.
STAND_IN_HASH = (
    "scrypt$16384$8$1$5SV3GcqmK3gC0bk5h5JqNA==$WQQ9nC7xRph0nJ58AW0G3VrzTasbtn19oagSAhMg0X4="
)
FAILED_SIGN_IN_SECONDS = 0.4  # every refusal takes this long at least (a check takes ~0.1 s)
# One message for every failure: an unknown name, a wrong password, a disabled or locked
# account all read alike, so trying names tells nobody which accounts exist.
SIGN_IN_FAILED = "用户名或密码不正确；如多次输错，账户会暂时锁定 15 分钟（可请管理员重置密码）"


class SignInFailed(UserError):
    pass


@dataclass(frozen=True)
class AccountInfo:
    username: str
    display_name: str
    role: str
    assessor: str | None
    active: bool
    locked: bool


def login_required(db: Database) -> bool:
    with db.reading() as session:
        return _active_count(session) >= 2


def _active_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Account.id)).where(Account.active)) or 0)


def _active_admins(session: Session) -> int:
    query = select(func.count(Account.id)).where(Account.active, Account.role == ROLE_ADMIN)
    return int(session.scalar(query) or 0)


def _get(session: Session, username: str) -> Account:
    account = session.scalar(select(Account).where(Account.username == username.strip()))
    if account is None:
        raise NotFound(f"没有账户“{username}”")
    return account


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"角色“{role}”无效；可选：{'、'.join(ROLES)}")


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise UserError(problem)


def _assessor_id(session: Session, role: str, assessor: str | None) -> int | None:
    if role != ROLE_ASSESSOR:
        if assessor:
            raise UserError("只有“评分人”账户可以关联评分人")
        return None
    if not assessor:
        raise UserError("“评分人”账户必须关联一个评分人（考核组或评分责任单位）")
    found = find_named(session, Assessor, assessor.strip())
    if found is None:
        raise NotFound(f"没有评分人“{assessor}”")
    return found.id


def create_account(
    db: Database,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    assessor: str | None = None,
) -> Changes:
    require(Permission.ACCOUNTS)
    username = checked(username, text_rules.USERNAME)
    display_name = checked(display_name, text_rules.DISPLAY_NAME)
    if not username:
        raise UserError("用户名不能为空")
    _check_role(role)
    _check_password(password)
    with db.transaction() as session:
        if session.scalar(select(Account.id).where(Account.username == username)):
            raise UserError(f"账户“{username}”已存在")
        if _active_count(session) == 0 and role != ROLE_ADMIN:
            raise UserError("第一个账户必须是管理员")
        account = Account(
            username=username,
            display_name=display_name.strip(),
            role=role,
            assessor_id=_assessor_id(session, role, assessor),
            password_hash=hash_password(password),
            failed_attempts=0,
            must_change_password=False,
            active=True,
        )
        session.add(account)
        sync_login(session, username, password=password, role=role, active=True)
        log_change(
            session,
            entity="账户",
            key=username,
            action="新增",
            old=None,
            new={"角色": role, "评分人": assessor},
        )
        return changes_of(session)


def sign_in(db: Database, username: str, password: str, now: datetime | None = None) -> Actor:
    """Check the password; five wrong ones lock the account for 15 minutes. A failure is
    committed (the count must survive) before it is reported. The password is checked
    (about 50 ms of scrypt) whether or not the account exists or may sign in, so neither
    the message nor the time taken tells an unknown name from a wrong password."""
    started = time.monotonic()
    moment = now or utcnow()
    actor: Actor | None = None
    with db.transaction() as session:
        account = session.scalar(select(Account).where(Account.username == username.strip()))
        stored = account.password_hash if account is not None else STAND_IN_HASH
        matches = verify_password(password, stored)
        if (
            account is None
            or not account.active
            or (account.locked_until is not None and account.locked_until > moment)
        ):
            pass  # refused like a wrong password
        elif not matches:
            _count_failure(session, account, moment)
        else:
            account.failed_attempts = 0
            account.locked_until = None
            assessor = session.get(Assessor, account.assessor_id) if account.assessor_id else None
            actor = Actor(
                username=account.username,
                role=account.role,
                assessor_id=account.assessor_id,
                assessor_name=assessor.name if assessor else None,
                signed_in=True,
                must_change_password=bool(account.must_change_password),
            )
    if actor is None:
        # A wrong password also writes its count (a commit is tens of ms on a slow disk):
        # every refusal is answered no sooner than the same moment after it was asked.
        time.sleep(max(0.0, FAILED_SIGN_IN_SECONDS - (time.monotonic() - started)))
        raise SignInFailed(SIGN_IN_FAILED)
    return actor


def _count_failure(session: Session, account: Account, moment: datetime) -> None:
    account.failed_attempts += 1
    if account.failed_attempts < MAX_FAILURES:
        return
    account.locked_until = moment + LOCKOUT
    account.failed_attempts = 0
    log_change(
        session,
        entity="账户",
        key=account.username,
        action="锁定",
        old=None,
        new={"锁定至": account.locked_until.isoformat(timespec="seconds")},
        user=account.username,
    )


def start_actor(db: Database) -> Actor | None:
    """Who acts when nobody signs in: None when a login is required; otherwise the single
    account (an administrator) or, with no accounts at all, the system login as administrator."""
    with db.reading() as session:
        accounts = list(session.scalars(select(Account).where(Account.active).limit(2)))
    if len(accounts) >= 2:
        return None
    if not accounts:
        return single_user_actor()
    return Actor(username=accounts[0].username, role=accounts[0].role)


def reset_password(db: Database, username: str, new_password: str) -> Changes:
    """By the administrator; also lifts a lockout."""
    require(Permission.ACCOUNTS)
    _check_password(new_password)
    with db.transaction() as session:
        account = _get(session, username)
        account.password_hash = hash_password(new_password)
        account.failed_attempts = 0
        account.locked_until = None
        account.must_change_password = True
        sync_login(
            session,
            account.username,
            password=new_password,
            role=account.role,
            active=account.active,
        )
        log_change(
            session, entity="账户", key=account.username, action="重置密码", old=None, new=None
        )
        return changes_of(session)


def change_own_password(db: Database, actor: Actor, old: str, new: str) -> Changes:
    _check_password(new)
    with db.transaction() as session:
        account = _get(session, actor.username)
        if not verify_password(old, account.password_hash):
            raise SignInFailed("原密码不正确")
        account.password_hash = hash_password(new)
        account.must_change_password = False
        sync_login(session, account.username, password=new)
        log_change(
            session, entity="账户", key=account.username, action="修改密码", old=None, new=None
        )
        return changes_of(session)


def set_role(db: Database, username: str, role: str, assessor: str | None = None) -> Changes:
    require(Permission.ACCOUNTS)
    _check_role(role)
    with db.transaction() as session:
        account = _get(session, username)
        old = account.role
        if old == ROLE_ADMIN and role != ROLE_ADMIN and account.active:
            _keep_an_admin(session)
        account.role = role
        account.assessor_id = _assessor_id(session, role, assessor)
        sync_login(session, account.username, role=role, active=account.active)
        log_change(
            session,
            entity="账户",
            key=account.username,
            action="修改",
            old={"角色": old},
            new={"角色": role, "评分人": assessor},
        )
        return changes_of(session)


def disable_account(db: Database, username: str) -> Changes:
    require(Permission.ACCOUNTS)
    with db.transaction() as session:
        account = _get(session, username)
        if account.role == ROLE_ADMIN and account.active:
            _keep_an_admin(session)
        account.active = False
        sync_login(session, account.username, role=account.role, active=False)
        log_change(session, entity="账户", key=account.username, action="停用", old=True, new=False)
        return changes_of(session)


def _keep_an_admin(session: Session) -> None:
    if _active_admins(session) <= 1:
        raise UserError("至少要保留一个启用的管理员账户")


def list_accounts(db: Database, now: datetime | None = None) -> list[AccountInfo]:
    moment = now or utcnow()
    with db.reading() as session:
        rows = session.execute(
            select(Account, Assessor.name)
            .outerjoin(Assessor, Assessor.id == Account.assessor_id)
            .order_by(Account.id)
        ).all()
        return [
            AccountInfo(
                a.username,
                a.display_name,
                a.role,
                assessor,
                a.active,
                a.locked_until is not None and a.locked_until > moment,
            )
            for a, assessor in rows
        ]


def assessor_names(db: Database) -> list[str]:
    """The assessors an 评分人 account can be linked to."""
    with db.reading() as session:
        return list(session.scalars(select(Assessor.name).order_by(Assessor.id)))
