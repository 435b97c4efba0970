"""Two clerks on one cell (issue 18): a change made against a value that is no longer there is
refused, naming who changed the cell, when and to what (the change log's last record of it),
instead of the later write silently replacing the earlier one.

The check compares the value the writer saw with the stored one inside the writing
transaction; writers go one at a time (app.models.database: BEGIN IMMEDIATE on SQLite, the
server's write lock), so nothing can change between the check and the write. A row version
would not do here: a cell's rows are replaced on every write and an emptied cell has none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChangeLog
from app.services.access.audit import describe_value
from app.services.entry.cell_changes import UNSEEN, CellChange
from app.services.entry.cells import CellValue
from app.timefmt import local_time


@dataclass(frozen=True)
class Conflict:
    stored: CellValue | None
    message: str


def _same(a: CellValue | None, b: CellValue | None) -> bool:
    """Equal cells; a cell of several rows joins their reasons in no fixed order."""
    if a is None or b is None:
        return a is b
    return a._replace(reason=_reasons(a)) == b._replace(reason=_reasons(b))


def _reasons(value: CellValue) -> str:
    return "；".join(sorted(value.reason.split("；")))


def conflicts(
    session: Session,
    round_id: int,
    changes: Sequence[tuple[int, CellChange, str]],
    stored: dict[tuple[int, int, int], CellValue | None],
) -> dict[int, Conflict]:
    """The changes (index, change, the cell's change-log key) whose cell no longer holds what
    the writer saw, by index, each with what it holds and who put it there."""
    found: dict[int, Conflict] = {}
    for index, change, key in changes:
        if change.seen is UNSEEN:
            continue
        now = stored.get((change.unit_id, change.leaf_id, change.assessor_id))
        if _same(now, change.seen):
            continue
        found[index] = Conflict(now, _who_changed(session, round_id, key, now))
    return found


def _who_changed(session: Session, round_id: int, key: str, now: CellValue | None) -> str:
    record = session.scalar(
        select(ChangeLog)
        .where(ChangeLog.round_id == round_id, ChangeLog.entity == "评分")
        .where(ChangeLog.entity_key == key)
        .order_by(ChangeLog.id.desc())
        .limit(1)
    )
    cell = key.replace("/", " ", 1).rsplit("/", 1)[0]  # unit and leaf; the assessor is known
    if record is None:
        return f"单元格 {cell} 已被他人修改，未写入；已显示最新值"
    what = describe_value(record.new) if now is not None else "（清空）"
    return (
        f"单元格 {cell} 已被 {record.user} 于 {local_time(record.at):%m-%d %H:%M:%S} "
        f"改为 {what}，未写入；已显示最新值"
    )
