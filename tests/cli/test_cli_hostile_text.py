"""Names and reasons that look like formulas stay text in every workbook the program writes
(issue 15 §2: "=HYPERLINK(…)" was a live link in the 初步结果 sent to units)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.workbooks import FRAMEWORK_HEADER, SCORES_HEADER, UNITS_HEADER

Cli = Callable[..., tuple[int, str, str]]
LINK = '=HYPERLINK("http://x","y")'
SUM = "=1+1"
ROUND = "2025年度"


def text_sheet(path: Path, header: tuple[str, ...], rows: list[tuple]) -> Path:
    """A workbook whose text cells are text, as a clerk gets by typing '=1+1 in Excel."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(r, c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    workbook.save(path)
    return path


@pytest.fixture
def hostile(run_cli: Cli, tmp_path: Path) -> Cli:
    """A round whose unit, category, leaf, assessor and reasons all start with "="."""
    units = [(1, LINK, SUM, "链接"), (2, SUM, SUM, None), (3, "市司法局", "执法部门", None)]
    framework = [
        ("依法履职", "制度建设", SUM, 4, "扣分", None, LINK, None),
        (None, None, "法律顾问", 6, "扣分", None, None, None),
    ]
    scores = [
        (LINK, "1.1.1", LINK, 1, None, None, None, None, LINK),
        (SUM, "1.1.1", SUM, 2, None, None, None, None, SUM),
        ("市司法局", "1.1.2", SUM, 1, None, None, None, None, "#N/A"),
    ]
    steps = [
        ("units", "import", str(text_sheet(tmp_path / "u.xlsx", UNITS_HEADER, units))),
        (
            "framework",
            "import",
            str(text_sheet(tmp_path / "f.xlsx", FRAMEWORK_HEADER, framework)),
            "--name",
            "体系",
        ),
        ("round", "create", "--name", ROUND, "--framework", "体系", "--year", "2025"),
        ("assessor", "add", LINK),  # imports never create assessors (issue 14 §4)
        ("assessor", "add", SUM),
        ("assign", "add", "--round", ROUND, "--assessor", LINK, "--leaves", "1.1.1"),
        ("assign", "add", "--round", ROUND, "--assessor", SUM, "--leaves", "1.1"),
        (
            "scores",
            "import",
            str(text_sheet(tmp_path / "s.xlsx", SCORES_HEADER, scores)),
            "--round",
            ROUND,
        ),
        ("problems", "from-round", "--round", ROUND, "--date", "2026-01-10"),
    ]
    for step in steps:
        code, _, err = run_cli(*step)
        assert code == 0, (step, err)
    return run_cli


def cells_of(path: Path) -> list:
    workbook = load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def test_every_workbook_keeps_formula_like_text_as_text(hostile: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    exports = {
        "units": ("units", "export", "--out", str(out / "units.xlsx")),
        "framework": ("framework", "export", "体系", "--out", str(out / "framework.xlsx")),
        "results": ("results", "--round", ROUND, "--xlsx", str(out / "results.xlsx")),
        "report": ("report", "--round", ROUND, "--xlsx", str(out / "report.xlsx")),
        "prelim": ("results", "prelim", "--round", ROUND, "--out", str(out / "prelim")),
        "sheets": ("sheets", "export", "--round", ROUND, "--out", str(out / "sheets")),
        "ledger": ("problems", "export", str(out / "ledger.xlsx")),
        "ledger stats": ("problems", "stats", "--xlsx", str(out / "stats.xlsx")),
        "change log": ("audit", "export", "--out", str(out / "changes.xlsx")),
        "unit sheets": (
            "report",
            "unit-sheet",
            "--round",
            ROUND,
            "--out",
            str(out / "unit"),
            "--xlsx",
        ),
    }
    for kind, command in exports.items():
        code, _, err = hostile(*command)
        assert code == 0, (kind, err)
    written = sorted(out.rglob("*.xlsx"))
    assert len(written) == 7 + 3 + 2 + 3  # 3 units' 初步结果, 2 assessors' 评分表, 3 得分明细
    seen: set[str] = set()
    for path in written:
        for cell in cells_of(path):
            assert cell.data_type != "f", f"{path.name} {cell.coordinate}: {cell.value}"
            if isinstance(cell.value, str):
                seen.update(t for t in (LINK, SUM, "#N/A") if t in cell.value)
            if cell.value in (LINK, SUM):
                assert cell.data_type == "s"
    assert seen == {LINK, SUM, "#N/A"}
    prelim = [p for p in written if "初步结果" in p.name]
    link_unit = next(p for p in prelim if "HYPERLINK" in p.name)
    values = [c.value for c in cells_of(link_unit)]
    assert LINK in values  # the reason, exactly as written, in the workbook sent to the unit


def test_the_assessor_sheets_of_such_names_import_back(hostile: Cli, tmp_path: Path) -> None:
    code, _, err = hostile("sheets", "export", "--round", ROUND, "--out", str(tmp_path / "sh"))
    assert code == 0, err
    for path in sorted((tmp_path / "sh").glob("*.xlsx")):
        code, out, err = hostile("sheets", "import", "--round", ROUND, str(path))
        assert code == 0, (path.name, err)
        assert "0 格有变化" in out


def test_a_nul_in_a_unit_list_is_refused_and_nothing_is_written(
    run_cli: Cli, tmp_path: Path
) -> None:
    units = [(1, "市公安局", "执法部门", None), (2, "市司法局_x0000_", "执法部门", None)]
    code, _, err = run_cli(
        "units", "import", str(text_sheet(tmp_path / "名单.xlsx", UNITS_HEADER, units))
    )
    assert code == 2
    assert "名单.xlsx" in err and "工作表“Sheet" in err and "第 3 行，B 列" in err
    assert "U+0000" in err and "未写入任何数据" in err
    assert run_cli("units", "list", "--json")[1].strip() == "[]"
    code, _, err = run_cli("audit", "export", "--out", str(tmp_path / "log.xlsx"))
    assert code == 0, err


def test_an_old_database_holding_a_nul_still_exports(
    run_cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    """A name stored before the check existed: the exports show it, not fail on it."""
    import sqlite3

    units = [(1, "市公安局", "执法部门", None), (2, "市司法局", "执法部门", None)]
    assert (
        run_cli("units", "import", str(text_sheet(tmp_path / "u.xlsx", UNITS_HEADER, units)))[0]
        == 0
    )
    with sqlite3.connect(db_path) as connection:
        connection.execute("update units set name = '市司法局' || char(0) where name = '市司法局'")
    for command in (
        ("units", "export", "--out", str(tmp_path / "units.xlsx")),
        ("audit", "export", "--out", str(tmp_path / "log.xlsx")),
    ):
        code, _, err = run_cli(*command)
        assert code == 0, err
    values = [c.value for c in cells_of(tmp_path / "units.xlsx")]
    assert "市司法局\ufffd" in values


def test_names_past_their_limit_are_refused_where_they_are_typed(run_cli: Cli) -> None:
    code, _, err = run_cli("assessor", "add", "组" * 101)
    assert code == 2 and "评分人名称有 101 个字，超过上限 100 个字" in err
    code, _, err = run_cli("assessor", "add", "\u202e组一第")
    assert code == 2 and "U+202E" in err
    assert run_cli("assessor", "list", "--json")[1].strip() == "[]"


def test_file_names_made_from_names_are_safe_and_distinct(run_cli: Cli, tmp_path: Path) -> None:
    """A 100-character name (300 bytes) is within the limit but not a file name; CON, a/b
    and a:b are names Windows refuses or two names that would be one file."""
    long_name = "云州市" + "法" * 97
    names = [long_name, long_name[:-1] + "治", "CON", "甲/乙局", "甲:乙局", "甲乙局"]
    units = [(i, n, "执法部门", None) for i, n in enumerate(names, start=1)]
    framework = [("依法履职", "制度建设", "制度文件", 4, "扣分", None, None, None)]
    steps = [
        ("units", "import", str(text_sheet(tmp_path / "u.xlsx", UNITS_HEADER, units))),
        (
            "framework",
            "import",
            str(text_sheet(tmp_path / "f.xlsx", FRAMEWORK_HEADER, framework)),
            "--name",
            "体系",
        ),
        ("round", "create", "--name", ROUND, "--framework", "体系", "--year", "2025"),
        ("results", "prelim", "--round", ROUND, "--out", str(tmp_path / "prelim")),
    ]
    for step in steps:
        code, _, err = run_cli(*step)
        assert code == 0, (step, err)
    written = sorted((tmp_path / "prelim").iterdir())
    assert len(written) == len(names)
    assert len({p.name.casefold() for p in written}) == len(names)
    for path in written:
        assert len(path.name.encode("utf-8")) <= 255
        assert not any(c in path.name for c in '\\/:*?"<>|')
    assert any(p.name.startswith("2025年度-_CON-") for p in written)
