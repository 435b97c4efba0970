"""A published round is read-only in the services and in the database itself."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.errors import ReadOnlyRound, UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.access.audit import list_changes, verify_chain
from app.services.entry.scores import import_satisfaction
from app.services.rounds.definition import list_rounds, reopen_round
from tests.publishing import publish_now
from tests.workbooks import write_sheet


@pytest.fixture
def demo_copy(demo_db_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)  # a test copy of a closed file; the program never copies
    return path


def test_published_round_refuses_imports_and_raw_writes(demo_copy: Path, tmp_path: Path) -> None:
    db = open_database(demo_copy)
    publish_now(db, DEMO_ROUND)
    assert list_rounds(db)[0].status == "已发布"
    sheet = write_sheet(tmp_path / "sat.xlsx", ("单位名称", "满意度得分"), [("云州市司法局", 50)])
    with pytest.raises(ReadOnlyRound, match="只读"):
        import_satisfaction(db, sheet, DEMO_ROUND)
    db.dispose()
    with sqlite3.connect(demo_copy) as connection:
        for statement in (
            "UPDATE score_entries SET deduction = '0' WHERE id = 1",
            "DELETE FROM score_entries WHERE id = 1",
            "UPDATE satisfaction_results SET score = '100'",
            "UPDATE round_nodes SET points = '50' WHERE id = 1",
            "UPDATE rounds SET bottom_n = 0",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="已发布"):
                connection.execute(statement)
    backups = list((demo_copy.parent / "backups").glob("kaoping-*-发布前.db"))
    assert len(backups) == 1


def test_reopening_needs_a_reason_and_is_recorded(small_db: Database) -> None:
    """On a small round: publishing the demo checked its gate (re-hashing 16,000 records)
    three times."""
    from tests.small_round import ROUND

    db = small_db
    publish_now(db, ROUND)
    with pytest.raises(UserError, match="理由"):
        reopen_round(db, ROUND, "  ")
    reopen_round(db, ROUND, "市委要求复核第三类单位")
    assert list_rounds(db)[0].status == "审核中"
    last = list_changes(db)[-1]
    assert (last.action, last.reason) == ("重新打开", "市委要求复核第三类单位")
    assert verify_chain(db).first_broken is None
