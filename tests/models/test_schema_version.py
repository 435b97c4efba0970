"""Opening an up-to-date file skips Alembic; the version read from the scripts is Alembic's."""

from __future__ import annotations

from pathlib import Path

from app.models.database import make_engine
from app.models.migrate import head_revision, upgrade_database
from app.models.opening import open_database
from app.models.schema_version import newest_revision, stored_revision


def test_the_scripts_name_the_same_head_as_alembic() -> None:
    assert newest_revision() == head_revision()


def test_an_old_file_is_still_upgraded_and_a_new_one_created(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    engine = make_engine(old)
    upgrade_database(engine, old, "0005")
    assert stored_revision(engine) == "0005"
    engine.dispose()
    db = open_database(old)
    assert stored_revision(db.engine) == newest_revision()
    db.dispose()
    fresh = open_database(tmp_path / "new.db")
    assert stored_revision(fresh.engine) == newest_revision()
    fresh.dispose()
