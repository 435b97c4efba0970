"""The deadline a round's present stage runs to, as the home page shows it."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserError
from app.scoring.types import Rules
from app.services.rounds.definition import Deadlines, RoundInfo, stage_deadline

DATES = Deadlines(date(2026, 12, 20), date(2026, 12, 31), date(2027, 1, 10))


def info(status: str, deadlines: Deadlines = DATES) -> RoundInfo:
    return RoundInfo(1, "R", 2026, "F", status, 80, Rules(), deadlines)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("评分中", date(2026, 12, 15), ("评分截止 2026-12-20（还有 5 天）", False)),
        ("评分中", date(2026, 12, 20), ("评分截止 2026-12-20（今天）", False)),
        ("评分中", date(2026, 12, 22), ("评分截止 2026-12-20（已过 2 天）", True)),
        ("审核中", date(2026, 12, 22), ("申辩截止 2026-12-31（还有 9 天）", False)),
        ("公示中", date(2027, 1, 11), ("公示截止 2027-01-10（已过 1 天）", True)),
        ("已发布", date(2027, 1, 11), ("", False)),
    ],
)
def test_the_present_stage_decides_which_date(status, today, expected) -> None:
    assert stage_deadline(info(status), today) == expected


def test_no_date_set_shows_nothing() -> None:
    assert stage_deadline(info("评分中", Deadlines()), date(2026, 1, 1)) == ("", False)


def test_dates_must_follow_each_other() -> None:
    with pytest.raises(UserError, match="公示截止（2026-12-01）不能早于评分截止"):
        Deadlines(date(2026, 12, 20), None, date(2026, 12, 1)).check()
