"""催办: one step issues a 督办函 (信函 format) to a unit for its overdue problems in the ledger,
numbered and stored like every notice, and notes the reminder on each problem. The step's parts
(wording, the problems' notes, the log) are functions of their own, the numbering and the record
are every notice's (document_numbers.new_number, notices.record_notice); issue_reminder runs
them in order around the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.io.atomic import write_atomically
from app.models import Problem, Unit
from app.models.database import Database
from app.services.access.audit import chain_head, current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.changes import NOTHING, Changes, changes_of
from app.services.ledger.problem_status import new_event
from app.services.ledger.problems import ProblemInfo, list_problems
from app.services.publishing.document_numbers import new_number
from app.services.publishing.notices import (
    SUPERVISION,
    finish_leftovers,
    publish_file,
    record_notice,
    safe_file_name,
    staged_name,
)
from app.services.publishing.office_settings import load_document_settings
from app.services.publishing.word_copies import editable_copy
from app.services.rounds.deadlines import add_months

if TYPE_CHECKING:  # for the hints only: the PDF code is imported when a letter is written
    from app.documents.official.model import Block

REPLY_MONTHS = 1


@dataclass(frozen=True)
class Reminder:
    number: str
    unit: str
    path: Path
    problems: list[str]
    reply_due: date
    changes: Changes = NOTHING  # what the write changed, for the window to refresh
    docx: Path | None = None  # the editable copy beside the PDF, when one was asked for


def _wording(overdue: list[ProblemInfo], reply_due: date, contact: str) -> list[Block]:
    """The letter's body: the overdue problems with their deadlines, and what is asked."""
    from app.documents.official.model import Block, chinese_date

    blocks = [
        Block(
            "para",
            f"经整改台账核查，你单位以下{len(overdue)}个问题已超过整改期限，尚未完成整改销号：",
        )
    ]
    for index, problem in enumerate(overdue, start=1):
        due = problem.result_due or problem.plan_due
        source = f"（{problem.notice_number}）" if problem.notice_number else ""
        blocks.append(
            Block(
                "h3",
                f"{index}.{problem.description}（问题编号{problem.number}{source}，"
                f"整改期限{chinese_date(due) if due else '未定'}，当前状态：{problem.status}）。",
            )
        )
    blocks += [
        Block(
            "para",
            f"请你单位高度重视，于{chinese_date(reply_due)}前完成整改并报送整改情况报告（附佐证"
            f"材料）；确因客观原因不能按期完成的，须书面说明理由和整改计划。逾期仍未整改的，"
            "将予以通报并在年度考核中扣分。",
        )
    ]
    if contact.strip():
        blocks.append(Block("para", contact.strip()))
    return blocks


def _note_on_problems(
    session: Session, number: str, reply_due: date, overdue: list[ProblemInfo]
) -> None:
    """The reminder in each problem's history."""
    from app.documents.official.model import chinese_date

    user = current_user()
    for problem in session.scalars(
        select(Problem).where(Problem.number.in_([p.number for p in overdue]))
    ):
        session.add(
            new_event(
                problem,
                "催办",
                f"以{number}催办，限{chinese_date(reply_due)}前整改到位",
                user=user,
            )
        )


def _log(session: Session, number: str, unit: str, overdue: list[ProblemInfo]) -> None:
    log_change(
        session,
        entity="文书",
        key=number,
        action="印发",
        old=None,
        new={"类型": "催办督办函", "单位": unit, "问题": [p.number for p in overdue]},
    )


def issue_reminder(
    db: Database, unit: str, out_dir: Path, *, today: date | None = None, docx: bool = False
) -> Reminder:
    """A 催办 督办函 listing the unit's overdue problems with their deadlines (``docx``: and
    its editable copy beside the PDF)."""
    from app.documents.official.assembly import write_documents
    from app.documents.official.model import LETTER_LAYOUT, OfficialDocument

    require(Permission.DOCUMENTS)
    day = today or date.today()
    overdue = list_problems(db, unit=unit, overdue=True, today=day)
    if not overdue:
        raise UserError(f"“{unit}”没有逾期未整改的问题，无需催办")
    settings = load_document_settings(db)
    require_verified(db, "印发催办函")  # its check code vouches for the whole state
    reply_due = add_months(day, REPLY_MONTHS)
    blocks = _wording(overdue, reply_due, settings.contact)
    out_dir.mkdir(parents=True, exist_ok=True)
    finish_leftovers(db, out_dir)
    with db.transaction() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit))
        serial, number = new_number(session, SUPERVISION, day.year, settings.supervision_prefix)
        document = OfficialDocument(
            layout=LETTER_LAYOUT,
            issuer_mark=settings.letter_mark,
            number=number,
            title=f"关于督促{unit}加快整改逾期问题的函",
            addressee=unit,
            blocks=blocks,
            signature=settings.office_name,
            issued_on=day,
            cc=settings.cc,
            check_code=chain_head(session),
        )
        path = out_dir / f"{safe_file_name(number)}-{safe_file_name(unit)}-催办函.pdf"
        staged = staged_name(path)  # under its name only once recorded (as a notice)
        write_atomically(staged, lambda t: write_documents(t, [document], document.title))
        try:
            record_notice(
                session,
                document,
                staged,
                path,
                kind=SUPERVISION,
                serial=serial,
                round_id=None,
                unit_id=unit_id,
                plan_due=None,
                result_due=reply_due,
                content=[{"问题": p.number, "描述": p.description} for p in overdue],
            )
            _note_on_problems(session, number, reply_due, overdue)
            _log(session, number, unit, overdue)
            changes = changes_of(session)
        except BaseException:
            staged.unlink(missing_ok=True)
            raise
    publish_file(staged, path)
    copy = editable_copy(path, [document], document.title) if docx else None
    return Reminder(number, unit, path, [p.number for p in overdue], reply_due, changes, copy)
