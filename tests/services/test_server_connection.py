"""Connecting to a server database: the address as a URL and back, and a plain reason for
each way it fails — quickly, against the real PostgreSQL of the test run."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.models.schema_version import newest_revision, stored_revision
from app.services.server.connection import (
    ConnectionFailed,
    Reason,
    ServerAddress,
    connect,
    password_in,
    remember,
    remembered_address,
)
from tests.postgres import database_url, drop_database, new_database


def address_of(url: str, database: str | None = None) -> ServerAddress:
    found = ServerAddress.from_url(url)
    assert found is not None
    if database is None:
        return found
    return ServerAddress(found.host, found.user, found.port, database)


def test_the_url_quotes_the_password_and_parses_back() -> None:
    address = ServerAddress("db.example", "张三", 5433, "kaoping_2025")
    url = address.url("p@ss/w:rd")
    assert make_url(url.render_as_string(hide_password=False)).password == "p@ss/w:rd"
    assert "p@ss" not in str(url)  # shown or logged, the password is hidden
    assert ServerAddress.from_url(url.render_as_string(hide_password=False)) == address
    assert url.query["connect_timeout"] == "5"
    parsed = ServerAddress.from_url("postgresql+psycopg://u@h/k")
    assert parsed == ServerAddress("h", "u", 5432, "k")
    assert password_in("postgresql+psycopg://u:secret@h/k") == "secret"
    assert password_in("postgresql+psycopg://u@h/k") is None


@pytest.mark.parametrize("target", ["kaoping.db", "/tmp/a.db", "sqlite:///x.db", "sqlite://"])
def test_a_file_is_no_server(target: str) -> None:
    assert ServerAddress.from_url(target) is None


def test_nothing_listening_is_said_at_once() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed: nothing listens there
    started = time.monotonic()
    with pytest.raises(ConnectionFailed) as failed:
        connect(ServerAddress("127.0.0.1", "someone", port), "x")
    assert time.monotonic() - started < 3
    assert failed.value.reason is Reason.UNREACHABLE
    assert f"无法连接服务器 127.0.0.1:{port}" in str(failed.value)


def test_an_unknown_host_is_named() -> None:
    with pytest.raises(ConnectionFailed) as failed:
        connect(ServerAddress("no-such-host.invalid", "someone"), "x")
    assert failed.value.reason is Reason.UNREACHABLE
    assert "找不到服务器 no-such-host.invalid" in str(failed.value)


def test_a_wrong_database_name(pg_server: str) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        connect(address_of(pg_server, "kaoping_nowhere"))
    assert failed.value.reason is Reason.NO_DATABASE
    assert "没有名为 kaoping_nowhere 的数据库" in str(failed.value)


def test_an_unknown_account(pg_server: str) -> None:
    address = address_of(pg_server)
    with pytest.raises(ConnectionFailed) as failed:
        connect(ServerAddress(address.host, "nobody_here", address.port, "postgres"))
    assert failed.value.reason is Reason.WRONG_LOGIN
    assert "账户 nobody_here 或密码不对" in str(failed.value)


@pytest.fixture
def empty_database(pg_server: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield name
    drop_database(pg_server, name)


def test_an_empty_database_is_not_set_up_from_the_window(
    pg_server: str, empty_database: str
) -> None:
    with pytest.raises(ConnectionFailed) as failed:
        connect(address_of(pg_server, empty_database))
    assert failed.value.reason is Reason.NOT_SET_UP
    engine = create_engine(database_url(pg_server, empty_database))
    assert stored_revision(engine) is None  # nothing was created in it
    engine.dispose()


def test_a_database_of_something_else_is_refused(pg_server: str, empty_database: str) -> None:
    other = create_engine(database_url(pg_server, empty_database))
    with other.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id int)"))
    other.dispose()
    with pytest.raises(ConnectionFailed) as failed:
        connect(address_of(pg_server, empty_database))
    assert failed.value.reason is Reason.NOT_KAOPING
    assert "不是考评数据库" in str(failed.value)


def test_a_kaoping_database_opens(pg_server: str, pg_template: str) -> None:
    name, _url = new_database(pg_server, pg_template)
    try:
        database = connect(address_of(pg_server, name))
        assert database.path is None  # a server: no file to lock or copy
        assert stored_revision(database.engine) == newest_revision()
        database.dispose()
    finally:
        drop_database(pg_server, name)


@pytest.fixture
def password_login(pg_server: str, pg_template: str) -> Iterator[tuple[ServerAddress, str]]:
    """A login that must give its password (the test cluster trusts everyone else on
    loopback): a line for it alone at the top of pg_hba.conf, taken out afterwards."""
    role = f"kaoping_pw_{uuid.uuid4().hex[:8]}"
    name, url = new_database(pg_server, pg_template)
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        hba = Path(connection.execute(text("SHOW hba_file")).scalar_one())
        connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'"))
        original = hba.read_text()
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n{original}")
        connection.execute(text("SELECT pg_reload_conf()"))
    database = create_engine(url, isolation_level="AUTOCOMMIT")
    with database.connect() as connection:
        connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    database.dispose()
    time.sleep(0.3)  # the postmaster rereads the file on the signal
    server = address_of(pg_server)
    yield ServerAddress(server.host, role, server.port, name), "right-one"
    hba.write_text(original)
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_reload_conf()"))
    drop_database(pg_server, name)
    with admin.connect() as connection:
        connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
    admin.dispose()


def test_passwords_wrong_missing_and_right(password_login: tuple[ServerAddress, str]) -> None:
    address, password = password_login
    with pytest.raises(ConnectionFailed) as wrong:
        connect(address, "wrong-one")
    assert wrong.value.reason is Reason.WRONG_LOGIN
    assert "wrong-one" not in str(wrong.value)
    with pytest.raises(ConnectionFailed) as missing:
        connect(address, None)
    assert missing.value.reason is Reason.PASSWORD_NEEDED
    assert f"要求账户 {address.user} 输入密码" in str(missing.value)
    database = connect(address, password)
    assert stored_revision(database.engine) == newest_revision()
    database.dispose()


def test_the_address_is_remembered_without_the_password(tmp_path: Path, monkeypatch) -> None:
    settings = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(settings))
    assert remembered_address() is None
    settings.write_text('{"backup_folder": "D:/备份", "version": 1}', "utf-8")  # an older file
    address = ServerAddress("192.168.1.10", "李四", 5433, "kaoping2025")
    remember(address)
    assert remembered_address() == address
    saved = settings.read_text("utf-8")
    assert "D:/备份" in saved and "password" not in saved.lower()
    settings.write_text('{"server_host": "h", "server_port": "x"}', "utf-8")  # hand-edited
    assert remembered_address() == ServerAddress("h", "", 5432, "kaoping")
