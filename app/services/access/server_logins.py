"""Each account's own database login on a server set up by `server init` (issue 18): the
login follows the account (created with it, its password, group role and activity kept in
step) in the same transaction, so an account and its login never disagree after a commit.

The login is changed through one SECURITY DEFINER function that `server init` creates
(app.services.server.roles): the administrators get no CREATEROLE, which in PostgreSQL
would let them alter any role of the cluster, only this door, which touches nothing but
the personal logins of this database's four group roles. A SQLite file, or a server database
not set up by `server init`, has no such function: accounts stay the program's own."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.errors import UserError

LOGIN_FUNCTION = "kaoping_login"
LOGIN_SIGNATURE = f"public.{LOGIN_FUNCTION}(text,text,text,boolean)"
MAX_NAME_BYTES = 63  # PostgreSQL cuts a longer role name short: the login would not match


def server_roles_ready(session: Session) -> bool:
    """Whether this database enforces the roles (set up by `server init`)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(text("SELECT to_regprocedure(:f)"), {"f": LOGIN_SIGNATURE})
    return found.scalar() is not None


def login_name_problem(username: str) -> str | None:
    """Why a user name cannot be a database login, in the user's words (None: it can)."""
    if len(username.encode("utf-8")) > MAX_NAME_BYTES:
        return f"用户名“{username}”太长：服务器上的登录名最多 {MAX_NAME_BYTES} 字节（约 21 个汉字）"
    if username.lower().startswith("pg_"):
        return f"用户名“{username}”以 pg_ 开头，这是数据库保留的名称，请换一个"
    return None


def sync_login(
    session: Session,
    username: str,
    *,
    password: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> bool:
    """Bring the account's login in step, in the caller's transaction; False when the database
    does not enforce roles. ``role``/``active`` None: only the password (one's own)."""
    if not server_roles_ready(session):
        return False
    problem = login_name_problem(username)
    if problem:
        raise UserError(problem)
    try:
        session.execute(
            text(f"SELECT {LOGIN_FUNCTION}(:name, :password, :role, :active)"),
            {"name": username, "password": password, "role": role, "active": active},
        )
    except DBAPIError as exc:
        raise UserError(f"服务器拒绝更改数据库登录“{username}”：{_reason(exc)}") from None
    return True


def _reason(exc: DBAPIError) -> str:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "message_primary", None) or str(exc.orig)
