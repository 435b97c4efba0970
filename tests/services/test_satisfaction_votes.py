"""满意度 from vote counts: the weighted mean with the round's weights, the votes kept, bad
counts refused by row and column, and the results moved by exactly the new score."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.errors import WorkbookError
from app.io.readers.satisfaction_reader import votes_score
from app.models import SatisfactionResult
from app.models.opening import open_database
from app.services.entry.scores import import_satisfaction
from tests.workbooks import write_sheet

HEADER = ["单位名称", "满意", "基本满意", "不满意"]


def test_weighted_mean_is_rounded_half_up_once() -> None:
    weights = (Decimal(100), Decimal(60), Decimal(0))
    assert votes_score((2, 1, 0), weights) == Decimal("86.67")
    assert votes_score((1, 1, 0), weights) == Decimal("80.00")
    assert votes_score((7, 0, 1), weights) == Decimal("87.50")
    assert votes_score((1, 0, 7), (Decimal(100), Decimal(80), Decimal(0))) == Decimal("12.50")


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def test_votes_become_scores_and_are_kept(demo, tmp_path: Path, run_cli) -> None:
    path = write_sheet(
        tmp_path / "人大测评.xlsx",
        HEADER,
        [["云州市民政局", 40, 8, 2], ["云州市公安局", 30, 15, 5]],
        title="市人大代表满意度测评票数统计",
    )
    summary = import_satisfaction(demo, path, DEMO_ROUND, (Decimal(100), Decimal(80), Decimal(0)))
    assert summary.changed == 2
    with demo.reading() as session:
        rows = {r.unit_id: r for r in session.scalars(select(SatisfactionResult))}
    kept = [r for r in rows.values() if r.votes]
    assert sorted(r.score for r in kept) == [Decimal("84.00"), Decimal("92.80")]
    assert {r.votes["满意"] for r in kept} == {40, 30}
    assert all(r.votes["权重"] == ["100", "80", "0"] for r in kept)


def test_bad_counts_are_named_and_nothing_is_written(demo, tmp_path: Path) -> None:
    path = write_sheet(
        tmp_path / "票数.xlsx",
        HEADER,
        [["云州市民政局", 40.5, 8, 2], ["云州市公安局", 0, 0, 0], ["云州市财政局", "十", 1, 1]],
    )
    with demo.reading() as session:
        before = sorted(
            (r.unit_id, str(r.score)) for r in session.scalars(select(SatisfactionResult))
        )
    with pytest.raises(WorkbookError) as error:
        import_satisfaction(demo, path, DEMO_ROUND)
    messages = [str(p) for p in error.value.problems]
    assert any("第 2 行" in m and "B 列" in m and "非负整数" in m for m in messages)
    assert any("第 3 行" in m and "没有任何票数" in m for m in messages)
    assert any("第 4 行" in m for m in messages)
    with demo.reading() as session:
        after = sorted(
            (r.unit_id, str(r.score)) for r in session.scalars(select(SatisfactionResult))
        )
    assert after == before


def test_cli_weights(run_cli, demo_db_file: Path, db_path: Path, tmp_path: Path) -> None:
    shutil.copy(demo_db_file, db_path)
    path = write_sheet(tmp_path / "v.xlsx", HEADER, [["云州市民政局", 1, 1, 0]])
    code, _, err = run_cli(
        "satisfaction", "import", str(path), "--round", DEMO_ROUND, "--weights", "100,50"
    )
    assert code == 2 and "三个数" in err
    code, _, err = run_cli(
        "satisfaction", "import", str(path), "--round", DEMO_ROUND, "--weights", "100,50,0"
    )
    assert code == 0, err
    code, out, _ = run_cli("results", "--round", DEMO_ROUND, "--json")
    unit = next(u for u in json.loads(out)["units"] if u["unit"] == "云州市民政局")
    assert unit["satisfaction"] == "75.00"
