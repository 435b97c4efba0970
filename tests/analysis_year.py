"""A small year for the analyses (issue 20): 2025 scored by two assessors on every cell, one
of them a point or two stricter, and 2024 with 市国土资源局 where 2025 has 市自然资源局."""

from __future__ import annotations

from pathlib import Path

from app.io.records import RowSource, UnitRecord
from app.models.opening import open_database
from app.scoring.types import Rules
from app.services.entry.assignment_admin import add_assessor
from app.services.entry.scores import import_scores
from app.services.rounds.definition import create_round
from app.services.setup.units import save_units
from tests.small_round import FRAMEWORK, ROUND, build_small_round
from tests.workbooks import SCORES_HEADER, write_sheet

EARLIER = "2024年度考核"
OLD, NOW = "市国土资源局", "市自然资源局"
UNITS = ["市公安局", "市财政局", "市司法局", "市教育局", NOW]
STRICT = "市政法委考核组"  # deducts 1 or 2 points more than the other on every cell

__all__ = ["EARLIER", "NOW", "OLD", "ROUND", "STRICT", "UNITS", "build_analysis_year"]


def build_analysis_year(folder: Path) -> Path:
    path = folder / "year.db"
    db = open_database(path)
    build_small_round(db, folder, UNITS)
    add_assessor(db, STRICT)
    rows = [(unit, f"{area}.1.1", STRICT, 2 + n % 2, None, None, None, None, "未落实")
            for n, unit in enumerate(UNITS) for area in (1, 2)]  # fmt: skip
    import_scores(db, write_sheet(folder / "strict.xlsx", SCORES_HEADER, rows), ROUND)
    with db.transaction() as session:
        save_units(session, [UnitRecord(OLD, "执法部门", None, 9, RowSource("测试", "单位", 9))],
                   source="测试")  # fmt: skip
    create_round(db, name=EARLIER, framework=FRAMEWORK, year=2024, rules=Rules(),
                 units=[*UNITS[:-1], OLD])  # fmt: skip
    db.dispose()
    return path
