"""Issue 14 from the command line: the quota flags, surveys that are missing or excused, and
results --explain adding up to the published figure."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from tests.workbooks import write_sheet

Cli = Callable[..., tuple[int, str, str]]
FRAMEWORK = "法治政府建设指标体系"
THREE = ("云州市教育局", "云州市民政局", "云州市财政局")


def create(run_cli: Cli, name: str, *options: str) -> tuple[int, str, str]:
    return run_cli(
        "round", "create", "--name", name, "--framework", FRAMEWORK, "--year", "2026", *options
    )


def ranking(run_cli: Cli, name: str) -> dict[str, dict]:
    code, out, err = run_cli("results", "--round", name, "--json")
    assert code == 0, err
    return {u["unit"]: u for u in json.loads(out)["units"]}


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_quota_flags_are_kept_and_a_scope_without_places_is_named(run_cli: Cli) -> None:
    code, out, err = create(run_cli, "单独考核", "--units", THREE[0], "--top-quota", "0.3")
    assert code == 0, err
    assert "没有优秀名额" in out and "1 个单位" in out
    code, out, err = create(
        run_cli, "全体名额", "--units", "、".join(THREE), "--top-quota", "0.5",
        "--quota-scope", "round", "--quota-rounding", "half-up", "--quota-ties", "exclude",
    )  # fmt: skip
    assert code == 0 and "没有优秀名额" not in out, err
    made = {r["name"]: r for r in json.loads(run_cli("round", "list", "--json")[1])}
    assert made["全体名额"]["quota_scope"] == "round"
    assert made["全体名额"]["quota_rounding"] == "half-up"
    assert made["全体名额"]["quota_ties"] == "exclude"
    assert made["单独考核"]["quota_scope"] == "category"


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_a_missing_survey_is_named_never_a_zero_and_may_be_excused(
    run_cli: Cli, tmp_path: Path
) -> None:
    code, _, err = create(
        run_cli, "满意度批次", "--units", "、".join(THREE), "--satisfaction-weight", "0.2"
    )
    assert code == 0, err
    survey = write_sheet(tmp_path / "满意度.xlsx", ["单位名称", "满意度得分"], [[THREE[0], 90]])
    code, out, err = run_cli("satisfaction", "import", str(survey), "--round", "满意度批次")
    assert code == 0, err
    assert "2 个参加考核的单位仍没有满意度得分" in out
    assert THREE[1] in out and THREE[2] in out
    rows = ranking(run_cli, "满意度批次")
    assert "满意度缺失" in rows[THREE[1]]["incomplete"]  # (and 未评: nobody has scored yet)
    assert rows[THREE[1]]["final"] == rows[THREE[1]]["assessment"]  # not mixed with a 0
    assert "满意度缺失" not in rows[THREE[0]]["incomplete"]
    code, out, err = run_cli(
        "satisfaction", "exempt", "--round", "满意度批次", "--unit", THREE[1],
        "--reason", "改由履职评议考核",
    )  # fmt: skip
    assert code == 0 and "免于满意度测评" in out, err
    rows = ranking(run_cli, "满意度批次")
    assert "满意度缺失" not in rows[THREE[1]]["incomplete"]
    assert rows[THREE[1]]["satisfaction_exempt"] is True
    assert rows[THREE[1]]["final"] == rows[THREE[1]]["assessment"]
    log = json.loads(run_cli("audit", "list", "--json", "--round", "满意度批次")[1])
    assert any(r["entity"] == "满意度免测" and r["reason"] == "改由履职评议考核" for r in log)
    code, _, err = run_cli(
        "satisfaction", "exempt", "--round", "满意度批次", "--unit", THREE[2], "--reason", " "
    )
    assert code == 2 and "理由" in err
    code, _, err = run_cli(
        "satisfaction", "exempt", "--round", "满意度批次", "--unit", "不存在局", "--reason", "x"
    )
    assert code == 2 and "不存在局" in err


def test_explain_adds_up_to_the_published_final(run_cli: Cli, demo_db_file: Path, db_path) -> None:
    import shutil

    shutil.copy(demo_db_file, db_path)
    code, out, err = run_cli(
        "results", "--round", DEMO_ROUND, "--explain", "--unit", "云州市民政局"
    )
    assert code == 0, err
    data = json.loads(out)
    (unit,) = data["units"]
    published = ranking(run_cli, DEMO_ROUND)["云州市民政局"]
    assert unit["final"] == published["final"]
    full = Fraction(data["full_marks"])
    applicable = sum(
        Fraction(leaf["points"])
        for leaf in unit["leaves"]
        if leaf["status"] != "不适用" and leaf["method"] not in ("加分", "否决")
    )
    assert Fraction(unit["scale"]) == full / applicable
    earned = sum(
        Fraction(leaf["score"])
        for leaf in unit["leaves"]
        if leaf["score"] is not None and leaf["method"] not in ("加分", "否决")
    )
    assert earned * Fraction(unit["scale"]) == Fraction(unit["base"])
    assert Fraction(unit["base"]) + Fraction(unit["bonus"]) == Fraction(unit["assessment"])
    w = Fraction(unit["satisfaction_weight"])
    mixed = (1 - w) * Fraction(unit["assessment"]) + w * Fraction(unit["satisfaction"])
    assert Fraction(unit["final_exact"]) == mixed
    for leaf in unit["leaves"]:
        kept = [Fraction(a["value"]) for a in leaf["assessors"] if not a["trimmed"]]
        if kept and leaf["score"] is not None:
            assert Fraction(leaf["score"]) == sum(kept) / len(kept)
    code, _, err = run_cli("results", "--round", DEMO_ROUND, "--explain", "--unit", "无此局")
    assert code == 2 and "无此局" in err


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_rules_change_until_publication_and_each_change_is_logged(run_cli: Cli) -> None:
    code, _, err = create(run_cli, "改规则", "--units", THREE[0], "--top-quota", "0.3")
    assert code == 0, err
    code, out, err = run_cli(
        "round", "rules", "--round", "改规则", "--quota-rounding", "half-up", "--top-quota", "0.5",
        "--reason", "单独一类须有名额",
    )  # fmt: skip
    assert code == 0 and "名额取整" in out and "没有优秀名额" not in out, err
    made = {r["name"]: r for r in json.loads(run_cli("round", "list", "--json")[1])}
    assert made["改规则"]["quota_rounding"] == "half-up"
    assert made["改规则"]["top_quota"] == "0.5"
    assert made["改规则"]["quota_scope"] == "category"  # what was not given stays
    log = json.loads(run_cli("audit", "list", "--json", "--round", "改规则")[1])
    change = next(r for r in log if r["entity"] == "考核规则")
    assert change["old"]["优秀比例"] == "0.3" and change["new"]["名额取整"] == "half-up"
    assert change["reason"] == "单独一类须有名额"
    code, out, _ = run_cli("round", "rules", "--round", "改规则", "--quota-rounding", "half-up")
    assert code == 0 and "没有变化" in out
    code, _, err = run_cli("round", "rules", "--round", "改规则", "--top-quota", "1.5")
    assert code == 2 and "优秀比例" in err
    code, _, err = run_cli(
        "round", "publish", "--round", "改规则", "--override", "--reason", "测试"
    )
    assert code == 2  # not from 评分中
