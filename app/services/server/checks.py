"""The self-test's questions about a server, one answer each: can this computer reach it, is it
this program's schema, what may this login do, and does a write come back as written (Chinese
text included) — a support person's first call, asked from the office's own PC."""

from __future__ import annotations

from sqlalchemy import text

from app.models.database import Database
from app.models.schema_version import newest_revision, stored_revision
from app.services.server.connection import ServerAddress, connect, password_in

PROBE_TEXT = "考评自检：甲局①"  # outside GBK's first plane too, so an encoding slip shows


def connected(url: str) -> tuple[Database, str]:
    address = ServerAddress.from_url(url)
    if address is None:
        raise ValueError("不是服务器地址")
    database = connect(address, password_in(url))
    with database.engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar_one()
        encoding = connection.execute(text("SHOW server_encoding")).scalar_one()
    if encoding.upper() not in ("UTF8", "UTF-8"):
        database.dispose()
        raise AssertionError(f"服务器数据库的编码是 {encoding}，须为 UTF8（建库时指定）")
    return database, f"{address.label()}，PostgreSQL {version}，编码 {encoding}"


def schema_revision(db: Database) -> str:
    stored, ours = stored_revision(db.engine), newest_revision()
    if stored != ours:
        raise AssertionError(f"数据库结构版本 {stored}，本程序为 {ours}")
    return f"版本 {stored}，与本程序一致"


def login_rights(db: Database) -> str:
    """Who the server says we are, and what it lets that login do with the data."""
    with db.engine.connect() as connection:
        login, superuser = connection.execute(
            text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        ).one()
        rounds = connection.execute(text("SELECT count(*) FROM rounds")).scalar_one()
        writes = connection.execute(
            text("SELECT has_table_privilege('score_entries', 'INSERT')")
        ).scalar_one()
        account = connection.execute(
            text("SELECT role FROM accounts WHERE username = :login AND active"),
            {"login": login},
        ).scalar()
    who = f"登录名 {login}"
    who += f"，考评账户角色 {account}" if account else "，不是考评账户（登录时另行验证）"
    if superuser:
        who += "；注意：这是服务器的超级用户，日常工作请用本人账户"
    return f"{who}；可读（{rounds} 个考核批次）；评分数据{'可写' if writes else '只读'}"


def round_trip(db: Database) -> str:
    """Written and read back in one transaction that is then rolled back: nothing stays."""
    with db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(
                text("CREATE TEMPORARY TABLE kaoping_self_test (note text) ON COMMIT DROP")
            )
            connection.execute(
                text("INSERT INTO kaoping_self_test VALUES (:note)"), {"note": PROBE_TEXT}
            )
            back = connection.execute(text("SELECT note FROM kaoping_self_test")).scalar_one()
        finally:
            transaction.rollback()
    if back != PROBE_TEXT:
        raise AssertionError(f"写入“{PROBE_TEXT}”，读回“{back}”")
    return "写入并读回一致，已撤销（服务器上未留下任何数据）"
