"""文件 → 连接服务器…: the dialog starts from the address remembered on this computer, says
what went wrong in place and keeps what was typed, and on success the window works on the
server and says so in its status bar. Against the real PostgreSQL of the test run."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.__main__ import main
from app.models.opening import open_database
from app.services.access.actor import single_user_actor
from app.services.server.connection import ServerAddress, remember, remembered_address
from app.ui.connect_dialog import ConnectDialog
from app.ui.database_opening import Opened
from app.ui.window_host import WindowHost
from tests.postgres import drop_database, new_database
from tests.small_round import ROUND, build_small_round


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.json"
    monkeypatch.setenv("KAOPING_SETTINGS", str(path))
    return path


@pytest.fixture
def server_database(pg_server: str, pg_template: str) -> Iterator[tuple[ServerAddress, str]]:
    """A Kaoping database on the test server: its address and its URL."""
    name, url = new_database(pg_server, pg_template)
    found = ServerAddress.from_url(pg_server)
    assert found is not None
    yield ServerAddress(found.host, found.user, found.port, name), url
    drop_database(pg_server, name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def host(qtbot, db_path: Path) -> Iterator[WindowHost]:
    """The window on a local file, as the program starts by default."""
    host = WindowHost(Opened(open_database(db_path), str(db_path)), single_user_actor())
    qtbot.addWidget(host.window)
    host.window.show()
    yield host
    host.window.close()
    host.close()


def test_enter_with_a_wrong_port_says_so_in_place_then_the_right_one_switches(
    qtbot, host: WindowHost, db_path: Path, server_database: tuple[ServerAddress, str]
) -> None:
    address, _url = server_database
    remember(ServerAddress(address.host, address.user, free_port(), address.database))
    assert host.window.location.text() == f"本机文件：{db_path}"

    dialog = host.window.server_actions.connect_to_server()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert (dialog.host.text(), dialog.user.text()) == (address.host, address.user)
    assert dialog.database_name.text() == address.database
    assert dialog.focusWidget() is dialog.password  # all else was remembered
    dialog.password.setText("秘密 p@ss")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "无法连接服务器" in dialog.message.text()
    assert dialog.isVisible() and dialog.database is None
    assert dialog.password.text() == "秘密 p@ss" and dialog.host.text() == address.host
    old_window = host.window

    dialog.port.setValue(address.port)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: host.window is not old_window)
    assert not dialog.isVisible()
    where = f"{address.host}:{address.port}/{address.database}"
    assert host.window.location.text() == f"服务器：{where}（账户 {address.user}）"
    assert host.opened.database.path is None and host.opened.lock is None
    assert remembered_address() == address
    assert "p@ss" not in Path(_settings_file()).read_text("utf-8")


def _settings_file() -> str:
    import os

    return os.environ["KAOPING_SETTINGS"]


def test_a_database_that_is_missing_keeps_the_dialog_open(
    qtbot, server_database: tuple[ServerAddress, str]
) -> None:
    address, _url = server_database
    dialog = ConnectDialog(ServerAddress(address.host, address.user, address.port, "nowhere"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.database_name, Qt.Key.Key_Return)
    assert "没有名为 nowhere 的数据库" in dialog.message.text()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.database_name
    assert remembered_address() is None  # only an address that worked is remembered


def test_the_window_starts_on_a_server_url(
    qtbot, tmp_path: Path, server_database: tuple[ServerAddress, str]
) -> None:
    """No lock file is made for a server, and the picture shows the window on it."""
    _address, url = server_database
    shot = tmp_path / "server.png"
    assert main(["--db", url, "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 0


def test_the_command_line_works_on_a_server_url(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server_database: tuple[ServerAddress, str]
) -> None:
    """`python -m app --db postgresql+psycopg://… round list`, in-process."""
    _address, url = server_database
    database = open_database(url)
    build_small_round(database, tmp_path, ["市教育局", "市住建局"])
    database.dispose()
    assert main(["--db", url, "round", "list"]) == 0
    out, err = capsys.readouterr()
    assert ROUND in out and err == ""
