"""Opening an older file upgrades it in place, after a backup, without losing a row or a point."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.models.database import make_engine
from app.models.migrate import MigrationError, head_revision, upgrade_database
from app.models.opening import open_database

POPULATE_0001 = [
    "INSERT INTO unit_categories (id, name, sort_order) VALUES (1, '执法部门', 1)",
    "INSERT INTO units (id, name, short_name, category_id, sort_order, active) "
    "VALUES (1, '市司法局', '司法局', 1, 1, 1), (2, '市公安局', NULL, 1, 2, 1)",
    "INSERT INTO frameworks (id, name, description, created_at) VALUES (1, 'F', '', '2025-01-01')",
    "INSERT INTO rounds (id, name, year, framework_id, framework_name, status, trim_from, grades,"
    " category_grades, bottom_n, created_at) VALUES (1, 'R', 2025, 1, 'F', '评分中', 5, '[]', '{}',"
    " 0, '2025-01-01')",
    "INSERT INTO round_nodes (id, round_id, parent_id, code, name, level, sort_order, points,"
    " method, parameters, tiers, standard, content, assessment_method, lead_department,"
    " categories) VALUES (1, 1, NULL, '1', 'A', 1, 1, '10', '扣分', '', '[]', '', '', '', '',"
    " '[]'), (2, 1, 1, '1.1', 'B', 2, 1, '10', '扣分', '', '[]', '', '', '', '', '[]')",
    "INSERT INTO round_units (id, round_id, unit_id, category_name, sort_order)"
    " VALUES (1, 1, 1, '执法部门', 1), (2, 1, 2, '执法部门', 2)",
    "INSERT INTO assessors (id, name, department) VALUES (1, '甲组', '市司法局')",
    "INSERT INTO score_entries (round_id, unit_id, node_id, assessor_id, deduction, score, answer,"
    " measured, not_applicable, veto, reason, entered_by, entered_at) VALUES"
    " (1, 1, 2, 1, '0.1', NULL, NULL, NULL, 0, 0, '理由', 'li', '2025-03-01'),"
    " (1, 1, 2, 1, '0.2', NULL, NULL, NULL, 0, 0, '', 'li', '2025-03-01'),"
    " (1, 2, 2, 1, '2.5', NULL, NULL, NULL, 0, 0, '', 'li', '2025-03-01')",
    "INSERT INTO satisfaction_results (round_id, unit_id, score) VALUES (1, 1, '88.05')",
]


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """A populated database as the first released schema left it."""
    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade_database(engine, path, "0001")
    with engine.begin() as connection:
        for statement in POPULATE_0001:
            connection.execute(text(statement))
    engine.dispose()
    return path


def counts_and_sums(path: Path) -> dict[str, object]:
    with sqlite3.connect(path) as connection:
        result: dict[str, object] = {}
        for table in ("units", "assessors", "score_entries", "round_nodes", "satisfaction_results"):
            result[table] = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        result["deductions"] = sorted(
            r[0] for r in connection.execute("SELECT deduction FROM score_entries")
        )
        result["assessor"] = connection.execute("SELECT name, department FROM assessors").fetchall()
        return result


def test_old_file_is_backed_up_and_upgraded_without_loss(old_file: Path) -> None:
    before = counts_and_sums(old_file)
    db = open_database(old_file)
    db.dispose()
    with sqlite3.connect(old_file) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        columns = [r[1] for r in connection.execute("PRAGMA table_info(assessors)")]
        assert "unit_id" in columns
    assert counts_and_sums(old_file) == before
    from app.services.maintenance.backups import list_backups

    listed = list_backups(old_file.parent / "backups")  # shown in the backup list
    assert [b.reason for b in listed] == ["迁移前-0001"]
    backups = [b.path for b in listed]
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert connection.execute("SELECT COUNT(*) FROM score_entries").fetchone()[0] == 3


def test_upgraded_change_log_is_append_only(old_file: Path) -> None:
    open_database(old_file).dispose()
    with sqlite3.connect(old_file) as connection:
        connection.execute(
            "INSERT INTO change_log (at, user, entity, entity_key, action, reason, source,"
            " prev_hash, hash) VALUES ('2025-01-01', 'li', '评分', 'k', '新增', '', '', '', '')"
        )
        connection.commit()
        with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
            connection.execute("UPDATE change_log SET user = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
            connection.execute("DELETE FROM change_log")


def test_a_file_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MigrationError, match="9999"):
        open_database(path)


def test_every_connection_enforces_foreign_keys(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fk.db")
    with db.reading() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
        assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "delete"
    db.dispose()


def test_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    db = open_database(tmp_path / "fresh.db")
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    db.dispose()


def test_upgraded_file_keeps_every_published_round_trigger(old_file: Path) -> None:
    """Later revisions alter round tables; none may drop the triggers that freeze a published
    round (a rebuilt SQLite table loses its triggers)."""
    database = open_database(old_file)
    database.dispose()
    with sqlite3.connect(old_file) as connection:
        triggers = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        for table in ("score_entries", "satisfaction_results", "round_nodes", "round_units"):
            for event in ("insert", "update", "delete"):
                assert f"{table}_published_no_{event}" in triggers
        connection.execute("UPDATE rounds SET status = '已发布' WHERE id = 1")
        with pytest.raises(sqlite3.DatabaseError, match="只读"):
            connection.execute("UPDATE satisfaction_results SET score = '99' WHERE round_id = 1")
