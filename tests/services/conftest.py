"""Service tests that start from an empty database run on both engines (issue 18)."""

from __future__ import annotations

import pytest

from app.models.database import Database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, db_path) -> Database:
    """A new SQLite file, and a new PostgreSQL database."""
    if request.param == "sqlite":
        from app.models.opening import open_database
        from tests.conftest import new_database_file

        empty = request.getfixturevalue("empty_db_file")
        database = open_database(new_database_file(empty, db_path))
        request.addfinalizer(database.dispose)
        return database
    return request.getfixturevalue("pg_db")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked sqlite_only (it opens the file with sqlite3, or copies it as a backup)
    runs on SQLite alone; its PostgreSQL twin is not collected."""
    kept, dropped = [], []
    for item in items:
        engine = getattr(getattr(item, "callspec", None), "params", {}).get("db")
        if engine == "postgresql" and item.get_closest_marker("sqlite_only") is not None:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
