"""The rectification ledger: from deductions, the status flow, verification, overdue, notices."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.database import Database
from app.models.ledger import CLOSED, IN_PROGRESS, TO_DO, TO_VERIFY
from app.models.opening import open_database
from app.services.access.state_verify import reseal_state
from app.services.ledger import problem_registration, problem_status
from app.services.ledger import problems as ledger
from app.services.ledger.statistics import statistics
from app.services.publishing.notices import RECTIFICATION, issue_notices
from app.services.review.findings import round_findings


def without_ledger(demo_db_file: Path, target: Path) -> Path:
    """The demo round as it stands before anyone opened the ledger (made once beside the
    demo file, then copied)."""
    made = demo_db_file.with_name("demo-without-ledger.db")
    if not made.exists():
        draft = demo_db_file.with_name("demo-without-ledger.draft.db")
        shutil.copy(demo_db_file, draft)
        with sqlite3.connect(draft) as connection:
            connection.execute("DELETE FROM problem_events")
            connection.execute("DELETE FROM problems")
        connection.close()
        # Deleted behind the program's back, which its check rightly reports (issue 15 §1):
        # the administrator accepts the emptied ledger, as an office would after such a change.
        database = open_database(draft)
        reseal_state(database, "测试：演示数据去掉整改台账")
        database.dispose()
        draft.replace(made)
    shutil.copy(made, target)
    return target


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Database:
    without_ledger(demo_db_file, tmp_path / "demo.db")
    database = open_database(tmp_path / "demo.db")
    yield database
    database.dispose()


def test_every_deduction_becomes_one_problem_per_unit_and_leaf_once(demo: Database) -> None:
    _, findings = round_findings(demo, DEMO_ROUND)
    expected = sum(len({f.leaf_code for f in u.findings if f.lost > 0}) for u in findings)
    created = problem_registration.create_from_round(demo, DEMO_ROUND, date(2026, 5, 6)).value
    assert created == expected > 0
    assert (
        problem_registration.create_from_round(demo, DEMO_ROUND, date(2026, 5, 7)).value == 0
    )  # idempotent
    rows = ledger.list_problems(demo)
    assert len(rows) == expected
    assert rows[0].number == "2026-0001" and rows[-1].number == f"2026-{expected:04d}"
    assert {r.status for r in rows} == {TO_DO} and {r.source for r in rows} == {"考核扣分"}


def test_a_notice_links_the_units_problems_and_sets_deadlines(
    demo: Database, tmp_path: Path
) -> None:
    problem_registration.create_from_round(demo, DEMO_ROUND, date(2026, 1, 10))
    unit = ledger.list_problems(demo)[0].unit
    issued = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=[unit], issued_on=date(2026, 1, 31)
    )
    mine = ledger.list_problems(demo, unit=unit)
    assert mine and {p.notice_number for p in mine} == {issued[0].number}
    assert {p.plan_due for p in mine} == {date(2026, 3, 31)}
    assert {p.result_due for p in mine} == {date(2026, 7, 31)}
    others = [p for p in ledger.list_problems(demo) if p.unit != unit]
    assert all(p.notice_number == "" and p.plan_due is None for p in others)


def test_status_flow_and_refusals(demo: Database) -> None:
    number = problem_registration.add_problem(
        demo,
        "云州市民政局",
        "法治督察",
        "行政复议决定未按期履行",
        plan_due=date(2026, 3, 1),
        result_due=date(2026, 6, 1),
        found_on=date(2026, 1, 5),
    ).value
    with pytest.raises(UserError, match="核验通过才能销号"):
        problem_status.set_status(demo, number, CLOSED, "整改完了")
    with pytest.raises(UserError, match="只有待核验"):
        problem_status.verify(demo, number, True, "材料齐全")
    problem_status.report_progress(demo, number, "已制定整改方案", "方案.pdf")
    assert ledger.list_problems(demo)[0].status == IN_PROGRESS
    problem_status.report_progress(demo, number, "已履行复议决定", "履行记录.pdf", done=True)
    assert ledger.list_problems(demo)[0].status == TO_VERIFY
    problem_status.verify(demo, number, False, "佐证材料不全")
    assert ledger.list_problems(demo)[0].status == IN_PROGRESS
    problem_status.report_progress(demo, number, "补充材料", "补充.pdf", done=True)
    problem_status.verify(demo, number, True, "整改到位")
    assert ledger.list_problems(demo)[0].status == CLOSED
    with pytest.raises(UserError, match="回头看"):
        problem_status.report_progress(demo, number, "再次报告")
    problem_status.look_back(demo, number, "年底回头看")
    assert ledger.list_problems(demo)[0].status == TO_VERIFY
    kinds = [e.kind for e in ledger.history(demo, number)]
    assert kinds == ["登记", "进展", "进展", "核验退回", "进展", "核验通过", "回头看"]
    with pytest.raises(UserError, match="来源"):
        problem_registration.add_problem(demo, "云州市民政局", "传闻", "x")
    with pytest.raises(UserError, match="没有考核对象"):
        problem_registration.add_problem(demo, "不存在的局", "其他", "x")


def test_overdue_follows_the_date_not_a_stored_flag(demo: Database) -> None:
    number = problem_registration.add_problem(
        demo,
        "云州市民政局",
        "人大审议意见",
        "未按要求报送",
        plan_due=date(2026, 3, 1),
        result_due=date(2026, 6, 1),
        found_on=date(2026, 1, 5),
    ).value
    assert not ledger.list_problems(demo, overdue=True, today=date(2026, 3, 1))
    assert ledger.list_problems(demo, overdue=True, today=date(2026, 3, 2))  # plan late
    problem_status.report_progress(demo, number, "已启动整改")
    assert not ledger.list_problems(demo, overdue=True, today=date(2026, 3, 2))
    assert ledger.list_problems(demo, overdue=True, today=date(2026, 6, 2))  # result late
    assert ledger.list_problems(demo, due_within=14, today=date(2026, 5, 20))
    assert not ledger.list_problems(demo, due_within=14, today=date(2026, 5, 10))


def test_statistics_count_found_closed_and_rate(demo: Database) -> None:
    first = problem_registration.add_problem(demo, "云州市民政局", "执法监督", "问题一").value
    problem_registration.add_problem(demo, "云州市公安局", "投诉举报", "问题二")
    problem_status.report_progress(demo, first, "完成", done=True)
    problem_status.verify(demo, first, True, "通过")
    stats = statistics(demo)
    assert (stats.found, stats.closed) == (2, 1) and stats.rate == 0.5
    assert stats.by_source == {"执法监督": 1, "投诉举报": 1}
    assert stats.by_unit["云州市民政局"] == (1, 1)


def test_reminder_letter_for_a_units_overdue_problems(demo: Database, tmp_path: Path) -> None:
    import pdfplumber

    from app.services.publishing.notice_register import list_notices
    from app.services.publishing.reminders import issue_reminder

    late = problem_registration.add_problem(
        demo,
        "云州市民政局",
        "法治督察",
        "行政复议决定未按期履行",
        plan_due=date(2026, 3, 1),
        result_due=date(2026, 6, 1),
        found_on=date(2026, 1, 5),
    ).value
    problem_registration.add_problem(
        demo, "云州市民政局", "其他", "尚未到期的问题", result_due=date(2027, 1, 1)
    )
    with pytest.raises(UserError, match="无需催办"):
        issue_reminder(demo, "云州市公安局", tmp_path, today=date(2026, 6, 2))
    sent = issue_reminder(demo, "云州市民政局", tmp_path, today=date(2026, 6, 2))
    assert sent.problems == [late] and sent.reply_due == date(2026, 7, 2)
    with pdfplumber.open(sent.path) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")
    assert "行政复议决定未按期履行" in text and late in text and "尚未到期" not in text
    assert [n.kind for n in list_notices(demo)] == ["督办函"]
    assert ledger.history(demo, late)[-1].kind == "催办"
