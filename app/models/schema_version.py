"""The schema version this program writes, read from the migration files themselves, so that
opening an up-to-date database need not load Alembic (a tenth of a second at every start)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from app.errors import BugError

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision = "([^"]+)"', re.MULTILINE)


@cache
def newest_revision() -> str:
    """The one revision no other migration builds on (Alembic's head, without Alembic)."""
    revisions, below = set(), set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        if down := _DOWN.search(source):
            below.add(down.group(1))
    heads = revisions - below
    if len(heads) != 1:
        raise BugError(f"迁移脚本应只有一个最新版本，实际为：{sorted(heads)}")
    return heads.pop()


def stored_revision(engine: Engine) -> str | None:
    """The version the database says it has; None for a new (empty) file."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
