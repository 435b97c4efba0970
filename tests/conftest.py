"""Shared fixtures; Qt must be told to run offscreen before it is first imported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.models.database import Database
from app.models.opening import open_database


@pytest.fixture(scope="session", autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the developer's own settings (e.g. a chosen backup folder);
    subprocesses inherit the variable."""
    os.environ["KAOPING_SETTINGS"] = str(tmp_path_factory.mktemp("settings") / "settings.json")


@pytest.fixture(autouse=True)
def nobody_signed_in() -> Iterator[None]:
    """Each test starts in single-user mode, whatever an earlier one signed in as."""
    from app.services.access.actor import set_actor

    set_actor(None)
    yield
    set_actor(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kaoping-test.db"


@pytest.fixture(scope="session")
def empty_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database file at the schema's head, made once per run: a test's new file is a
    copy of it (what open_database makes of a new path, without running every migration
    again: ~0.1 s a test). Tests of creating or upgrading a file open their own path."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    open_database(path).dispose()
    return path


def new_database_file(empty_db_file: Path, path: Path) -> Path:
    """``path`` made a new, empty database at head (a copy of the run's empty file)."""
    import shutil

    shutil.copy(empty_db_file, path)
    return path


@pytest.fixture
def db(db_path: Path, empty_db_file: Path) -> Iterator[Database]:
    database = open_database(new_database_file(empty_db_file, db_path))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The run's throwaway PostgreSQL cluster (tests/postgres.py)."""
    from tests.postgres import server_url

    yield from server_url()


@pytest.fixture(scope="session")
def pg_template(pg_server: str, worker_id: str) -> str:
    from tests.postgres import make_template

    return make_template(pg_server, worker_id)


@pytest.fixture
def pg_db(pg_server: str, pg_template: str) -> Iterator[Database]:
    """A new, empty PostgreSQL database at the schema's head, dropped after the test."""
    from tests.postgres import drop_database, open_test_database

    name, database = open_test_database(pg_server, pg_template)
    yield database
    database.dispose()
    drop_database(pg_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """The same test on both engines: a new SQLite file, and a new PostgreSQL database."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def run_cli(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run `python -m app --db <test db> ARGS...` in-process; returns (exit, stdout, stderr)."""
    from app.__main__ import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def small_round_file(empty_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/small_round.py's round of SMALL_UNITS (each deducted a point on both leaves by one
    assessor), built once per run: for tests where the demo's 80 units only add time."""
    from tests.small_round import SMALL_UNITS, build_small_round

    folder = tmp_path_factory.mktemp("small-round")
    path = new_database_file(empty_db_file, folder / "small.db")
    database = open_database(path)
    build_small_round(database, folder, SMALL_UNITS)
    database.dispose()
    return path


@pytest.fixture
def small_copy(small_round_file: Path, db_path: Path) -> Path:
    """The test database starts as the small round (copied, not rebuilt)."""
    import shutil

    shutil.copy(small_round_file, db_path)
    return db_path


@pytest.fixture
def small_db(small_copy: Path) -> Iterator[Database]:
    database = open_database(small_copy)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_command(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """The demo database, built once per test run by the `demo` command (`python -m app --db
    demo.db demo`, run in this process): the file, the exit code and what it printed."""
    import contextlib
    import io

    from app.__main__ import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(path), "demo"])
    return path, code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def demo_db_file(demo_command: tuple[Path, int, str, str]) -> Path:
    """The demo database (tests copy it before writing)."""
    path, code, _, err = demo_command
    assert code == 0, err
    return path


@pytest.fixture
def demo_copy(demo_db_file: Path, db_path: Path) -> Path:
    """The test database starts as the demo year (what `demo` builds, copied, not rebuilt)."""
    import shutil

    shutil.copy(demo_db_file, db_path)
    return db_path
