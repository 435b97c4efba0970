"""selfassess / objection / satisfaction import-votes / results prelim from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.demo.build import DEMO_ROUND
from tests.workbooks import write_sheet

UNIT = "云州市民政局"


def test_objection_flow(run_cli, demo_db_file: Path, db_path: Path) -> None:
    shutil.copy(demo_db_file, db_path)
    code, out, err = run_cli(
        "objection", "add", "--round", DEMO_ROUND, "--unit", UNIT, "--leaf", "1.1.1",
        "--reason", "已按时公布", "--requested", "1",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run_cli(
        "objection", "add", "--round", DEMO_ROUND, "--unit", UNIT, "--leaf", "1.1.1",
        "--reason", "过高", "--requested", "99",
    )  # fmt: skip
    assert code == 2 and "申请分值 99" in err
    code, out, _ = run_cli("objection", "list", "--round", DEMO_ROUND, "--json")
    [pending] = json.loads(out)
    assert (pending["unit"], pending["leaf"], pending["status"]) == (UNIT, "1.1.1", "待复核")
    code, _, err = run_cli("objection", "review", str(pending["id"]), "--round", DEMO_ROUND)
    assert code == 2 and "--accept" in err
    code, _, err = run_cli(
        "objection", "review", str(pending["id"]), "--round", DEMO_ROUND, "--reject"
    )
    assert code == 2 and "理由" in err
    code, out, err = run_cli(
        "objection", "review", str(pending["id"]), "--round", DEMO_ROUND, "--accept",
        "--score", "1", "--reason", "材料齐全",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run_cli("objection", "list", "--round", DEMO_ROUND, "--json")
    [done] = json.loads(out)
    assert (done["status"], done["new_score"], done["decision"]) == ("已采纳", "1", "材料齐全")
    code, out, _ = run_cli("audit", "list", "--round", DEMO_ROUND, "--json")
    assert any(c["source"] == f"复核（申辩 {done['id']}）" for c in json.loads(out))


def test_selfassess_and_votes_and_prelim(run_cli, db_path: Path, tmp_path: Path) -> None:
    """On a small round whose rules mix in a survey (the demo's 80 preliminary workbooks took
    3 s)."""
    from decimal import Decimal

    from app.models.opening import open_database
    from app.scoring.types import Rules
    from tests.small_round import ROUND, build_small_round

    (tmp_path / "round").mkdir()
    db = open_database(db_path)
    rules = Rules(satisfaction_weight=Decimal("0.2"))
    build_small_round(db, tmp_path / "round", [UNIT, "云州市司法局", "云州市财政局"], rules=rules)
    db.dispose()
    sheet = write_sheet(
        tmp_path / "自评.xlsx", ["单位名称", "指标编码", "自评得分"], [[UNIT, "1.1.1", 1]]
    )
    code, out, err = run_cli("selfassess", "import", str(sheet), "--round", ROUND)
    assert code == 0 and "已导入" in out, err
    code, out, _ = run_cli("selfassess", "import", str(sheet), "--round", ROUND)
    assert "未变化" in out
    votes = write_sheet(
        tmp_path / "票.xlsx", ["单位名称", "满意", "基本满意", "不满意"], [[UNIT, 3, 1, 0]]
    )
    code, out, err = run_cli(
        "satisfaction", "import-votes", str(votes), "--round", ROUND, "--weights", "100,80,0"
    )
    assert code == 0, err
    code, out, _ = run_cli("results", "--round", ROUND, "--json")
    unit = next(u for u in json.loads(out)["units"] if u["unit"] == UNIT)
    assert unit["satisfaction"] == "95.00"  # (3*100 + 1*80) / 4
    scores = write_sheet(tmp_path / "分.xlsx", ["单位名称", "满意度得分"], [[UNIT, 90]])
    code, _, err = run_cli("satisfaction", "import-votes", str(scores), "--round", ROUND)
    assert code == 2 and "票数" in err
    code, out, err = run_cli("results", "prelim", "--round", ROUND, "--out", str(tmp_path / "p"))
    assert code == 0, err
    assert len(list((tmp_path / "p").glob("*.xlsx"))) == 3  # one per unit
