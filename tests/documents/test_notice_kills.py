"""Issue 15 §2: a kill while a notice is issued never leaves a numbered PDF without its record,
and the next issue never gives the same 文号 to another unit. Seen: 2 of 27 kills during
`notices` left a complete numbered PDF with no record, and the rerun gave 云法办〔2026〕78号 to a
second unit's notice."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.models.opening import open_database
from app.services.publishing.notice_register import list_notices
from app.services.publishing.notices import issue_notices
from app.services.review.findings import round_findings
from tests.small_round import ROUND

ROOT = Path(__file__).resolve().parents[2]
KILLED_AT = """
import os, sys
from datetime import date
from pathlib import Path
from app.models.opening import open_database
from app.services.publishing import notices
def killed(*args, **kwargs):
    os._exit(9)
setattr(notices, sys.argv[3], killed)
db = open_database(sys.argv[1])
notices.issue_notices(db, sys.argv[4], "整改通知书", Path(sys.argv[2]), units=[sys.argv[5]],
                      issued_on=date(2026, 1, 31))
"""


@pytest.fixture
def round_file(small_copy: Path) -> Path:
    """A small round's file (the kill is the point, not the demo's 80 units, whose findings
    and check took seconds in each process)."""
    return small_copy


def units_with_findings(path: Path) -> list[str]:
    db = open_database(path)
    try:
        return [f.unit for f in round_findings(db, ROUND)[1] if f.findings][:2]
    finally:
        db.dispose()


def killed_while_issuing(path: Path, out: Path, where: str, unit: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT, str(path), str(out), where, ROUND, unit],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 9, done.stderr


def numbers_on_files(out: Path) -> list[str]:
    return [re.match(r"(.+?号)-", p.name).group(1) for p in out.glob("*.pdf")]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "where",
    [
        "link_problems_to_notice",  # PDF written, record not yet committed
        "publish_file",  # record committed, the file not yet under its name
    ],
)
def test_a_kill_never_leaves_a_number_twice_or_a_file_without_its_record(
    round_file: Path, tmp_path: Path, where: str
) -> None:
    first, second = units_with_findings(round_file)
    out = tmp_path / "文书"
    killed_while_issuing(round_file, out, where, first)
    db = open_database(round_file)
    try:
        issue_notices(db, ROUND, "整改通知书", out, units=[second], issued_on=date(2026, 1, 31))
        records = {n.number: n for n in list_notices(db)}
    finally:
        db.dispose()
    on_files = numbers_on_files(out)
    assert len(on_files) == len(set(on_files))  # never one 文号 on two documents
    assert set(on_files) == set(records)  # every numbered file has its record, and back
    assert not list(out.glob(".*"))  # nothing half-done left in the clerk's folder
    assert {n.unit for n in records.values()} == (
        {first, second} if where == "publish_file" else {second}
    )
