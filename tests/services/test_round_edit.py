"""A round set up wrongly is corrected or deleted in the program while nobody has worked in it
(issue 17, seen: a round could be neither edited nor deleted after creation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models import RoundNode
from app.models.opening import open_database
from app.scoring.types import Rules
from app.services.access.audit import list_changes
from app.services.changes import Topic
from app.services.rounds.definition import create_round, list_rounds
from app.services.rounds.round_edit import delete_round, edit_round
from app.services.setup.frameworks import list_frameworks
from app.services.setup.units import list_units

NEW = "2026年度示范创建考核"


def new_round(db, units: list[str]) -> None:
    framework = next(f.name for f in list_frameworks(db) if "示范" in f.name)
    create_round(db, name=NEW, framework=framework, year=2026, rules=Rules(), units=units)


def test_a_round_nobody_worked_in_is_corrected_then_deleted(demo_copy: Path) -> None:
    db = open_database(demo_copy)
    names = [u.name for u in list_units(db)]
    new_round(db, names[:5])
    other = next(f.name for f in list_frameworks(db) if "示范" not in f.name)
    changes = edit_round(db, NEW, new_name="2026年度法治政府建设考核", year=2027, framework=other,
                         units=names[:7])  # fmt: skip
    assert changes.touches(Topic.ROUNDS)
    (edited,) = [r for r in list_rounds(db) if r.name == "2026年度法治政府建设考核"]
    assert (edited.year, edited.framework, edited.units) == (2027, other, 7)
    record = next(r for r in list_changes(db) if r.action == "修改" and r.entity == "考核批次")
    assert record.old["年度"] == 2026 and record.new["单位数"] == 7
    with pytest.raises(UserError, match="理由"):
        delete_round(db, edited.name, " ")
    delete_round(db, edited.name, "建错了")
    assert edited.name not in [r.name for r in list_rounds(db)]
    with db.reading() as session:
        left = session.scalar(select(func.count()).where(RoundNode.round_id == edited.id))
    assert left == 0
    assert any(r.action == "删除" and r.reason == "建错了" for r in list_changes(db))


def test_a_scored_round_keeps_its_set_up(demo_copy: Path) -> None:
    db = open_database(demo_copy)
    with pytest.raises(UserError, match="已有评分"):
        edit_round(db, DEMO_ROUND, year=2024)
    with pytest.raises(UserError, match="不能删除"):
        delete_round(db, DEMO_ROUND, "误删")
    assert DEMO_ROUND in [r.name for r in list_rounds(db)]
