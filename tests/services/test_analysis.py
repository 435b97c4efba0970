"""Analyses on the demo year (issue 20): compared with an earlier round that had a renamed and
two merged units and a reordered tree; robustness and assessor figures against the results."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from app.demo.build import DEMO_ROUND, DEMO_RULES, _value
from app.demo.content import DEMO_UNITS, law_government_framework
from app.io.records import NodeRecord, RowSource, UnitRecord
from app.models import Assessor, RoundNode, RoundUnit, ScoreEntry, Unit
from app.models.database import Database
from app.models.opening import open_database
from app.scoring.analysis.matching import MERGED, NEW, RENAMED, SAME, UNIT, Link
from app.scoring.analysis.robustness import RobustnessOptions
from app.services.analysis.assessors import assessors_json, round_assessors
from app.services.analysis.compare import compare_with, comparison_json, round_figures
from app.services.analysis.export import export_comparison, export_robustness
from app.services.analysis.robustness import robustness_json, round_robustness
from app.services.review.results import compute_round_results, results_json
from app.services.rounds.definition import create_round
from app.services.setup.frameworks import save_framework
from app.services.setup.units import save_units

EARLIER = "2024年度法治政府建设考核"
OLD_FRAMEWORK = "2024年法治政府建设指标体系"
RENAMED_UNIT = ("云州市国土资源局", "云州市自然资源和规划局")
MERGED_UNITS = (("云州市文化局", "云州市旅游局"), "云州市文化广电旅游局")
GONE_UNIT = "云州市机构编制委员会办公室"
NEW_UNIT = DEMO_UNITS[-1][0]  # not assessed in 2024


def _recode(node: NodeRecord, old: str, new: str) -> None:
    node.code = new + node.code.removeprefix(old)
    for child in node.children:
        _recode(child, old, new)


def add_earlier_round(db: Database, seed: int = 2024) -> None:
    """2024: the first two areas in the other order (codes follow), area 5 by another name,
    the old units in place of the renamed and merged ones; scores written straight in."""
    sheet = law_government_framework()
    first, second = sheet.roots[0], sheet.roots[1]
    _recode(first, "1", "2")
    _recode(second, "2", "1")
    sheet.roots[0], sheet.roots[1] = second, first
    sheet.roots[4].name = "法治政府建设组织保障（2024年）"
    old_units = [RENAMED_UNIT[0], *MERGED_UNITS[0], GONE_UNIT]
    with db.transaction() as session:
        save_units(
            session,
            [UnitRecord(name, "行政执法部门", name, 900 + n, RowSource("测试", "单位", n))
             for n, name in enumerate(old_units)],
            source="测试",
        )  # fmt: skip
        save_framework(session, OLD_FRAMEWORK, sheet, source="测试")
    taking_part = [name for name, _, _ in DEMO_UNITS[:-1]]
    taking_part = [n for n in taking_part if n not in (RENAMED_UNIT[1], MERGED_UNITS[1])]
    create_round(
        db, name=EARLIER, framework=OLD_FRAMEWORK, year=2024, rules=DEMO_RULES,
        units=[*taking_part, *old_units],
    )  # fmt: skip
    rng = random.Random(seed)
    with db.transaction() as session:
        round_id = session.scalar(select(RoundNode.round_id).where(RoundNode.code == "1.1.1")
                                  .order_by(RoundNode.round_id.desc()).limit(1))  # fmt: skip
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_id)))
        parents = {n.parent_id for n in nodes}
        leaves = [n for n in nodes if n.id not in parents and n.method not in ("加分", "否决")]
        assessor = session.scalar(select(Assessor.id).order_by(Assessor.id).limit(1))
        rows = []
        for unit_id in session.scalars(select(RoundUnit.unit_id).where(
                RoundUnit.round_id == round_id)):  # fmt: skip
            strength = rng.random()
            for leaf in leaves:
                value = _value(rng, leaf, strength)
                rows.append({"round_id": round_id, "unit_id": unit_id, "node_id": leaf.id,
                             "assessor_id": assessor, **value})  # fmt: skip
        session.execute(insert(ScoreEntry), rows)


@pytest.fixture(scope="module")
def two_years(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    path = tmp_path_factory.mktemp("years") / "two-years.db"
    shutil.copy(demo_db_file, path)
    database = open_database(path)
    add_earlier_round(database)
    database.dispose()
    return path


@pytest.fixture
def years_db(two_years: Path, tmp_path: Path) -> Database:
    import shutil

    path = tmp_path / "years.db"
    shutil.copy(two_years, path)
    database = open_database(path)
    yield database
    database.dispose()


LINKS = [
    Link(UNIT, EARLIER, RENAMED_UNIT[0], RENAMED_UNIT[1]),
    *(Link(UNIT, EARLIER, old, MERGED_UNITS[1]) for old in MERGED_UNITS[0]),
]


def test_year_on_year_matches_renamed_and_merged_units_and_a_reordered_tree(
    years_db: Database,
) -> None:
    c = compare_with(years_db, DEMO_ROUND, [EARLIER], LINKS)
    before = {u.unit: u for u in round_figures(years_db, EARLIER).units}
    now = {u.unit: u for u in round_figures(years_db, DEMO_ROUND).units}
    assert c.rounds == [EARLIER, DEMO_ROUND]
    rows = {u.unit: u for u in c.units}
    assert len(rows) == len(DEMO_UNITS)
    renamed = rows[RENAMED_UNIT[1]]
    assert renamed.matches[0].how == RENAMED
    assert renamed.final == [before[RENAMED_UNIT[0]].final, now[RENAMED_UNIT[1]].final]
    assert renamed.rank_change == before[RENAMED_UNIT[0]].rank - now[RENAMED_UNIT[1]].rank
    merged = rows[MERGED_UNITS[1]]
    assert merged.matches[0].how == MERGED and merged.rank[0] is None
    assert merged.final[0] == sum(before[n].final for n in MERGED_UNITS[0]) / 2
    assert rows[NEW_UNIT].matches[0].how == NEW and rows[NEW_UNIT].final[0] is None
    plain = next(u for u in c.units if u.matches[0].how == SAME)
    # area 1 of 2025 was area 2 in 2024: matched by its name, not its code
    assert plain.rates["1"][0] == before[plain.unit].rates["2"]
    assert plain.rates["2"][0] == before[plain.unit].rates["1"]
    missing = c.unmatched[EARLIER]
    assert missing.units_new == [NEW_UNIT] and missing.units_gone == [GONE_UNIT]
    assert missing.areas.how == {"1": "名称", "2": "名称", "3": "编码与名称",
                                 "4": "编码与名称", "5": "编码"}  # fmt: skip
    data = comparison_json(c)
    published = results_json(compute_round_results(years_db, DEMO_ROUND))
    assert [u["final"][-1] for u in data["units"]] == [u["final"] for u in published["units"]]
    assert [u["rank"][-1] for u in data["units"]] == [u["rank"] for u in published["units"]]
    assert data["sentences"] and data["unmatched"][EARLIER]["units_gone"] == [GONE_UNIT]


def test_without_the_links_nothing_is_dropped(years_db: Database, tmp_path: Path) -> None:
    c = compare_with(years_db, DEMO_ROUND, [EARLIER])
    missing = c.unmatched[EARLIER]
    assert set(missing.units_new) == {NEW_UNIT, RENAMED_UNIT[1], MERGED_UNITS[1]}
    assert set(missing.units_gone) == {RENAMED_UNIT[0], *MERGED_UNITS[0], GONE_UNIT}
    book = load_workbook(export_comparison(c, tmp_path / "比较.xlsx"))
    assert book.sheetnames == ["说明", "各单位", "各一级指标得分率", "未能对应"]
    assert book["各单位"].max_row == 2 + len(DEMO_UNITS)


def test_robustness_on_the_demo_starts_from_the_published_ranks(
    demo_copy: Path, tmp_path: Path
) -> None:
    db = open_database(demo_copy)
    try:
        inputs, result = round_robustness(db, DEMO_ROUND, RobustnessOptions(runs=100))
        data = robustness_json(inputs, result)
        published = results_json(compute_round_results(db, DEMO_ROUND))
        assert data["model_agrees"] is True
        assert [(u["unit"], u["rank"], u["grade"], u["bottom"]) for u in data["units"]] == [
            (u["unit"], u["rank"], u["grade"], u["bottom"]) for u in published["units"]
        ]
        assert set(data["left_out"]) == {"1", "2", "3", "4", "5"}
        book = load_workbook(export_robustness(inputs, result, tmp_path / "稳健性.xlsx"))
        assert book["各单位"].max_row == 2 + len(DEMO_UNITS)
        assessors = assessors_json(*round_assessors(db, DEMO_ROUND))
        assert {a["assessor"] for a in assessors["assessors"]} == set(
            db_assessors(db)
        )  # the demo's panel: every group scores area 3
        assert set(assessors["alpha"]["areas"]) == {"3"}
        assert assessors["alpha"]["overall"] is not None
    finally:
        db.dispose()


def db_assessors(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Assessor.name).join(Unit, isouter=True,
                                    onclause=Assessor.unit_id == Unit.id)))  # fmt: skip
