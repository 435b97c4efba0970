"""A unit's score sheet on its own, one PDF and/or .xlsx per unit: the 通报's score sheet (every
leaf under its area's subtotal, the calculation to the final, the rounding note) for a unit
that asks how it got its figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from app.documents.numbering import without_enumeration
from app.documents.official.assembly import write_tables
from app.documents.official.model import AttachmentTable
from app.documents.textfit import round_words
from app.errors import NotFound, UserError
from app.filenames import FileNames
from app.io.atomic import write_atomically
from app.io.text_rules import name_key
from app.io.writers.score_sheet_workbook import SheetLine, write_score_sheet_workbook
from app.models.database import Database
from app.scoring.calculation import two_number
from app.services.access.audit import chain_head
from app.services.access.permissions import Permission, require
from app.services.publishing.reports import UnitSheet, score_sheets
from app.services.publishing.sheet_tables import (
    area_parts,
    average_rates,
    sheet_summary,
    sheet_table,
)


def write_unit_sheets(
    db: Database,
    round_name: str,
    folder: str | Path,
    *,
    unit: str | None = None,
    pdf: bool = True,
    xlsx: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    docx: bool = False,
) -> list[Path]:
    """Every unit's sheet (or ``unit``'s) into ``folder``, as PDF, Excel and/or an editable
    Word file (the PDF's table, from the same content); returns the files written."""
    require(Permission.DOCUMENTS)
    if not pdf and not xlsx and not docx:
        raise UserError("请选择生成 PDF、Word 和/或 Excel 得分明细")
    results, sheets = score_sheets(db, round_name)
    chosen = [s for s in sheets if unit is None or name_key(s.unit) == name_key(unit)]
    if not chosen:
        raise NotFound(f"单位“{unit}”不是考核批次“{round_name}”的考核对象")
    average = average_rates(sheets, results.area_names)  # the radar's 全部单位平均
    with db.reading() as session:
        code = chain_head(session)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names = FileNames(folder)  # two units whose names clean alike still get two files
    for done, sheet in enumerate(chosen):
        if cancelled is not None and cancelled():
            break
        title, table = _titled_table(sheet, results.area_names, average, round_name)
        parts = (round_name, sheet.unit, "得分明细")
        if docx:
            from app.documents.word.writer import write_tables_docx

            written.append(
                write_atomically(
                    names.path(*parts, suffix=".docx"),
                    partial(write_tables_docx, tables=[table], title=title, check_code=code),
                )
            )
        if pdf:
            written.append(
                write_atomically(
                    names.path(*parts, suffix=".pdf"),
                    partial(write_tables, tables=[table], title=title, check_code=code),
                )
            )
        if xlsx:
            calculation = sheet.calculation
            written.append(
                write_score_sheet_workbook(
                    names.path(*parts, suffix=".xlsx"),
                    title,
                    sheet_summary(sheet),
                    sheet_lines(sheet, results.area_names),
                    calculation.lines,
                    calculation.note,
                    code,
                )
            )
        if progress is not None:
            progress(done + 1, len(chosen))
    return written


def _titled_table(
    sheet: UnitSheet, area_names: dict[str, str], average: dict[str, float], round_name: str
) -> tuple[str, AttachmentTable]:
    title = f"{sheet.unit}{round_name}得分明细"
    table = replace(
        sheet_table(sheet, area_names, average, title=title),
        title_parts=(sheet.unit, *round_words(round_name), "得分明细"),
    )
    return title, table


def save_unit_sheet(db: Database, round_name: str, unit: str, out: Path) -> Path:
    """One unit's sheet at ``out``: a PDF, or an editable Word file when it ends in .docx
    (the same table from the same content)."""
    require(Permission.DOCUMENTS)
    results, sheets = score_sheets(db, round_name)
    sheet = next((s for s in sheets if name_key(s.unit) == name_key(unit)), None)
    if sheet is None:
        raise NotFound(f"单位“{unit}”不是考核批次“{round_name}”的考核对象")
    average = average_rates(sheets, results.area_names)
    title, table = _titled_table(sheet, results.area_names, average, round_name)
    with db.reading() as session:
        code = chain_head(session)
    if out.suffix.lower() == ".docx":
        from app.documents.word.writer import write_tables_docx

        write = partial(write_tables_docx, tables=[table], title=title, check_code=code)
    else:
        write = partial(write_tables, tables=[table], title=title, check_code=code)
    return write_atomically(out, write)


def sheet_lines(sheet: UnitSheet, area_names: dict[str, str]) -> list[SheetLine]:
    """Each area's subtotal and then its leaves, figures as printed (2 decimals)."""
    lines: list[SheetLine] = []
    for part in area_parts(sheet, area_names):
        subtotal, points = two_number(part.subtotal), two_number(part.points)
        area = without_enumeration(part.name)  # as the PDF prints it, beside a code
        lines.append(
            SheetLine("", area, f"小计（得分率 {part.rate_text}）", points, subtotal, "", "", True)
        )
        for r in part.rows:
            shown = None if r.state in ("不适用", "未评") else two_number(r.score)
            name = without_enumeration(r.name)
            lines.append(SheetLine(r.code, area, name, float(r.points), shown, r.state, r.reasons))
    return lines
