"""Issue 17: the ledger and the notices that cover its problems, in either order. Seen: 15
整改通知书 issued before `problems from-round` left all 1,775 generated problems without a 文号
and without deadlines, so none could ever be overdue; and a later 督办函 listed a problem
already 销号."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models import Notice, Problem, ProblemEvent
from app.models.database import Database
from app.models.opening import open_database
from app.services.ledger import problem_registration, problem_status
from app.services.ledger import problems as ledger
from app.services.publishing.notice_copies import listed_problems
from app.services.publishing.notices import RECTIFICATION, SUPERVISION, issue_notices
from app.services.review.findings import round_findings
from tests.services.test_ledger import without_ledger

ISSUED_ON = date(2026, 1, 31)
FOUND_ON = date(2026, 1, 10)


def fresh(demo_db_file: Path, path: Path) -> Database:
    return open_database(without_ledger(demo_db_file, path))


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    database = fresh(demo_db_file, tmp_path / "demo.db")
    yield database
    database.dispose()


@pytest.fixture
def small(small_db: Database) -> Database:
    """A small round of three units, each with two deductions, no ledger yet."""
    return small_db


def units_with_findings(db: Database, n: int, round_name: str = DEMO_ROUND) -> list[str]:
    return [f.unit for f in round_findings(db, round_name)[1] if f.findings][:n]


def ledger_as_seen(db: Database) -> list[tuple[object, ...]]:
    """Everything a clerk reads in the ledger but the problem's running number (given in the
    order the problems were registered). Each problem's history (the kinds of its steps, in
    the order ``ledger.history`` gives them) is read in one query: one per problem took 10 s."""
    with db.reading() as session:
        steps = session.execute(
            select(Problem.number, ProblemEvent.kind)
            .join(ProblemEvent, ProblemEvent.problem_id == Problem.id)
            .order_by(ProblemEvent.id)
        )
        kinds: dict[str, list[str]] = defaultdict(list)
        for number, kind in steps:
            kinds[number].append(kind)
    return sorted(
        (
            p.unit,
            p.source_ref,
            p.description,
            p.notice_number,
            p.plan_due,
            p.result_due,
            p.status,
            tuple(kinds[p.number]),
        )
        for p in ledger.list_problems(db)
    )


def test_either_order_gives_the_same_ledger_with_numbers_and_deadlines(
    demo_db_file: Path, tmp_path: Path
) -> None:
    registered_first = fresh(demo_db_file, tmp_path / "a.db")
    issued_first = fresh(demo_db_file, tmp_path / "b.db")
    try:
        chosen = units_with_findings(registered_first, 3)
        problem_registration.create_from_round(registered_first, DEMO_ROUND, FOUND_ON)
        issue_notices(
            registered_first, DEMO_ROUND, RECTIFICATION, tmp_path / "a", units=chosen,
            issued_on=ISSUED_ON,
        )  # fmt: skip

        issued = issue_notices(
            issued_first, DEMO_ROUND, RECTIFICATION, tmp_path / "b", units=chosen,
            issued_on=ISSUED_ON,
        )  # fmt: skip
        # Issuing registered the units' problems: the notice's number and deadlines are on them.
        mine = ledger.list_problems(issued_first)
        assert mine and {p.unit for p in mine} == set(chosen)
        assert {p.notice_number for p in mine} == {n.number for n in issued}
        assert {(p.plan_due, p.result_due) for p in mine} == {
            (date(2026, 3, 31), date(2026, 7, 31))
        }
        # Registering the round afterwards links the notice already issued to each new problem
        # of those units (and adds the other units' problems, unlinked).
        added = problem_registration.create_from_round(issued_first, DEMO_ROUND, FOUND_ON).value
        assert added == len(ledger.list_problems(registered_first)) - len(mine)

        assert ledger_as_seen(issued_first) == ledger_as_seen(registered_first)
        late = ledger.list_problems(issued_first, overdue=True, today=date(2026, 8, 1))
        assert {p.unit for p in late} == set(chosen)  # deadlines that can be missed
    finally:
        registered_first.dispose()
        issued_first.dispose()


def test_notices_issued_before_the_ledger_existed_are_linked_when_it_is_made(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database of the report: notices issued by a program that did not register their
    problems, then `problems from-round`. Each new problem takes the first notice to its unit
    for the round that is still in force, with that notice's deadlines."""
    import app.services.publishing.notices as notices_service
    from app.services.publishing.notice_register import withdraw_notice

    monkeypatch.setattr(notices_service, "register_findings", lambda *a: [], raising=False)
    withdrawn_to, covered, other = units_with_findings(demo, 3)
    (withdrawn,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=[withdrawn_to], issued_on=ISSUED_ON
    )
    withdraw_notice(demo, withdrawn.number, "单位名称有误")
    (notice,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=[covered], issued_on=ISSUED_ON
    )
    issue_notices(  # a later 督办函 to the same unit: the 整改通知书 came first
        demo, DEMO_ROUND, SUPERVISION, tmp_path, units=[covered], issued_on=date(2026, 3, 5)
    )
    assert ledger.list_problems(demo) == []
    monkeypatch.undo()

    problem_registration.create_from_round(demo, DEMO_ROUND, FOUND_ON)
    mine = ledger.list_problems(demo, unit=covered)
    assert mine and {p.notice_number for p in mine} == {notice.number}
    assert {(p.plan_due, p.result_due) for p in mine} == {(notice.plan_due, notice.result_due)}
    assert all(ledger.history(demo, p.number)[-1].kind == "通知" for p in mine)
    assert ledger.list_problems(demo, unit=covered, overdue=True, today=date(2026, 8, 1))
    for unit in (withdrawn_to, other):  # a withdrawn notice covers nothing; no notice, nothing
        assert {(p.notice_number, p.result_due) for p in ledger.list_problems(demo, unit=unit)} == {
            ("", None)
        }


def test_making_the_ledger_again_mends_the_one_an_earlier_program_left_unlinked(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported database itself: notices issued, then every problem registered without a
    文号 or deadline. Running `problems from-round` again adds none and links them."""
    import app.services.ledger.problem_registration as registration
    import app.services.publishing.notices as notices_service

    monkeypatch.setattr(notices_service, "register_findings", lambda *a: [], raising=False)
    unit = units_with_findings(demo, 1)[0]
    (notice,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=[unit], issued_on=ISSUED_ON
    )
    monkeypatch.setattr(registration, "link_to_issued_notices", lambda *a: 0, raising=False)
    problem_registration.create_from_round(demo, DEMO_ROUND, FOUND_ON)
    assert {p.notice_number for p in ledger.list_problems(demo, unit=unit)} == {""}
    monkeypatch.undo()

    assert problem_registration.create_from_round(demo, DEMO_ROUND, FOUND_ON).value == 0
    mine = ledger.list_problems(demo, unit=unit)
    assert {(p.notice_number, p.plan_due, p.result_due) for p in mine} == {
        (notice.number, notice.plan_due, notice.result_due)
    }
    late = ledger.list_problems(demo, overdue=True, today=date(2026, 8, 1))
    assert {p.unit for p in late} == {unit}


def test_a_later_notice_lists_only_the_problems_still_open(demo: Database, tmp_path: Path) -> None:
    problem_registration.create_from_round(demo, DEMO_ROUND, FOUND_ON)
    by_unit: dict[str, list[ledger.ProblemInfo]] = {}
    for problem in ledger.list_problems(demo):
        by_unit.setdefault(problem.unit, []).append(problem)
    unit, problems = next((u, ps) for u, ps in by_unit.items() if len(ps) >= 2)
    closed, still_open = problems[0], problems[1:]
    problem_status.report_progress(demo, closed.number, "已整改", "佐证.pdf", done=True)
    problem_status.verify(demo, closed.number, True, "整改到位")

    (letter,) = issue_notices(
        demo, DEMO_ROUND, SUPERVISION, tmp_path, units=[unit], issued_on=ISSUED_ON
    )
    with demo.reading() as session:
        content = session.scalar(select(Notice.content).where(Notice.number == letter.number))
    listed = {item["指标"] for item in listed_problems(content)}
    code_of = {p.number: p.source_ref.split()[1] for p in problems}
    assert code_of[closed.number] not in listed
    assert {code_of[p.number] for p in still_open} <= listed
    # The closed problem keeps what it had; the open ones are the letter's.
    after = {p.number: p for p in ledger.list_problems(demo, unit=unit)}
    assert after[closed.number].notice_number == "" and after[closed.number].status == "已销号"


def test_a_unit_with_every_problem_closed_is_not_sent_a_notice(
    small: Database, tmp_path: Path
) -> None:
    """On a small round: a letter to every unit deducted is three PDFs, not the demo's 79."""
    from tests.small_round import ROUND

    problem_registration.create_from_round(small, ROUND, FOUND_ON)
    unit = units_with_findings(small, 1, ROUND)[0]
    for problem in ledger.list_problems(small, unit=unit):
        problem_status.report_progress(small, problem.number, "已整改", done=True)
        problem_status.verify(small, problem.number, True, "整改到位")
    with pytest.raises(UserError, match=f"均已销号.*{unit}"):
        issue_notices(small, ROUND, SUPERVISION, tmp_path, units=[unit])
    issued = issue_notices(
        small, ROUND, SUPERVISION, tmp_path, selection="deducted", issued_on=ISSUED_ON
    )
    assert unit not in {n.unit for n in issued} and issued


def test_a_reminder_lists_only_overdue_problems_still_open(demo: Database, tmp_path: Path) -> None:
    from app.services.publishing.reminders import issue_reminder

    numbers = [
        problem_registration.add_problem(
            demo, "云州市民政局", "法治督察", text, result_due=date(2026, 6, 1)
        ).value
        for text in ("问题甲", "问题乙")
    ]
    problem_status.report_progress(demo, numbers[0], "已整改", done=True)
    problem_status.verify(demo, numbers[0], True, "整改到位")
    sent = issue_reminder(demo, "云州市民政局", tmp_path, today=date(2026, 6, 2))
    assert sent.problems == [numbers[1]]
