"""The change log is a hash chain: an edit made behind the program's back is found and named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.models.database import Database
from app.services.access.audit import GENESIS, log_change, verify_chain


def add_records(db: Database, count: int) -> None:
    for number in range(count):
        with db.transaction() as session:
            log_change(
                session,
                entity="评分",
                key=f"单位{number}/1.1",
                action="修改",
                old={"扣分": "0.5"},
                new={"扣分": str(number)},
                user="李",
            )


def test_intact_chain_verifies(db: Database) -> None:
    assert verify_chain(db).head == GENESIS
    add_records(db, 3)
    report = verify_chain(db)
    assert report.first_broken is None
    assert report.records == 3
    assert len(report.short_code) == 12


@pytest.mark.sqlite_only  # edits the file with sqlite3
def test_record_edited_with_sqlite_is_named(db: Database, db_path: Path) -> None:
    add_records(db, 4)
    db.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("DROP TRIGGER change_log_no_update")  # what a tamperer would do
        connection.execute('UPDATE change_log SET new = \'{"扣分": "0"}\' WHERE id = 2')
    report = verify_chain(db)
    assert report.first_broken == 2
    assert "第 2 条" in report.problem


@pytest.mark.sqlite_only  # edits the file with sqlite3
def test_deleted_record_breaks_the_next_link(db: Database, db_path: Path) -> None:
    add_records(db, 4)
    db.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("DROP TRIGGER change_log_no_delete")
        connection.execute("DELETE FROM change_log WHERE id = 3")
    assert verify_chain(db).first_broken == 4
