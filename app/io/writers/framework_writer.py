"""Write an indicator tree back to a 考核细则 workbook in the layout offices use (and that
read_framework reads): level columns with merged cells, stated points, a 合计 row."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from app.io.atomic import write_atomically
from app.io.writers.printing import print_a4_landscape
from app.io.writers.sheet_writing import append, put

LEVEL_HEADERS = ("一级指标", "二级指标", "三级指标", "四级指标")
TAIL_HEADERS = (
    "分值",
    "编码",
    "评分方式",
    "评分参数",
    "评分标准",
    "考核内容",
    "考核方式",
    "牵头单位",
    "适用类别",
)
WIDTHS = {
    "一级指标": 18,
    "二级指标": 20,
    "三级指标": 28,
    "四级指标": 24,
    "分值": 7,
    "编码": 9,
    "评分方式": 8,
    "评分参数": 16,
    "评分标准": 40,
    "考核内容": 24,
    "考核方式": 12,
    "牵头单位": 14,
    "适用类别": 14,
}
THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")


class TreeLike(Protocol):
    code: str
    name: str
    points: Decimal
    method: Any
    parameters: str
    standard: str
    content: str
    assessment_method: str
    lead_department: str
    categories: Any

    @property
    def children(self) -> Sequence[Any]: ...


def _depth(nodes: Sequence[TreeLike]) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _number(value: Decimal) -> int | float:
    """Whole numbers as integers, others as the float Excel will show by shortest form."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def _leaves(nodes: Sequence[TreeLike], path: tuple[TreeLike, ...] = ()) -> list[tuple]:
    rows = []
    for node in nodes:
        if node.children:
            rows += _leaves(node.children, (*path, node))
        else:
            rows.append((*path, node))
    return rows


def write_framework(path: Path, title: str, roots: Sequence[TreeLike]) -> Path:
    depth = max(1, min(4, _depth(roots)))
    headers = [*LEVEL_HEADERS[:depth], *TAIL_HEADERS]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "考核细则"
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    first_row = 3
    spans: dict[int, tuple[int, int, int]] = {}  # id(node) -> (level, first row, last row)
    for offset, chain in enumerate(_leaves(roots)):
        row = first_row + offset
        leaf = chain[-1]
        values: list[Any] = [None] * len(headers)
        for level, node in enumerate(chain):
            label = node.name
            if node is not leaf:
                label = f"{node.name}（{node.points.normalize():f}分）"
                start = spans.get(id(node), (level, row, row))[1]
                spans[id(node)] = (level, start, row)
            values[level] = label
        values[depth:] = [
            _number(leaf.points),
            leaf.code,
            str(leaf.method),
            leaf.parameters,
            leaf.standard,
            leaf.content,
            leaf.assessment_method,
            leaf.lead_department,
            "、".join(leaf.categories),
        ]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value if value != "" else None)
            cell.border = BORDER
            cell.alignment = WRAP
    last = first_row + len(_leaves(roots)) - 1
    for level, start, end in spans.values():
        if end > start:
            sheet.merge_cells(
                start_row=start, start_column=level + 1, end_row=end, end_column=level + 1
            )
    total = sum(
        (r.points for r in roots if r.children or str(r.method) not in ("加分", "否决")), Decimal(0)
    )
    put(sheet, last + 1, 1, "合计").border = BORDER
    put(sheet, last + 1, depth + 1, _number(total)).border = BORDER
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[header]
    sheet.freeze_panes = sheet.cell(3, depth + 1)
    print_a4_landscape(sheet, "2:2")
    return write_atomically(path, workbook.save)
