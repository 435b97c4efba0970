"""A small round built from the office's workbooks through the services, for tests that need
names of their own (a unit named "市住建局/市人防办", indicators numbered in their text): two
areas of one leaf each, every unit deducted on both, one assessor."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.models.database import Database
from app.scoring.types import Rules
from app.services.entry.assignment_admin import add_assessor
from app.services.entry.scores import import_scores
from app.services.rounds.definition import create_round
from app.services.setup.frameworks import import_framework
from app.services.setup.units import import_units
from tests.workbooks import FRAMEWORK_HEADER, SCORES_HEADER, UNITS_HEADER, write_sheet

ROUND = "2025年度考核"
FRAMEWORK = "法治建设指标"
ASSESSOR = "市司法局考核组"
SECOND_ASSESSOR = "市财政局考核组"
SMALL_UNITS = ("市司法局", "市公安局", "市财政局")  # the round of small_round_file (conftest)
AREAS = (("依法履职", "制度建设", "规范性文件"), ("依法决策", "决策程序", "公众参与"))


def build_small_round(
    db: Database,
    folder: Path,
    units: Sequence[str],
    *,
    category: str = "执法部门",
    areas: Sequence[tuple[str, str, str]] = AREAS,
    assessor: str = ASSESSOR,
    reason: str = "制度未及时更新",
    rules: Rules | None = None,
) -> None:
    """``units`` in ``category``, a framework of ``areas`` (一级, 二级, 三级 names as written),
    one point deducted from each unit on each leaf by ``assessor``; the round's ``rules`` (the
    default ones if not given)."""
    import_units(
        db,
        write_sheet(
            folder / "units.xlsx",
            UNITS_HEADER,
            [(n, name, category, None) for n, name in enumerate(units, start=1)],
        ),
    )
    rows = [(*names, 10, "扣分", "每项1", "每发现一例扣1分", None) for names in areas]
    import_framework(db, write_sheet(folder / "framework.xlsx", FRAMEWORK_HEADER, rows), FRAMEWORK)
    create_round(db, name=ROUND, framework=FRAMEWORK, year=2025, rules=rules or Rules())
    add_assessor(db, assessor)
    scores = [
        (unit, f"{area}.1.1", assessor, 1, None, None, None, None, reason)
        for unit in units
        for area in range(1, len(areas) + 1)
    ]
    import_scores(db, write_sheet(folder / "scores.xlsx", SCORES_HEADER, scores), ROUND)


def build_sheets_round(db: Database, folder: Path, units: Sequence[str]) -> None:
    """The small round with two assessors' offline sheets: ``ASSESSOR`` is assigned area 1
    and ``SECOND_ASSESSOR`` area 2, for every unit; each deducts a point from every unit but
    the last on the leaf of its area, whose cells are left to fill in (the demo's five sheets
    hold ~10,000 cells: seconds to write and read)."""
    from app.services.entry.assignments import assign

    import_units(
        db,
        write_sheet(
            folder / "units.xlsx",
            UNITS_HEADER,
            [(n, name, "执法部门", None) for n, name in enumerate(units, start=1)],
        ),
    )
    rows = [(*names, 10, "扣分", "每项1", "每发现一例扣1分", None) for names in AREAS]
    import_framework(db, write_sheet(folder / "framework.xlsx", FRAMEWORK_HEADER, rows), FRAMEWORK)
    create_round(db, name=ROUND, framework=FRAMEWORK, year=2025, rules=Rules())
    scores = []
    for area, assessor in enumerate((ASSESSOR, SECOND_ASSESSOR), start=1):
        add_assessor(db, assessor)
        assign(db, ROUND, assessor, [str(area)])
        scores += [(u, f"{area}.1.1", assessor, 1, None, None, None, None, "制度未及时更新")
                   for u in units[:-1]]  # fmt: skip
    import_scores(db, write_sheet(folder / "scores.xlsx", SCORES_HEADER, scores), ROUND)
