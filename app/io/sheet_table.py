"""Find the table in a workbook as offices lay it out: the sheet and row that hold the header,
columns by their (synonym) names, merged cells filled where a merge means "same as above"."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from app.io import cells
from app.io.errors import Location, Problem, WorkbookError
from app.io.records import RowSource

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    """A field of a record and the header texts that name it (the first is the official one)."""

    field: str
    names: tuple[str, ...]
    required: bool = False
    fill_merged: bool = False  # a vertical merge means every row below has this value


@dataclass
class SheetTable:
    file: str
    sheet: str
    header_row: int  # 1-based, the (last) header row
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (1-based row, values)

    def value(self, values: Sequence[Any], field_name: str) -> Any:
        index = self.columns.get(field_name)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return None if value == "" else value

    def source(self, row: int) -> RowSource:
        letters = {f: get_column_letter(i + 1) for f, i in self.columns.items()}
        return RowSource(self.file, self.sheet, row, letters)

    def at(self, row: int, field_name: str) -> Location:
        return self.source(row).at(field_name)

    def data_rows(self) -> Iterator[tuple[int, list[Any]]]:
        yield from self.rows


def _load(path: Path) -> list[tuple[str, bool, list[list[Any]], list[Any]]]:
    """(sheet name, visible, rows, merged ranges) for every worksheet of an .xlsx/.xls/.ods."""
    import python_calamine

    if not path.exists():
        raise WorkbookError([Problem(Location(str(path)), "文件不存在")])
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise WorkbookError(
            [Problem(Location(str(path)), f"无法读取：不是有效的 Excel/WPS 工作簿（{exc}）")]
        ) from None
    sheets = []
    try:
        for meta in workbook.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)[:MAX_ROWS]
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append((meta.name, "Visible" in str(meta.visible), rows, merged))
    except Exception as exc:
        raise WorkbookError([Problem(Location(str(path)), f"无法读取工作表（{exc}）")]) from None
    finally:
        workbook.close()
    return sheets


def _match(text: str, columns: Sequence[Column]) -> str | None:
    key = cells.header(text)
    if not key:
        return None
    for column in columns:
        if key in (cells.header(n) for n in column.names):
            return column.field
    return None


def _header_at(
    rows: list[list[Any]], index: int, columns: Sequence[Column]
) -> tuple[dict[str, int], int] | None:
    """Columns found at a header row (or a two-row header whose top cells are merged)."""
    for depth in (1, 2):
        if index + depth > len(rows):
            return None
        found: dict[str, int] = {}
        width = max(len(rows[index + d]) for d in range(depth))
        for col in range(width):
            texts = [
                rows[index + d][col] if col < len(rows[index + d]) else "" for d in range(depth)
            ]
            # The lower cell names the column; the upper one does when the lower is blank.
            for candidate in reversed(texts):
                fieldname = _match(cells.text(candidate), columns)
                if fieldname and fieldname not in found:
                    found[fieldname] = col
                    break
        if all(c.field in found for c in columns if c.required):
            return found, index + depth
    return None


def _fill_merged(
    rows: list[list[Any]], merged: list[Any], fill_columns: set[int], start: int
) -> None:
    for (top, left), (bottom, right) in merged:
        if bottom < start or top == bottom:
            continue
        if not any(left <= c <= right for c in fill_columns):
            continue
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(max(top, start), min(bottom, len(rows) - 1) + 1):
            for c in range(left, right + 1):
                if c in fill_columns and c < len(rows[r]):
                    rows[r][c] = value


def open_table(path: Path, columns: Sequence[Column], what: str) -> SheetTable:
    """The first visible sheet (then hidden ones) whose header names every required column."""
    sheets = _load(path)
    ordered = [s for s in sheets if s[1]] + [s for s in sheets if not s[1]]
    for name, _visible, rows, merged in ordered:
        for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
            found = _header_at(rows, index, columns)
            if found is None:
                continue
            mapping, first_data = found
            fill = {mapping[c.field] for c in columns if c.fill_merged and c.field in mapping}
            _fill_merged(rows, merged, fill, first_data)
            table = SheetTable(str(path), name, first_data, mapping)
            for offset, values in enumerate(rows[first_data:]):
                if any(cells.text(v) for v in values):
                    table.rows.append((first_data + offset + 1, list(values)))
            return table
    required = "、".join(c.names[0] for c in columns if c.required)
    raise WorkbookError(
        [
            Problem(
                Location(str(path)),
                f"没有找到{what}表头：任何工作表的前 {HEADER_SEARCH_ROWS} 行都没有同时包含"
                f"列“{required}”",
            )
        ]
    )


def is_total_row(values: Sequence[Any]) -> bool:
    """合计/总计/小计 rows at the end of an office's table carry no record."""
    first = [cells.header(v) for v in values if cells.text(v)]
    return bool(first) and first[0] in {"合计", "总计", "小计", "总分", "合计分值"}


def columns_by_field(columns: Sequence[Column]) -> Mapping[str, Column]:
    return {c.field: c for c in columns}
