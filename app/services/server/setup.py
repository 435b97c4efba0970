"""`server init` (issue 18): a PostgreSQL database made ready for an office — the schema at head,
the four group roles with their grants, row-level security, the triggers, and the first
administrator (an account and its own login). Each piece is made only when missing, so running
it again on a ready database changes nothing and says so; the grants are applied again (they
end as they were), which also covers a table a later migration added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from app.errors import UserError
from app.io import text_rules
from app.io.text_rules import checked
from app.models.accounts import ROLE_ADMIN
from app.models.database import Database
from app.models.migrate import current_revision, head_revision
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.actor import Actor, acting_as
from app.services.access.passwords import password_problem
from app.services.access.server_logins import LOGIN_FUNCTION, login_name_problem
from app.services.changes import Changes
from app.services.server import policies, roles
from app.services.server.roles import Groups, ident


@dataclass(frozen=True)
class ServerSetup:
    """What init did: one line per thing it made (empty: the database was ready)."""

    database: str
    groups: Groups
    created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)


def server_url(url: str) -> str:
    """The URL as given, refused with a message unless it names a PostgreSQL database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UserError(
            f"数据库地址“{url}”无效；应为 postgresql+psycopg://用户@主机:端口/库名"
        ) from None
    if parsed.get_backend_name() != "postgresql":
        raise UserError("server init 只用于 PostgreSQL 服务器（地址以 postgresql+psycopg:// 开头）")
    if not parsed.database:
        raise UserError("数据库地址须写明库名，如 postgresql+psycopg://postgres@主机:5432/kaoping")
    if len(parsed.database.encode("utf-8")) > roles.MAX_DATABASE_NAME:
        raise UserError(f"库名“{parsed.database}”太长：最多 {roles.MAX_DATABASE_NAME} 字节")
    return url


def init_server(url: str, admin: str, password: Callable[[], str]) -> ServerSetup:
    """Set the database at ``url`` up; ``url``'s user must own it and may create roles (the
    server's superuser, as a rule). ``password`` is asked only when an administrator is to be
    made (the database has no account yet)."""
    parsed = make_url(server_url(url))
    admin = checked(admin, text_rules.USERNAME).strip()
    if not admin:
        raise UserError("请指定第一个管理员的用户名", command="--admin 用户名")
    if problem := login_name_problem(admin):
        raise UserError(problem)
    revision = _preflight(url, admin)
    # An empty database will need its administrator: the password is checked before anything
    # is written; on a database with tables, only when it has no account yet.
    new_password = _new_password(password) if revision is None else None
    created = [f"数据表（版本 {head_revision()}）"] if revision is None else []
    db = _open(url)
    try:
        if new_password is None and not accounts.list_accounts(db):
            new_password = _new_password(password)
        with db.engine.connect() as connection, connection.begin():
            _check_owner(connection)
            database = connection.execute(text("SELECT current_database()")).scalar_one()
            groups = Groups.of(database)
            created += _make_roles(connection, groups)
            created += _make_rules(connection, groups)
        notes: list[str] = []
        changes = Changes()
        who = Actor(username=parsed.username or "postgres", role=ROLE_ADMIN)
        if new_password is not None:
            with acting_as(who):
                changes = accounts.create_account(db, admin, new_password, ROLE_ADMIN)
            created.append(f"管理员账户“{admin}”及其数据库登录（属于 {groups.admin}）")
        else:
            notes += _accounts_notes(db, admin)
        return ServerSetup(database, groups, created, notes, changes)
    finally:
        db.dispose()


def _new_password(password: Callable[[], str]) -> str:
    given = password()
    if problem := password_problem(given):
        raise UserError(problem)
    return given


def _preflight(url: str, admin: str) -> str | None:
    """Before anything is written: the server answers, its user may create roles, the
    administrator's name is free. Returns the schema's revision (None: no tables yet)."""
    from app.models.database import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            may = connection.execute(
                text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
            ).scalar_one()
            if not may:
                raise UserError(NEEDS_OWNER)
            database = connection.execute(text("SELECT current_database()")).scalar_one()
            _refuse_taken_name(connection, admin, Groups.of(database))
        return current_revision(engine)
    except DBAPIError as exc:
        raise UserError(f"无法连接数据库服务器：{_reason(exc)}") from None
    finally:
        engine.dispose()


def _open(url: str) -> Database:
    try:
        return open_database(url)
    except DBAPIError as exc:
        raise UserError(f"无法在服务器上建立数据表：{_reason(exc)}") from None


def _reason(exc: DBAPIError) -> str:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "message_primary", None) or str(exc.orig).strip()


NEEDS_OWNER = (
    "初始化须用数据库的超级用户（如 postgres）或拥有这些数据表且能创建角色的账户连接；"
    "本次未做任何更改"
)


def _check_owner(connection: Connection) -> None:
    owns = connection.execute(
        text(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
            "WHERE oid = 'public.score_entries'::regclass"
        )
    ).scalar_one()
    if not owns:
        raise UserError(NEEDS_OWNER)


def _refuse_taken_name(connection: Connection, name: str, groups: Groups) -> None:
    row = connection.execute(
        text("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = :n"),
        {"n": name},
    ).first()
    owner = connection.engine.url.username
    if name in groups.all() or (row is not None and row[0]) or name == owner:
        raise UserError(
            f"服务器上已有名为“{name}”的数据库角色，它不是考评系统的个人登录；"
            "请给管理员换一个用户名。本次未做任何更改"
        )


def _run(connection: Connection, statement: str) -> None:
    """DDL as written: through the driver without parameters, so the ``%`` of a PL/pgSQL
    format() or RAISE is not taken for a placeholder."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _existing(connection: Connection, query: str, **params: object) -> set[tuple[str, ...]]:
    return {tuple(row) for row in connection.execute(text(query), params)}


def _make_roles(connection: Connection, groups: Groups) -> list[str]:
    roles_now = {
        r
        for (r,) in _existing(
            connection, "SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)", n=list(groups.all())
        )
    }
    made = []
    for statement in roles.group_statements(groups, roles_now):
        _run(connection, statement)
    for role, group in groups.by_role().items():
        if group not in roles_now:
            made.append(f"数据库角色 {group}（{role}）")
    return made


def _make_rules(connection: Connection, groups: Groups) -> list[str]:
    """Functions, row-level security, policies and triggers where missing; then the grants."""
    made = []
    have = {
        name
        for (name,) in _existing(
            connection,
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.proname LIKE 'kaoping\\_%'",
        )
    }
    wanted = {**policies.functions(groups), LOGIN_FUNCTION: roles.login_function(groups)}
    for name, statement in wanted.items():
        if name not in have:
            _run(connection, statement)
            made.append(f"函数 {name}")
    for statement in roles.login_function_grants(groups):
        _run(connection, statement)
    secured = {
        name
        for (name,) in _existing(
            connection,
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relrowsecurity",
        )
    }
    for table in policies.RLS_TABLES:
        if table not in secured:
            _run(connection, f"ALTER TABLE {ident(table)} ENABLE ROW LEVEL SECURITY")
            made.append(f"行级安全 {table}")
    have_policies = _existing(
        connection, "SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public'"
    )
    for table, name in policies.RETIRED:
        if (table, name) in have_policies:
            _run(connection, f"DROP POLICY {ident(name)} ON {ident(table)}")
            made.append(f"撤销旧行级策略 {table}.{name}")
            have_policies.discard((table, name))
    for policy in policies.policies(groups):
        if (policy.table, policy.name) not in have_policies:
            _run(connection, f"CREATE POLICY {policy.name} ON {ident(policy.table)} {policy.sql}")
            made.append(f"行级策略 {policy.table}.{policy.name}")
    have_triggers = _existing(
        connection,
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal",
    )
    for key, statement in policies.triggers().items():
        if key not in have_triggers:
            _run(connection, statement)
            made.append(f"触发器 {key[0]}.{key[1]}")
    tables = sorted(
        name
        for (name,) in _existing(
            connection, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    )
    sequences = {
        table: connection.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f"public.{table}"}
        ).scalar_one()
        for table in roles.SEQUENCE_TABLES
    }
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    for statement in roles.grant_statements(database, groups, tables, sequences):
        _run(connection, statement)
    return made


def _accounts_notes(db: Database, admin: str) -> list[str]:
    """On a database that already had accounts: what init left as it was, and the accounts
    that have no login of their own yet (from before the server: a password reset makes one)."""
    listed = accounts.list_accounts(db)
    notes = []
    if not any(a.username == admin for a in listed):
        notes.append(f"数据库已有账户，未新建管理员“{admin}”")
    with db.engine.connect() as connection:
        logins = {name for (name,) in connection.execute(text("SELECT rolname FROM pg_roles"))}
    missing = [a.username for a in listed if a.active and a.username not in logins]
    if missing:
        notes.append(
            f"以下账户还没有服务器登录，请管理员为其重置密码后再使用：{'、'.join(missing)}"
        )
    return notes
