"""Every 文号 once (issue 17): the numbers notices and 催办函 take, and the one a clerk types for
a 通报, all go through the register (app.models.document_numbers), so no two documents ever
carry the same number, whatever path issued them. A number the register holds is skipped by
the automatic numbering and refused, with the document that has it, when typed by hand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.models import DocumentNumber, Notice
from app.models.database import Database
from app.models.document_numbers import number_key
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Done, changes_of
from app.services.rounds.definition import find_round

REPORT = "通报"


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


def next_serial(session: Session, kind: str, year: int) -> int:
    """Notices of a kind are numbered by year after the last one issued (a 催办 letter is a
    督办函 and shares their numbers); a withdrawn number is never reused."""
    return 1 + (
        session.scalar(
            select(func.max(Notice.serial)).where(Notice.kind == kind, Notice.year == year)
        )
        or 0
    )


def new_number(session: Session, kind: str, year: int, prefix: str) -> tuple[int, str]:
    """The next serial of a kind whose 文号 no document has yet: one typed by hand for a 通报
    (or a kind sharing the prefix) is stepped over rather than given twice."""
    serial = next_serial(session, kind, year)
    while holder(session, format_number(prefix, year, serial)) is not None:
        serial += 1
    return serial, format_number(prefix, year, serial)


def holder(session: Session, number: str) -> DocumentNumber | None:
    """The document that has this 文号 (spelled any way: brackets, width, leading zeros)."""
    return session.scalar(
        select(DocumentNumber).where(DocumentNumber.number_key == number_key(number))
    )


def describe(held: DocumentNumber) -> str:
    day = held.issued_on
    return f"{day.year}年{day.month}月{day.day}日印发的{held.kind}《{held.title}》"


def register_number(
    session: Session,
    number: str,
    *,
    kind: str,
    title: str,
    issued_on: date,
    round_id: int | None,
    notice_id: int | None = None,
) -> None:
    """The number in use from now on; a number already held is refused, naming its holder."""
    held = holder(session, number)
    if held is not None:
        raise UserError(f"文号“{number}”已用于{describe(held)}，不能再用于{kind}；请换一个文号")
    session.add(
        DocumentNumber(
            number=number,
            number_key=number_key(number),
            kind=kind,
            year=issued_on.year,
            title=title,
            issued_on=issued_on,
            round_id=round_id,
            notice_id=notice_id,
        )
    )


def report_title(round_name: str) -> str:
    return f"关于{round_name}结果的通报"


def claim_report_number(
    db: Database, round_name: str, number: str, issued_on: date | None = None
) -> Done[str]:
    """The 文号 typed for a round's 通报, checked and registered before it is printed. The
    same round's 通报 printed again keeps its number; any other document's is refused."""
    require(Permission.DOCUMENTS)
    text = number.strip()
    if not text:
        return Done("")  # a 通报 without a number (the field may be left empty)
    day = issued_on or date.today()
    with db.transaction() as session:
        round_ = find_round(session, round_name)
        held = holder(session, text)
        if held is not None and held.kind == REPORT and held.round_id == round_.id:
            return Done(held.number, NOTHING)
        register_number(
            session,
            text,
            kind=REPORT,
            title=report_title(round_.name),
            issued_on=day,
            round_id=round_.id,
        )
        log_change(
            session,
            entity="文书",
            key=text,
            action="编号",
            old=None,
            new={"类型": REPORT, "批次": round_.name},
            round_id=round_.id,
        )
        return Done(text, changes_of(session))
