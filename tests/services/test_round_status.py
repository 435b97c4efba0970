"""The status flow: forward step by step, back only with a reason, who and when kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.opening import open_database
from app.services.review.round_status import change_status, status_history
from app.services.rounds.definition import list_rounds
from tests.publishing import AFTER_PUBLICITY


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_db_file, path)
    db = open_database(path)
    yield db
    db.dispose()


def status(db) -> str:
    return list_rounds(db)[0].status


def test_forward_one_step_at_a_time_back_with_a_reason(demo) -> None:
    assert status(demo) == "评分中"
    with pytest.raises(UserError, match="逐级推进"):
        change_status(demo, DEMO_ROUND, "公示中")
    change_status(demo, DEMO_ROUND, "审核中")
    change_status(demo, DEMO_ROUND, "公示中")
    with pytest.raises(UserError, match="理由"):
        change_status(demo, DEMO_ROUND, "评分中")
    change_status(demo, DEMO_ROUND, "评分中", "复核发现漏评")
    assert status(demo) == "评分中"
    steps = status_history(demo, DEMO_ROUND)
    assert [(s.old, s.new) for s in steps][-3:] == [
        ("评分中", "审核中"),
        ("审核中", "公示中"),
        ("公示中", "评分中"),
    ]
    assert steps[-1].reason == "复核发现漏评" and steps[-1].user


def test_publish_then_back_needs_reason_and_reopens(demo) -> None:
    for target in ("审核中", "公示中", "已发布"):
        change_status(demo, DEMO_ROUND, target, today=AFTER_PUBLICITY)
    assert status(demo) == "已发布"
    with pytest.raises(UserError, match="理由"):
        change_status(demo, DEMO_ROUND, "公示中")
    change_status(demo, DEMO_ROUND, "公示中", "市委要求重新公示")
    assert status(demo) == "公示中"


def test_cli_status(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("round", "status", "--round", "无此批次", "--to", "审核中")
    assert code == 2 and "无此批次" in err
