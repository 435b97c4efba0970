"""PostgreSQL for the tests: one throwaway cluster per run (started by scripts/test.sh and
passed in KAOPING_TEST_PG_URL, or started here for a run of a few files), and one new database
per test, copied from a template at the schema's head so that a test costs a file copy, not a
migration."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.models.database import Database
from app.models.opening import open_database

URL_VARIABLE = "KAOPING_TEST_PG_URL"


def server_url() -> Iterator[str]:
    """The cluster's superuser URL (to the maintenance database ``postgres``)."""
    if url := os.environ.get(URL_VARIABLE):
        yield url
        return
    from tools import test_postgres

    folder = Path(tempfile.mkdtemp(prefix="kaoping-pg-"))
    url = test_postgres.start(folder)
    os.environ[URL_VARIABLE] = url  # subprocesses of this run share it
    try:
        yield url
    finally:
        os.environ.pop(URL_VARIABLE, None)
        test_postgres.stop(folder)


def database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _admin(server: str):
    return create_engine(server, isolation_level="AUTOCOMMIT")


def make_template(server: str, worker: str) -> str:
    """An empty Kaoping database at head, the template of this worker's test databases."""
    name = f"kaoping_template_{worker}"
    admin = _admin(server)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    database = open_database(database_url(server, name))
    database.dispose()
    return name


def new_database(server: str, template: str) -> tuple[str, str]:
    """A fresh database copied from the template: its name and URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = _admin(server)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return name, database_url(server, name)


def drop_database(server: str, name: str) -> None:
    admin = _admin(server)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def open_test_database(server: str, template: str) -> tuple[str, Database]:
    name, url = new_database(server, template)
    return name, open_database(url)
