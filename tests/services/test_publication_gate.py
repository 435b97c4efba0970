"""Issue 14 §3: the publication gate. Nothing goes out while a figure is incomplete, an
objection is open or the 公示 is running; an administrator's override is logged with what it
overrode; each status step is one deliberate act."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models import Assessor
from app.models.opening import open_database
from app.scoring.types import Rules
from app.services.access.actor import Actor, acting_as
from app.services.access.audit import list_changes
from app.services.access.permissions import Forbidden
from app.services.entry.assignment_admin import add_assessor
from app.services.entry.assignments import assign, clear_assignments, tasks_of
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes
from app.services.entry.grid_data import load_grid
from app.services.entry.scores import import_satisfaction
from app.services.review.objections import add_objection
from app.services.review.publication import PublicationBlocked, publish
from app.services.review.publication_gate import check_round
from app.services.review.round_status import change_status
from app.services.rounds.definition import create_round, find_round, list_rounds
from tests.cells import by_ids
from tests.publishing import AFTER_PUBLICITY
from tests.small_round import ROUND, SMALL_UNITS
from tests.workbooks import write_sheet

FRAMEWORK = "法治政府建设指标体系"
THREE = ("云州市教育局", "云州市民政局", "云州市司法局")
UNIT = "云州市民政局"


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    yield db
    db.dispose()


def status(db, name: str = DEMO_ROUND) -> str:
    return next(r.status for r in list_rounds(db) if r.name == name)


def kinds(items) -> set[str]:
    return {item.kind for item in items}


def to_publicity(db, name: str = DEMO_ROUND) -> None:
    change_status(db, name, "审核中")
    change_status(db, name, "公示中", "测试", today=AFTER_PUBLICITY)


def test_publishing_only_from_publicity_one_step_at_a_time(demo) -> None:
    """Seen: one click published from any state, and a double-click went two steps."""
    with pytest.raises(UserError, match="只能在“公示中”之后发布"):
        publish(demo, DEMO_ROUND, today=AFTER_PUBLICITY)
    change_status(demo, DEMO_ROUND, "审核中", expected="评分中")
    with pytest.raises(UserError, match="已是“审核中”状态"):
        change_status(demo, DEMO_ROUND, "审核中", expected="评分中")  # the second click
    change_status(demo, DEMO_ROUND, "公示中", expected="审核中")
    with pytest.raises(UserError, match="本次未改动"):
        change_status(demo, DEMO_ROUND, "已发布", expected="审核中")
    assert status(demo) == "公示中"


def test_the_publicity_period_must_be_over(demo) -> None:
    """Seen: the 公示 deadline was ignored."""
    to_publicity(demo)
    with demo.reading() as session:
        due = find_round(session, DEMO_ROUND).publication_due
    assert due is not None
    with pytest.raises(PublicationBlocked, match="公示期至") as refused:
        publish(demo, DEMO_ROUND, today=due)
    assert kinds(refused.value.report.blocking) == {"公示未结束"}
    assert status(demo) == "公示中"
    publish(demo, DEMO_ROUND, today=due + timedelta(days=1))
    assert status(demo) == "已发布"


def test_an_open_objection_blocks_and_an_override_is_logged_with_the_list(small_db) -> None:
    """Seen: published from 公示中 with an objection still 待复核. (A small round: every
    check of the gate re-hashed the demo's 16,000-record change log.)"""
    demo, unit = small_db, SMALL_UNITS[1]
    leaf = next(leaf for leaf in load_grid(demo, ROUND).leaves if leaf.method == "扣分")
    add_objection(demo, ROUND, unit, leaf.code, "已整改，请复核")
    to_publicity(demo, ROUND)
    with pytest.raises(PublicationBlocked) as refused:
        publish(demo, ROUND, today=AFTER_PUBLICITY)
    [item] = refused.value.report.blocking
    assert (item.kind, item.unit, item.leaf) == ("申辩待复核", unit, leaf.code)
    assert unit in str(refused.value)
    clerk = Actor("小王", "考核办")
    with acting_as(clerk), pytest.raises(Forbidden):
        publish(demo, ROUND, override_reason="领导同意", today=AFTER_PUBLICITY)
    with pytest.raises(UserError, match="理由"):
        publish(demo, ROUND, override_reason="  ", today=AFTER_PUBLICITY)
    assert status(demo, ROUND) == "公示中"
    publish(demo, ROUND, override_reason="申辩已线下答复", today=AFTER_PUBLICITY)
    assert status(demo, ROUND) == "已发布"
    override = next(r for r in list_changes(demo) if r.action == "越过发布检查")
    assert override.reason == "申辩已线下答复"
    assert override.new == [item.as_json()]


def test_a_recused_sole_assessor_leaves_cells_nobody_may_score(demo) -> None:
    """Seen: 回避 kept the only assessor of area 1 off his own unit; nothing said so."""
    create_round(demo, name="小批次", framework=FRAMEWORK, year=2026, rules=Rules(), units=THREE)
    with demo.transaction() as session:
        clear_assignments(session, find_round(session, "小批次").id)
    add_assessor(demo, "李审核", own_unit="云州市司法局")
    assign(demo, "小批次", "李审核", ["1"])
    blocking = check_round(demo, "小批次").blocking
    nobody = [i for i in blocking if i.kind == "无人可评" and i.leaf.startswith("1.")]
    assert nobody and {i.unit for i in nobody} == {"云州市司法局"}
    grid = load_grid(demo, "小批次")
    category = next(u.category for u in grid.units if u.name == "云州市司法局")
    area_one = [
        leaf
        for leaf in grid.leaves
        if leaf.code.startswith("1.")
        and leaf.method not in ("加分", "否决")
        and (leaf.categories is None or category in leaf.categories)
    ]
    assert len(nobody) == len(area_one)  # every such cell named, not a count that disagrees
    assert "回避" in nobody[0].message


def test_a_unit_nobody_scored_is_blocked_not_published_first(demo) -> None:
    """Seen: a unit nobody scored came out 100.00, first, 优秀, with nothing flagged."""
    create_round(demo, name="小批次", framework=FRAMEWORK, year=2026, rules=Rules(), units=THREE)
    report = check_round(demo, "小批次")
    never = [i.unit for i in report.blocking if i.kind == "无评分记录"]
    assert sorted(never) == sorted(THREE)
    untouched = [i for i in report.warnings if i.kind == "未录入"]
    assert untouched and all(i.assessor for i in untouched)


def test_missing_surveys_block_until_imported_or_excused(demo, tmp_path: Path) -> None:
    """Seen: two units without a satisfaction score were published (mixed with 0)."""
    create_round(
        demo,
        name="满意度批次",
        framework=FRAMEWORK,
        year=2026,
        rules=Rules(satisfaction_weight=Decimal("0.2")),
        units=THREE,
    )
    survey = write_sheet(tmp_path / "满意度.xlsx", ["单位名称", "满意度得分"], [[THREE[0], 90]])
    import_satisfaction(demo, survey, "满意度批次")
    missing = [i.unit for i in check_round(demo, "满意度批次").blocking if i.kind == "满意度缺失"]
    assert sorted(missing) == sorted(THREE[1:])


def test_warnings_name_what_to_look_at(demo) -> None:
    grid = load_grid(demo, DEMO_ROUND)
    deduct = next(leaf for leaf in grid.leaves if leaf.method == "扣分")
    tier = next(leaf for leaf in grid.leaves if leaf.method == "分档")
    with demo.reading() as session:
        round_ = find_round(session, DEMO_ROUND)
        cells = {
            (t.unit, t.leaf.code): assessor.name
            for assessor in session.scalars(select(Assessor))
            for t in tasks_of(session, round_, assessor)
        }
    deducting, measuring = cells[UNIT, deduct.code], cells[UNIT, tier.code]
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(
            demo,
            DEMO_ROUND,
            NamedChange(
                UNIT,
                deduct.code,
                deducting,
                CellValue(deduction=deduct.points + 1, reason="多处问题"),
            ),
            NamedChange(UNIT, tier.code, measuring, CellValue(measured=Decimal("1.2"))),
        ),
    )
    warnings = check_round(demo, DEMO_ROUND).warnings
    over = [i for i in warnings if i.kind == "扣分超分值"]
    assert [(i.unit, i.leaf, i.assessor) for i in over] == [(UNIT, deduct.code, deducting)]
    tiers = [i for i in warnings if i.kind == "分档超100%"]
    assert [(i.unit, i.leaf) for i in tiers] == [(UNIT, tier.code)]


def test_a_big_change_from_the_last_published_round_is_a_warning(demo) -> None:
    to_publicity(demo)
    publish(demo, DEMO_ROUND, today=AFTER_PUBLICITY)
    create_round(demo, name="下一年", framework=FRAMEWORK, year=2026, rules=Rules(), units=THREE)
    report = check_round(demo, "下一年")
    # nobody has scored the new round: every 扣分 leaf is full marks, 得分 leaves count 0
    changed = {i.unit for i in report.warnings if i.kind == "与上次差异大"}
    assert changed <= set(THREE) and changed
    assert all(DEMO_ROUND in i.message for i in report.warnings if i.kind == "与上次差异大")


def test_going_to_publicity_with_blocking_items_needs_a_reason(small_db) -> None:
    """On a small round (see above)."""
    demo, unit = small_db, SMALL_UNITS[1]
    leaf = next(leaf for leaf in load_grid(demo, ROUND).leaves if leaf.method == "扣分")
    add_objection(demo, ROUND, unit, leaf.code, "请复核")
    change_status(demo, ROUND, "审核中")
    with pytest.raises(PublicationBlocked, match="申辩"):
        change_status(demo, ROUND, "公示中")
    assert status(demo, ROUND) == "审核中"
    report = change_status(demo, ROUND, "公示中", "申辩在公示期内复核").value
    assert report is not None and kinds(report.blocking) == {"申辩待复核"}
    record = next(r for r in list_changes(demo) if r.action == "带问题进入公示")
    assert record.reason == "申辩在公示期内复核" and record.new[0]["unit"] == unit


def test_the_demo_round_is_clear_once_its_publicity_is_over(demo) -> None:
    assert check_round(demo, DEMO_ROUND, today=AFTER_PUBLICITY).blocking == []
    assert check_round(demo, DEMO_ROUND, today=date(2026, 12, 3)).blocking  # 公示 not over
