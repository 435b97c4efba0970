"""Import a unit list in two steps: a preview (what is new, what changes, which categories are
created, which known units the list no longer names) and a commit, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.errors import Location, SheetIssue, WorkbookError
from app.io.readers.sheet_table import sheet_names
from app.io.readers.units_reader import inspect_units
from app.io.records import UnitRecord
from app.io.text_rules import name_key
from app.models import RoundUnit, ScoreEntry, Unit, UnitCategory
from app.models.database import Database
from app.services.access.permissions import Permission, require
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames
from app.services.setup.framework_import import (
    ListsPreviewProblems,
    PreviewProblem,
    preview_problem,
)
from app.services.setup.units import UnitImportSummary, save_units

NEW, CHANGED, SAME = "新增", "更新", "未变"


@dataclass(frozen=True)
class UnitPreviewRow:
    record: UnitRecord
    status: str  # 新增 / 更新 / 未变
    changes: str  # e.g. "类别：政府部门 → 执法部门"


@dataclass(frozen=True)
class MissingUnit:
    """A unit in the database that the new list does not name; it is never deleted."""

    name: str
    category: str | None
    active: bool
    in_rounds: bool  # has taken part in a round (and may have scores)


@dataclass
class UnitPreview(ListsPreviewProblems):
    path: str
    rows: list[UnitPreviewRow] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    missing: list[MissingUnit] = field(default_factory=list)
    problems: list[PreviewProblem] = field(default_factory=list)
    sheet: str = ""  # the worksheet the list was read from
    sheets: list[str] = field(default_factory=list)  # every worksheet, to read another one

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.blocking

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _changes(record: UnitRecord, unit: Unit, category: str | None) -> list[str]:
    found = []
    if record.category is not None and name_key(record.category) != name_key(category or ""):
        found.append(f"类别：{category or '未分类'} → {record.category}")
    if record.short_name is not None and record.short_name != unit.short_name:
        found.append(f"简称：{unit.short_name or '无'} → {record.short_name}")
    if record.order is not None and record.order != unit.sort_order:
        found.append(f"序号：{unit.sort_order} → {record.order}")
    if not unit.active:
        found.append("恢复启用")
    return found


def preview_units(db: Database, path: str | Path, *, sheet: str | None = None) -> UnitPreview:
    """Read the list and compare it with the database; nothing is written."""
    preview = UnitPreview(str(path), sheet=sheet or "")
    try:
        records, skipped = inspect_units(Path(path), sheet=sheet)
        preview.sheets = sheet_names(Path(path))
        preview.problems += [preview_problem(p, False, passed_over=True) for p in skipped]
    except WorkbookError as error:
        preview.problems = [preview_problem(p, True) for p in error.problems]
        return preview
    if records and records[0].source.sheet:
        preview.sheet = records[0].source.sheet
    if not records:
        preview.problems.append(
            preview_problem(SheetIssue(Location(str(path)), "表中没有任何单位"), True)
        )
        return preview
    with db.reading() as session:
        rows = session.execute(
            select(Unit, UnitCategory.name).outerjoin(
                UnitCategory, Unit.category_id == UnitCategory.id
            )
        ).all()
        known_categories = StoredNames(session.scalars(select(UnitCategory.name)))
        taking_part = set(session.scalars(select(RoundUnit.unit_id).distinct()))
        taking_part |= set(session.scalars(select(ScoreEntry.unit_id).distinct()))
    existing = {unit.name: (unit, category) for unit, category in rows}
    unit_names = StoredNames(existing)
    for record in records:
        category = record.category
        if category and known_categories.find(category) is None:
            preview.new_categories.append(category)
            known_categories.add(category)
        stored = unit_names.find(record.name)
        if stored is None:
            preview.rows.append(UnitPreviewRow(record, NEW, ""))
            continue
        unit, category = existing[stored]
        changes = _changes(record, unit, category)
        status = CHANGED if changes else SAME
        preview.rows.append(UnitPreviewRow(record, status, "；".join(changes)))
    named = {name_key(record.name) for record in records}
    preview.missing = [
        MissingUnit(unit.name, category, unit.active, unit.id in taking_part)
        for name, (unit, category) in existing.items()
        if name_key(name) not in named
    ]
    return preview


def commit_units(
    db: Database, preview: UnitPreview, *, deactivate_missing: bool = False
) -> UnitImportSummary:
    """Write the previewed list in one transaction. Units the list does not name stay (their
    scores with them); with deactivate_missing they are marked 停用 instead."""
    require(Permission.MANAGE_SETUP)
    if not preview.can_import:
        problems = [
            SheetIssue(Location(preview.path, p.sheet, p.row, p.column), p.message)
            for p in preview.blocking
        ]
        raise WorkbookError(problems or [SheetIssue(Location(preview.path), "表中没有任何单位")])
    with backup_before(db, "导入考核对象前"), db.transaction() as session:
        return save_units(
            session,
            [row.record for row in preview.rows],
            source=preview.path,
            deactivate_missing=deactivate_missing,
        )


def import_units_file(
    db: Database, path: str | Path, *, deactivate_missing: bool = False
) -> UnitImportSummary:
    """Preview and commit in one go (the CLI): any blocking problem refuses the whole file."""
    preview = preview_units(db, path)
    return commit_units(db, preview, deactivate_missing=deactivate_missing)
