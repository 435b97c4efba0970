"""round create: who takes part (a category, or named units), grades per category, deadlines;
and the refusals, which write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]
FRAMEWORK = "法治政府建设指标体系"


def create(run_cli: Cli, name: str, *options: str) -> tuple[int, str, str]:
    return run_cli(
        "round", "create", "--name", name, "--framework", FRAMEWORK, "--year", "2026", *options
    )


def rounds(run_cli: Cli) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(run_cli("round", "list", "--json")[1])}


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_one_category_its_grades_and_the_deadlines(run_cli: Cli) -> None:
    code, out, err = create(
        run_cli,
        "政法部门考核",
        "--categories", "政法部门",
        "--category-grades", "政法部门=优秀:92,良好:80,合格:60,不合格:0",
        "--scoring-due", "2026-12-20",
        "--publication-due", "2027-01-10",
    )  # fmt: skip
    assert code == 0, err
    assert "12 个单位参加" in out
    made = rounds(run_cli)["政法部门考核"]
    assert made["units"] == 12
    assert made["deadlines"] == {
        "scoring": "2026-12-20",
        "objections": None,
        "publication": "2027-01-10",
    }
    assert made["category_grades"]["政法部门"][0] == ["优秀", "92"]
    ranking = json.loads(run_cli("results", "--round", "政法部门考核", "--json")[1])
    assert {u["category"] for u in ranking["units"]} == {"政法部门"}


@pytest.mark.usefixtures("demo_copy")  # the demo database, built once
def test_named_units_and_every_refusal(run_cli: Cli) -> None:
    code, out, err = create(run_cli, "两个单位", "--units", "云州市教育局、云州市民政局")
    assert code == 0 and "2 个单位参加" in out, err
    for options, message in (
        (("--units", "云州市教育局,不存在局"), "没有这些单位：不存在局"),
        (("--categories", "无此类"), "没有这些单位类别：无此类"),
        (("--scoring-due", "2026-12-20", "--objection-due", "2026-12-01"), "不能早于评分截止"),
        (("--scoring-due", "2026-13-01"), "日期“2026-13-01”无效"),
        (("--categories", "政法部门", "--category-grades", "党群部门=优秀:92"), "没有参加本批次"),
        (("--category-grades", "政法部门优秀:92"), "应写成 类别="),
    ):
        code, _, err = create(run_cli, "坏批次", *options)
        assert code == 2 and message in err, (options, err)
    assert "坏批次" not in rounds(run_cli)
