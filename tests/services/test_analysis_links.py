"""The office's comparison links kept with the round (issue 20): added and removed with a
change-log record, refused when a name or code is not in its round, used by every comparison
unless told otherwise, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.errors import NotFound, UserError
from app.io.records import RowSource, UnitRecord
from app.models import ChangeLog, Round
from app.models.database import Database
from app.scoring.analysis.matching import AREA, LEAF, NEW, RENAMED, UNIT, Link
from app.scoring.types import Rules
from app.services.analysis.compare import compare_with
from app.services.analysis.links import add_link, list_links, remove_link
from app.services.changes import Topic
from app.services.rounds.definition import create_round
from app.services.setup.units import save_units
from tests.small_round import FRAMEWORK, ROUND, build_small_round

EARLIER = "2024年度考核"
OLD, NOW = "市国土资源局", "市自然资源局"


@pytest.fixture
def two_rounds(db: Database, tmp_path: Path) -> Database:
    """2025 with 市自然资源局; 2024 (same tree) with 市国土资源局 in its place."""
    build_small_round(db, tmp_path, ["市公安局", "市财政局", NOW])
    with db.transaction() as session:
        save_units(session, [UnitRecord(OLD, "执法部门", OLD, 9, RowSource("测试", "单位", 9))],
                   source="测试")  # fmt: skip
    create_round(db, name=EARLIER, framework=FRAMEWORK, year=2024, rules=Rules(),
                 units=["市公安局", "市财政局", OLD])  # fmt: skip
    return db


def test_a_stored_link_pairs_a_renamed_unit_until_it_is_removed(two_rounds: Database) -> None:
    db = two_rounds
    before = compare_with(db, ROUND, [EARLIER])
    assert before.unmatched[EARLIER].units_gone == [OLD]
    link = Link(UNIT, EARLIER, OLD, NOW)
    added = add_link(db, ROUND, link, "机构改革更名")
    assert added.value is True and added.changes.touches(Topic.ANALYSIS)
    assert add_link(db, ROUND, link).value is False  # once is enough
    assert [s.link for s in list_links(db, ROUND)] == [link]
    row = {u.unit: u for u in compare_with(db, ROUND, [EARLIER]).units}[NOW]
    assert row.matches[0].how == RENAMED and row.matches[0].sources == (OLD,)
    unlinked = {u.unit: u for u in compare_with(db, ROUND, [EARLIER], stored=False).units}
    assert unlinked[NOW].matches[0].how == NEW  # told to leave the stored links out
    removed = remove_link(db, ROUND, link, "录错")
    assert removed.value is True and removed.changes.touches(Topic.ANALYSIS)
    assert remove_link(db, ROUND, link).value is False
    assert list_links(db, ROUND) == []
    with db.transaction() as session:  # links move no result: a published round takes them
        session.execute(update(Round).where(Round.name == ROUND).values(status="已发布"))
    assert add_link(db, ROUND, link).value is True
    with db.reading() as session:
        logged = session.execute(
            select(ChangeLog.action, ChangeLog.reason).where(ChangeLog.entity == "分析对应")
        ).all()
    assert [tuple(r) for r in logged] == [("添加", "机构改革更名"), ("删除", "录错"), ("添加", "")]


def test_a_link_to_what_is_not_in_its_round_is_refused(two_rounds: Database) -> None:
    db = two_rounds
    with pytest.raises(NotFound, match=f"“{NOW}”不是考核批次“{EARLIER}”"):
        add_link(db, ROUND, Link(UNIT, EARLIER, NOW, "市公安局"))
    with pytest.raises(NotFound, match="没有一级指标“9”"):
        add_link(db, ROUND, Link(AREA, EARLIER, "9", "1"))
    with pytest.raises(UserError, match="两个不同的考核批次"):
        add_link(db, ROUND, Link(UNIT, ROUND, "市公安局", "市财政局"))
    add_link(db, ROUND, Link(LEAF, EARLIER, "1.1.1", "2.1.1"))
    with pytest.raises(UserError, match=r"已对应.*“1\.1\.1”"):  # one code, one counterpart
        add_link(db, ROUND, Link(LEAF, EARLIER, "2.1.1", "2.1.1"))
    assert [s.link.earlier for s in list_links(db, ROUND)] == ["1.1.1"]
