"""The status flow: forward step by step, back only with a reason, who and when kept. On a small
round (tests/conftest.py small_db): each step checks the gate, which on the demo re-hashed its
16,000-record change log every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import UserError
from app.services.review.round_status import change_status, status_history
from app.services.rounds.definition import list_rounds
from tests.publishing import AFTER_PUBLICITY
from tests.small_round import ROUND


def status(db) -> str:
    return list_rounds(db)[0].status


def test_forward_one_step_at_a_time_back_with_a_reason(small_db) -> None:
    assert status(small_db) == "评分中"
    with pytest.raises(UserError, match="逐级推进"):
        change_status(small_db, ROUND, "公示中")
    change_status(small_db, ROUND, "审核中")
    change_status(small_db, ROUND, "公示中")
    with pytest.raises(UserError, match="理由"):
        change_status(small_db, ROUND, "评分中")
    change_status(small_db, ROUND, "评分中", "复核发现漏评")
    assert status(small_db) == "评分中"
    steps = status_history(small_db, ROUND)
    assert [(s.old, s.new) for s in steps][-3:] == [
        ("评分中", "审核中"),
        ("审核中", "公示中"),
        ("公示中", "评分中"),
    ]
    assert steps[-1].reason == "复核发现漏评" and steps[-1].user


def test_publish_then_back_needs_reason_and_reopens(small_db) -> None:
    for target in ("审核中", "公示中", "已发布"):
        change_status(small_db, ROUND, target, today=AFTER_PUBLICITY)
    assert status(small_db) == "已发布"
    with pytest.raises(UserError, match="理由"):
        change_status(small_db, ROUND, "公示中")
    change_status(small_db, ROUND, "公示中", "市委要求重新公示")
    assert status(small_db) == "公示中"


def test_cli_status(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("round", "status", "--round", "无此批次", "--to", "审核中")
    assert code == 2 and "无此批次" in err
