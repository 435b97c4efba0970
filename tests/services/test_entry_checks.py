"""Plausibility at entry (issue 14 §4): the grid, offline workbooks and objection reviews refuse
what breaks a leaf's rule, with the rule in the message, and write nothing; what is accepted
but odd comes back as a warning."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.errors import UserError, WorkbookError
from app.models import Assessor, RoundNode
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.services.access.audit import list_changes
from app.services.entry.assessor_sheets import import_sheet
from app.services.entry.assignments import tasks_of
from app.services.entry.cells import CellInputError, CellValue, parse_cell
from app.services.entry.grid import (
    CellRefused,
    NamedChange,
    apply_changes,
    apply_named_changes,
    load_grid,
)
from app.services.review.objections import add_objection, review_objection
from app.services.rounds.definition import find_round
from tests.cells import by_ids
from tests.services.test_assessor_sheets import row_of, set_cell
from tests.workbooks import small_framework, small_units

UNIT = "云州市民政局"
ROUND = "2025年度"


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def owners(db) -> dict[tuple[str, str], set[str]]:
    """(unit, leaf) -> the assessors it is assigned to."""
    cells: dict[tuple[str, str], set[str]] = {}
    with db.reading() as session:
        round_ = find_round(session, DEMO_ROUND)
        for assessor in session.scalars(select(Assessor)):
            for task in tasks_of(session, round_, assessor):
                cells.setdefault((task.unit, task.leaf.code), set()).add(assessor.name)
    return cells


def stepped_leaf(db, step: str = "每项0.5"):
    """A 扣分 leaf of the demo round stating a per-item step, and its assessor for UNIT."""
    grid = load_grid(db, DEMO_ROUND)
    unit = next(u for u in grid.units if u.name == UNIT)
    with db.reading() as session:
        round_ = find_round(session, DEMO_ROUND)
        stepped = {
            n.code
            for n in session.scalars(
                select(RoundNode).where(
                    RoundNode.round_id == round_.id, RoundNode.parameters == step
                )
            )
        }
    cells = owners(db)
    leaf = next(
        leaf
        for leaf in grid.leaves
        if leaf.code in stepped and grid.applies(leaf, unit) and (UNIT, leaf.code) in cells
    )
    return leaf, sorted(cells[(UNIT, leaf.code)])[0]


def test_a_deduction_off_the_leafs_step_is_refused_in_the_grid(demo) -> None:
    leaf, assessor = stepped_leaf(demo)
    before = load_grid(demo, DEMO_ROUND).values.get((UNIT, leaf.code, assessor))
    log_size = len(list_changes(demo))
    value = CellValue(deduction=Decimal("0.3"), reason="抽查发现问题")
    with pytest.raises(CellRefused, match=r"每项0\.5.*0\.5 的整数倍.*0\.3 不是"):
        apply_changes(
            demo,
            DEMO_ROUND,
            by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, assessor, value)),
        )
    assert len(list_changes(demo)) == log_size
    assert load_grid(demo, DEMO_ROUND).values.get((UNIT, leaf.code, assessor)) == before
    # a whole number of items, or the whole leaf (扣完为止), goes in
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(
            demo,
            DEMO_ROUND,
            NamedChange(UNIT, leaf.code, assessor, CellValue(deduction=Decimal(1), reason="两项")),
        ),
    )


def test_an_objection_review_follows_the_step_too(demo) -> None:
    leaf, _ = stepped_leaf(demo)
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf.code, "已整改").value
    with pytest.raises(UserError, match=r"0\.5 的整数倍"):
        review_objection(demo, DEMO_ROUND, number, accept=True, score=leaf.points - Decimal("0.3"))


def test_a_typed_minus_is_refused_not_read_as_a_deduction(demo) -> None:
    leaf, assessor = stepped_leaf(demo)
    value = parse_cell("扣分", "-1", "抽查发现问题")
    with pytest.raises(CellRefused, match="扣分不能为负数"):
        apply_changes(
            demo,
            DEMO_ROUND,
            by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, assessor, value)),
        )


def test_not_applicable_with_a_value_in_one_cell_is_refused(demo) -> None:
    leaf, assessor = stepped_leaf(demo)
    value = CellValue(deduction=Decimal(1), not_applicable=True, reason="本单位无此职责")
    with pytest.raises(CellRefused, match=r"不适用.*又填了分值"):
        apply_changes(
            demo,
            DEMO_ROUND,
            by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, assessor, value)),
        )


def test_an_unknown_assessor_is_never_created_from_the_grid(demo) -> None:
    leaf, _ = stepped_leaf(demo)
    value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
    with pytest.raises(CellRefused, match="没有名为“司法局考核组2”的评分人"):
        apply_named_changes(
            demo, DEMO_ROUND, [NamedChange(UNIT, leaf.code, "司法局考核组2", value)], source="测试"
        )
    assert "司法局考核组2" not in load_grid(demo, DEMO_ROUND).assessors
    # an existing assessor without any assignment in the round is no assessor of it
    with demo.transaction() as session:
        session.add(Assessor(name="第三方评估组", department="评估机构"))
    with pytest.raises(CellRefused, match="“第三方评估组”不是本批次的评分人"):
        apply_changes(
            demo,
            DEMO_ROUND,
            by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, "第三方评估组", value)),
        )


def test_a_write_by_ids_never_creates_an_assessor(demo) -> None:
    """write_changes takes ids: one that is no assessor is refused, and nobody is made, by
    apply_changes or by a service writing inside its own transaction."""
    from dataclasses import replace

    from sqlalchemy import func

    from app.services.entry.grid import write_changes

    leaf, assessor = stepped_leaf(demo)
    value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
    [change] = by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, assessor, value))
    with demo.reading() as session:
        count = session.scalar(select(func.count()).select_from(Assessor))
        missing = session.scalar(select(func.max(Assessor.id))) + 1
    nobody = replace(change, assessor_id=missing)
    with pytest.raises(CellRefused, match=f"没有编号为 {missing} 的评分人"):
        apply_changes(demo, DEMO_ROUND, [nobody])
    with pytest.raises(CellRefused, match="不会新建评分人"), demo.transaction() as session:
        round_ = find_round(session, DEMO_ROUND)
        write_changes(session, round_, [nobody], user="测试", source="测试")
    with demo.reading() as session:
        assert session.scalar(select(func.count()).select_from(Assessor)) == count


def test_the_office_enters_on_an_assessors_behalf_as_such(demo) -> None:
    """Seen: an assessor's scores on another assessor's indicator went in as if they were
    theirs. The office may still enter them: accepted, logged and told as 代录; an 评分人
    account is refused."""
    cells = owners(demo)
    grid = load_grid(demo, DEMO_ROUND)
    leaf, owner = stepped_leaf(demo)
    unit_id = next(u.id for u in grid.units if u.name == UNIT)
    other = next(
        a.name
        for a in grid.panel
        if a.name not in cells[(UNIT, leaf.code)] and grid.own_units.get(a.id) != unit_id
    )
    value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
    warnings = apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, other, value))
    ).warnings
    assert any("代录" in w and other in w for w in warnings)
    last = list_changes(demo)[-1]
    assert last.key == f"{UNIT}/{leaf.code}/{other}" and "代录" in last.reason
    # the assigned assessor's own entry is no 代录
    apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, owner, value))
    )
    assert "代录" not in list_changes(demo)[-1].reason
    accounts.create_account(demo, "admin", "admin-pw-1", "管理员")
    accounts.create_account(demo, "wang", "wang-pass-1", ROLE_ASSESSOR, assessor=other)
    more = CellValue(deduction=Decimal(1), reason="抽查发现问题")
    wang = accounts.sign_in(demo, "wang", "wang-pass-1")
    with acting_as(wang), pytest.raises(CellRefused, match="未分配给"):
        apply_changes(
            demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, other, more))
        )


def test_a_bare_rate_above_one_is_refused_with_the_question() -> None:
    with pytest.raises(CellInputError, match="是否指 85%？"):
        parse_cell("分档", "85")
    assert parse_cell("分档", "85%") == CellValue(measured=Decimal("0.85"))
    assert parse_cell("分档", "120%") == CellValue(measured=Decimal("1.2"))


def test_a_deduction_above_the_points_is_accepted_with_a_warning(demo) -> None:
    leaf, assessor = stepped_leaf(demo)
    too_much = leaf.points + 1
    value = CellValue(deduction=too_much, reason="多处问题")
    warnings = apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(UNIT, leaf.code, assessor, value))
    ).warnings
    assert any("超过分值" in w and "扣完为止" in w for w in warnings)
    assert load_grid(demo, DEMO_ROUND).values[(UNIT, leaf.code, assessor)].deduction == too_much


# --- offline workbooks: the same rules, told by file, sheet, row and column -----------------------


@pytest.fixture
def exported(db: Database, tmp_path: Path) -> dict[str, Path]:
    from app.scoring.types import Rules
    from app.services.entry.assessor_sheets import export_sheets
    from app.services.entry.assignments import assign
    from app.services.rounds.definition import create_round
    from app.services.setup.frameworks import import_framework
    from app.services.setup.units import import_units

    import_units(db, small_units(tmp_path / "units.xlsx"))
    import_framework(db, small_framework(tmp_path / "fw.xlsx"), "小体系")
    with db.transaction() as session:
        session.add(Assessor(name="甲组", department="市司法局", unit_id=1))
    create_round(db, name=ROUND, framework="小体系", year=2025, rules=Rules())
    assign(db, ROUND, "甲组", ["1", "2"])
    return {p.name.split("-")[1]: p for p in export_sheets(db, ROUND, tmp_path / "out")}


@pytest.mark.parametrize(
    ("code", "value", "fragment"),
    [
        ("1.1.1", -1, "扣分不能为负数"),  # seen: "-1" taken as a deduction of 1
        ("1.1.1", 0.3, "0.5 的整数倍"),  # seen: 0.3 on a "每项0.5" leaf
        ("2.1.1", 85, "是否指 85%？"),
    ],
)
def test_offline_workbook_values_breaking_a_rule_are_refused(
    db, exported, code, value, fragment
) -> None:
    path = exported["甲组"]
    line = row_of(path, "市公安局", code)
    set_cell(path, f"H{line}", value)
    set_cell(path, f"I{line}", "抽查发现问题")
    changes_before = len(list_changes(db))
    with pytest.raises(WorkbookError) as error:
        import_sheet(db, ROUND, path)
    assert f"{path.name}，工作表“评分表”，第 {line} 行，H 列" in str(error.value)
    assert fragment in str(error.value)
    assert len(list_changes(db)) == changes_before


def test_offline_workbook_deduction_above_the_points_is_a_warning(db, exported) -> None:
    path = exported["甲组"]
    line = row_of(path, "市公安局", "1.1.1")
    set_cell(path, f"H{line}", 5)
    set_cell(path, f"I{line}", "多项制度缺失")
    [diff] = import_sheet(db, ROUND, path).value
    assert diff.new == "5" and "超过分值" in diff.warning


def test_the_demo_round_passes_the_entry_checks(demo) -> None:
    """Every demo entry could have been typed in: within its leaf's rule (a "每起1" leaf gets
    whole items), by an assessor of the round, on a cell assigned to them."""
    from app.models import ScoreEntry
    from app.services.entry.assignments import score_scope
    from app.services.entry.checks import check_value
    from app.services.entry.entry_rows import merge_rows

    broken: list[str] = []
    with demo.reading() as session:
        round_ = find_round(session, DEMO_ROUND)
        scope = score_scope(session, round_)
        nodes = {n.id: n for n in session.scalars(select(RoundNode))}
        names = {a.id: a.name for a in session.scalars(select(Assessor))}
        entries = list(session.scalars(select(ScoreEntry)))
        for e in entries:
            node, name = nodes[e.node_id], names[e.assessor_id]
            check = check_value(merge_rows([e]), node)
            broken += [p.message for p in check.problems]
            broken += [p.message for p in check.warnings]
            broken += [m for m in [scope.name_problem(name)] if m]
            if not scope.assigned(e.assessor_id, node.id, e.unit_id):
                broken.append(f"{e.unit_id} {node.code} 未分配给 {name}")
    assert len(entries) > 10_000
    assert broken == []


def test_one_check_refuses_a_bad_value_in_the_same_words_everywhere(db, exported) -> None:
    """The grid, an assessor's workbook and a scores workbook refuse the same value with the
    same message; each only adds where the value came from."""
    from app.services.entry.checks import check_value
    from app.services.entry.scores import import_scores
    from tests.workbooks import small_scores

    value = CellValue(deduction=Decimal("0.3"), reason="抽查发现问题")
    with db.reading() as session:
        round_ = find_round(session, ROUND)
        leaf = session.scalar(
            select(RoundNode).where(RoundNode.round_id == round_.id, RoundNode.code == "1.1.1")
        )
        [problem] = check_value(value, leaf).problems
    assert "0.5 的整数倍" in problem.message
    with pytest.raises(CellRefused) as grid_error:
        apply_changes(db, ROUND, by_ids(db, ROUND, NamedChange("市公安局", "1.1.1", "甲组", value)))
    assert str(grid_error.value) == f"市公安局：{problem.message}"
    path = exported["甲组"]
    line = row_of(path, "市公安局", "1.1.1")
    set_cell(path, f"H{line}", 0.3)
    set_cell(path, f"I{line}", "抽查发现问题")
    with pytest.raises(WorkbookError) as sheet_error:
        import_sheet(db, ROUND, path)
    assert [p.message for p in sheet_error.value.problems] == [problem.message]
    scores = small_scores(
        exported["甲组"].parent / "scores.xlsx",
        [("市公安局", "1.1.1", "甲组", 0.3, None, None, None, None, "抽查发现问题")],
    )
    with pytest.raises(WorkbookError) as scores_error:
        import_scores(db, scores, ROUND)
    assert [p.message for p in scores_error.value.problems] == [problem.message]
    assert scores_error.value.problems[0].location.column == "D"
