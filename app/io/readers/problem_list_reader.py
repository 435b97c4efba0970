"""Read an office's own 整改台账 (a problem list kept by hand: 序号, 问题来源, 问题描述, 责任单位,
整改措施, 整改时限, 整改进展, 状态) so that its problems enter the ledger. Dates come as Excel
dates or as text ("2026-06-30", "2026.6.30", "2026年6月30日", "2026年6月" = the month's end);
"长期坚持" and the like mean no deadline."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.row_kinds import is_note_row, is_total_row
from app.io.readers.sheet_header import Column
from app.io.readers.sheet_table import open_table
from app.io.records import RowSource
from app.models.enums import ProblemStatus

LIST_COLUMNS = (
    Column("description", ("问题描述", "存在问题", "问题内容", "问题", "发现问题"), required=True),
    Column("unit", ("责任单位", "整改单位", "整改责任单位", "单位", "被督察单位"), required=True),
    Column("source", ("问题来源", "来源", "发现渠道")),
    Column("measures", ("整改措施", "整改举措", "措施")),
    Column("due", ("整改时限", "整改期限", "完成时限", "完成期限", "完成时间", "时限")),
    Column("progress", ("整改进展", "整改情况", "进展情况", "完成情况")),
    Column("status", ("状态", "整改状态", "是否完成", "销号情况")),
    Column("person", ("责任人", "联系人")),
    Column("co_units", ("配合单位", "协办单位")),
    Column("found_on", ("发现时间", "发现日期", "交办时间", "交办日期")),
)
NO_DEADLINE = ("长期坚持", "长期", "持续推进", "持续整改", "立行立改", "常态化")
STATUS_WORDS = {
    "已销号": ProblemStatus.CLOSED,
    "销号": ProblemStatus.CLOSED,
    "已完成": ProblemStatus.TO_VERIFY,
    "完成": ProblemStatus.TO_VERIFY,
    "已整改": ProblemStatus.TO_VERIFY,
    "整改完成": ProblemStatus.TO_VERIFY,
    "基本完成": ProblemStatus.IN_PROGRESS,
    "整改中": ProblemStatus.IN_PROGRESS,
    "正在整改": ProblemStatus.IN_PROGRESS,
    "推进中": ProblemStatus.IN_PROGRESS,
    "未完成": ProblemStatus.TO_DO,
    "未整改": ProblemStatus.TO_DO,
    "待整改": ProblemStatus.TO_DO,
    "待核验": ProblemStatus.TO_VERIFY,
}
SOURCE_WORDS = (
    ("考核", "考核扣分"),
    ("督察", "法治督察"),
    ("人大", "人大审议意见"),
    ("执法监督", "执法监督"),
    ("投诉", "投诉举报"),
    ("举报", "投诉举报"),
    ("信访", "投诉举报"),
)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月(?:底|末)?)?$")


@dataclass(frozen=True)
class ListedProblem:
    description: str
    unit: str
    source: str  # one of the ledger's sources
    source_text: str  # as the office wrote it
    measures: str
    due: date | None
    progress: str
    status: str  # the ledger's status it maps to
    person: str
    co_units: str
    found_on: date | None
    origin: RowSource


def day(value: Any) -> date | None:
    """A date cell as offices fill it; raises cells.CellError with what was found."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cells.text(value)
    if not text or any(word in text for word in NO_DEADLINE):
        return None
    found = _DATE.match(text)
    if found is None:
        raise cells.CellError(f"“{text}”不是日期（应如 2026-06-30 或 2026年6月30日）")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise cells.CellError(f"“{text}”中的月份无效")
    last = monthrange(year, month)[1]
    dom = int(found.group(3)) if found.group(3) else last  # "2026年6月": by the month's end
    if not 1 <= dom <= last:
        raise cells.CellError(f"“{text}”中的日期无效")
    return date(year, month, dom)


def source_of(text: str) -> str:
    return next((source for word, source in SOURCE_WORDS if word in text), "其他")


def status_of(text: str) -> str | None:
    """The ledger status an office's word means; blank is 待整改, an unknown word is None."""
    if not text:
        return "待整改"
    return STATUS_WORDS.get(text.replace(" ", ""))


def read_problem_list(path: Path, *, sheet: str | None = None) -> list[ListedProblem]:
    """Every problem row; all unreadable cells are named before anything is used."""
    table = open_table(path, LIST_COLUMNS, "整改台账（问题清单）", sheet=sheet)
    found: list[ListedProblem] = []
    problems: list[SheetIssue] = []
    for row, values in table.data_rows():
        if is_total_row(values) or is_note_row(values):
            continue
        description = cells.plain(table.value(values, "description"))
        unit = cells.name(table.value(values, "unit"))
        if not description and not unit:
            continue
        if not description:
            problems.append(SheetIssue(table.at(row, "description"), "问题描述为空"))
            continue
        if not unit:
            problems.append(SheetIssue(table.at(row, "unit"), "责任单位为空"))
            continue
        dates: dict[str, date | None] = {}
        for field in ("due", "found_on"):
            try:
                dates[field] = day(table.value(values, field))
            except cells.CellError as exc:
                problems.append(SheetIssue(table.at(row, field), str(exc)))
        status_text = cells.text(table.value(values, "status"))
        status = status_of(status_text)
        if status is None:
            problems.append(
                SheetIssue(
                    table.at(row, "status"),
                    f"状态“{status_text}”无法识别（可写：未整改、整改中、已完成、已销号）",
                )
            )
        if len(dates) < 2 or status is None:
            continue
        source_text = cells.plain(table.value(values, "source"))
        found.append(
            ListedProblem(
                description,
                unit,
                source_of(source_text),
                source_text,
                cells.plain(table.value(values, "measures")),
                dates["due"],
                cells.plain(table.value(values, "progress")),
                status,
                cells.name(table.value(values, "person")),
                cells.plain(table.value(values, "co_units")),
                dates["found_on"],
                table.source(row),
            )
        )
    if problems:
        raise WorkbookError(problems)
    return found
