"""Which rows of an office's table carry no record: 合计/小计/平均 lines, notes and sign-off
lines under the table, and single-cell group headings. Every reader asks the same questions,
so the patterns live once here, apart from finding the header and reading the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from app.io import cells

_TOTAL = re.compile(r"^(合计|总计|小计|总分|共计|平均|平均分|平均值)($|[:(\d])")
_NOTE = re.compile(  # the word must end in a colon: "负责人履行…职责" is an indicator
    r"^(注\d*[:.、]|注$|填(表|报)说明|(备注|说明|填表人|填报人|制表人|制表单位|制表日期|"
    r"填表日期|填报日期|联系人|联系电话|审核人|审核|负责人|单位负责人):)"
)


def _first_text(values: Sequence[Any]) -> str:
    return next((cells.header(v) for v in values if cells.text(v)), "")


def is_total_row(values: Sequence[Any]) -> bool:
    """合计/总计/小计/平均 rows (often at the end of an office's table) carry no record; the word
    must stand alone ("合计", "合计：80个"), so "平均办理时限" is still an indicator."""
    return bool(_TOTAL.match(_first_text(values)))


def is_note_row(values: Sequence[Any]) -> bool:
    """注：…, 填表说明, 填报人/联系电话 lines under a table carry no record."""
    return bool(_NOTE.match(_first_text(values)))


def only_text(values: Sequence[Any]) -> str | None:
    """The text of a row that holds a single non-blank cell (a group heading), else None; as
    written, since a heading may name a category."""
    texts = [cells.plain(v) for v in values if cells.plain(v)]
    return texts[0] if len(texts) == 1 else None
