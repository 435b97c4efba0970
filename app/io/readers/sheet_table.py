"""Open a workbook and read the table in it: the sheet whose header names the columns (found by
sheet_header.py), its data rows with merged cells filled where a merge means "same as above",
and every value's place in the sheet; a file that is not a workbook, too big or unreadable is
refused with a message a clerk can act on.

python-calamine reads .xlsx/.xls/.ods (also .et and misnamed files: the format is sniffed from
the content) and reports merged ranges, so openpyxl is not needed for reading.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import Location, SheetIssue, WorkbookError
from app.io import cells
from app.io.readers.reading_progress import EVERY as PROGRESS_EVERY
from app.io.readers.reading_progress import advance
from app.io.readers.sheet_header import (
    HEADER_SEARCH_ROWS,
    Column,
    grid_cell,
    header_at,
    refuse_no_header,
)
from app.io.readers.xlsx_rows import count_xlsx_rows
from app.io.records import RowSource
from app.io.text_rules import CONTROL, EXCEL_CELL_LIMIT, TextRule, text_problem

# One import reads at most this many rows of a sheet (a year's scores are ~60,000 rows: 80
# units x 155 leaves x 5 assessors). A sheet with more is refused whole, never cut short;
# for .xlsx its rows are counted by streaming the sheet before it is loaded, so a
# million-row file is refused in about a second without holding it in memory.
MAX_ROWS = 200_000
# An .xlsx is a zip: a small file can unpack to gigabytes (a "zip bomb", or a damaged file).
# Real workbooks of 5,000 units or 1,000 indicators unpack to a few MB.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_LISTED_PROBLEMS = 50


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA: as Excel names columns (kept here so that reading a workbook, which
    the program does at start, does not load openpyxl and numpy)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class SheetTable:
    """The data rows under a found header, with where every value sits in the sheet."""

    file: str
    sheet: str
    header_row: int  # 1-based, the (last) header row
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (1-based row, values)
    merged_below: set[tuple[int, int]] = field(default_factory=set)  # (row, col) filled by a merge
    title: str = ""  # the sheet's title row above the header, e.g. "2025年度…考核细则"

    def value(self, values: Sequence[Any], field_name: str) -> Any:
        """The cell of a field in a row; None when blank or the column is absent."""
        index = self.columns.get(field_name)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return None if value == "" else value

    def letter(self, field_name: str) -> str | None:
        index = self.columns.get(field_name)
        return None if index is None else column_letter(index + 1)

    def source(self, row: int) -> RowSource:
        letters = {f: column_letter(i + 1) for f, i in self.columns.items()}
        return RowSource(self.file, self.sheet, row, letters)

    def at(self, row: int, field_name: str | None = None) -> Location:
        return self.source(row).at(field_name)

    def from_merge(self, row: int, field_name: str) -> bool:
        """Whether the cell's value was copied down from the top of a vertical merge."""
        index = self.columns.get(field_name)
        return index is not None and (row, index) in self.merged_below

    def data_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The rows, telling reading_progress how far the reader has got."""
        total = len(self.rows)
        advance(0, total)
        for done, item in enumerate(self.rows, start=1):
            yield item
            if done % PROGRESS_EVERY == 0:
                advance(done, total)
        advance(total, total)

    def name(
        self,
        row: int,
        values: Sequence[Any],
        field_name: str,
        rule: TextRule,
        problems: list[SheetIssue],
        read: Callable[[Any], str] = cells.name,
    ) -> str:
        """The name in a field as ``read`` tidies it; one the rule refuses (an invisible
        character, too long) is reported at its cell."""
        text = read(self.value(values, field_name))
        problem = text_problem(text, rule)
        if problem is not None:
            problems.append(SheetIssue(self.at(row, field_name), problem))
        return text


def _refuse(path: Path, message: str) -> WorkbookError:
    return WorkbookError([SheetIssue(Location(str(path)), message)])


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise _refuse(path, "文件不存在")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹，不是 Excel/WPS 工作簿")
    try:
        return path.read_bytes()
    except PermissionError:
        raise _refuse(path, "无法打开：文件正被其他程序占用，或没有读取权限") from None
    except OSError as exc:
        raise _refuse(path, f"无法打开文件（{exc.strerror or exc}）") from None


def _why_not_a_workbook(data: bytes) -> str:
    """A hint a clerk can act on for the usual impostors: web pages, CSV, encrypted files."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not data:
        return "文件是空的（0 字节），不是 Excel/WPS 工作簿"
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "文件实际是网页（HTML/XML）格式，请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
    if data.startswith(b"\xd0\xcf\x11\xe0") and b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data[:65536]:
        return "工作簿设置了打开密码，请取消密码后另存再导入"
    if not data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        return "不是 Excel/WPS 工作簿（如为 CSV 或文本文件，请用 Excel 或 WPS 另存为 .xlsx）"
    return "无法读取：文件已损坏或不是有效的 Excel/WPS 工作簿"


def _refuse_oversized_zip(path: Path, data: bytes) -> None:
    """Memory stays bounded: the sizes a zip declares are checked before anything unpacks."""
    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # zipfile raises many kinds (BadZipFile, NotImplementedError, ...)
        return  # not a readable zip: calamine's refusal names the problem
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            path,
            f"文件解压后约 {unpacked // (1024 * 1024)} MB，远超正常工作簿，可能已损坏或不安全，"
            "未导入",
        )


def _too_many_rows(path: Path, sheet: str, rows: int) -> WorkbookError:
    return WorkbookError(
        [
            SheetIssue(
                Location(str(path), sheet),
                f"工作表“{sheet}”有 {rows} 行，超过一次导入的上限 {MAX_ROWS} 行，未导入"
                "（请分成几个文件导入，或删去多余的行；如数据在其他工作表，请指定该工作表）",
            )
        ]
    )


@dataclass
class _Sheet:
    name: str
    visible: bool
    workbook: Any
    path: Path
    counted_rows: int | None = None  # .xlsx: counted before loading

    def load(self) -> tuple[list[list[Any]], list[Any]]:
        if self.counted_rows is not None and self.counted_rows > MAX_ROWS:
            raise _too_many_rows(self.path, self.name, self.counted_rows)
        sheet = self.workbook.get_sheet_by_name(self.name)
        if sheet.height > MAX_ROWS:
            raise _too_many_rows(self.path, self.name, sheet.height)
        rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        return rows, list(sheet.merged_cell_ranges or [])


def _open(path: Path) -> tuple[Any, list[_Sheet]]:
    """The workbook and its worksheets, visible ones first (in tab order), hidden ones last."""
    import python_calamine

    data = _read_bytes(path)
    _refuse_oversized_zip(path, data)
    counted = count_xlsx_rows(data)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(workbook.sheets_metadata)
    except Exception:  # calamine raises its own error types for every kind of bad file
        raise _refuse(path, _why_not_a_workbook(data)) from None
    sheets = [
        _Sheet(m.name, str(m.visible).endswith(".Visible"), workbook, path, counted.get(m.name))
        for m in metas
        if str(m.typ).endswith("WorkSheet")
    ]
    return workbook, [s for s in sheets if s.visible] + [s for s in sheets if not s.visible]


def sheet_names(path: Path) -> list[str]:
    """The workbook's worksheets in the order a user picks from: visible ones in tab order,
    then hidden ones."""
    workbook, sheets = _open(path)
    workbook.close()
    return [s.name for s in sheets]


def _fill_merged(
    rows: list[list[Any]], merged: list[Any], fill_columns: set[int], start: int
) -> set[tuple[int, int]]:
    """Copy a vertical merge's value down its first column; a horizontal span stays one cell."""
    filled: set[tuple[int, int]] = set()
    for (top, left), (bottom, _right) in merged:
        if bottom < start or top == bottom or left not in fill_columns:
            continue
        value = grid_cell(rows, top, left)
        for r in range(max(top + 1, start), min(bottom, len(rows) - 1) + 1):
            if left < len(rows[r]) and rows[r][left] == "":
                rows[r][left] = value
                filled.add((r + 1, left))
    return filled


ATTACHMENT_MARK = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?\s*")


def title_above(rows: Sequence[Sequence[Any]]) -> str:
    """The title an office puts over a table: the first row above the header that holds one
    text only (a merged title), without an "附件1：" mark before it. The header starts at the
    first row with more texts than one."""
    for values in rows:
        texts = [cells.text(v) for v in values if cells.text(v)]
        if len(texts) > 1:
            break
        if not texts:
            continue
        title = ATTACHMENT_MARK.sub("", texts[0]).strip()
        if title:
            return title
    return ""


def open_table(
    path: Path, columns: Sequence[Column], what: str, *, sheet: str | None = None
) -> SheetTable:
    """The first visible sheet (then hidden ones) whose header names every required column;
    with ``sheet`` given, only that sheet is searched."""
    workbook, sheets = _open(path)
    best: tuple[int, str, int, dict] | None = None  # (required found, sheet, row, fields)
    required = [c for c in columns if c.required]
    try:
        if sheet is not None:
            sheets = [s for s in sheets if s.name == sheet]
            if not sheets:
                raise _refuse(path, f"没有名为“{sheet}”的工作表")
        for candidate in sheets:
            try:
                rows, merged = candidate.load()
            except WorkbookError:
                raise
            except Exception:  # a broken sheet part: report it as a bad file
                raise _refuse(path, f"无法读取工作表“{candidate.name}”：文件可能已损坏") from None
            for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
                found, first_data = header_at(rows, index, columns)
                if first_data < 0:
                    score = sum(c.field in found for c in required)
                    if score and (best is None or score > best[0]):
                        best = (score, candidate.name, index + 1, found)
                    continue
                fill = {found[c.field] for c in columns if c.fill_merged and c.field in found}
                table = SheetTable(str(path), candidate.name, first_data, found)
                table.title = title_above(rows[:first_data])
                table.merged_below = _fill_merged(rows, merged, fill, first_data)
                for offset, values in enumerate(rows[first_data:]):
                    if any(cells.text(v) for v in values):
                        table.rows.append((first_data + offset + 1, values))
                _refuse_unreadable_text(table, columns)
                return table
    finally:
        workbook.close()
    refuse_no_header(path, columns, what, best, [s.name for s in sheets])


def _refuse_unreadable_text(table: SheetTable, columns: Sequence[Column]) -> None:
    """A control character (a NUL from the ``_x0000_`` escape, say) in any cell that is read
    is refused with the cell named: it must never reach the database or a writer."""
    rules = {
        index: TextRule(column.names[0], EXCEL_CELL_LIMIT, name=False)
        for column in columns
        if (index := table.columns.get(column.field)) is not None
    }
    fields = {index: field for field, index in table.columns.items()}
    problems: list[SheetIssue] = []
    for row, values in table.rows:
        for index, rule in rules.items():
            value = values[index] if index < len(values) else None
            if not isinstance(value, str):
                continue
            if CONTROL.search(value) is None and len(value) <= EXCEL_CELL_LIMIT:
                continue
            problem = text_problem(value, rule)
            if problem is not None:
                problems.append(SheetIssue(table.at(row, fields[index]), problem))
    if len(problems) > MAX_LISTED_PROBLEMS:
        more = len(problems) - MAX_LISTED_PROBLEMS
        problems = problems[:MAX_LISTED_PROBLEMS]
        problems.append(
            SheetIssue(Location(table.file, table.sheet), f"另有 {more} 处同类问题，未一一列出")
        )
    if problems:
        raise WorkbookError(problems)
