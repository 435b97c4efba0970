"""Units and categories: import the office's unit list, list what is there."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io import text_rules
from app.io.readers.units_reader import inspect_units
from app.io.records import UnitRecord
from app.io.text_rules import checked, name_key
from app.models import Unit, UnitCategory
from app.models.database import Database
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, Done, changes_of
from app.services.maintenance.backups import backup_before
from app.services.names import StoredNames, find_named


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    short_name: str | None
    category: str | None
    order: int
    active: bool


@dataclass(frozen=True)
class UnitImportSummary:
    added: int
    updated: int
    unchanged: int
    categories_added: list[str]
    deactivated: int = 0
    passed_over: tuple[str, ...] = ()  # rows that are not units (合计, 注, headings), as said
    changes: Changes = NOTHING  # what the write changed, for the window to refresh


def category_by_name(session: Session, name: str, created: list[str]) -> UnitCategory:
    """An unknown category named by a unit list is created as written (and reported back); a
    known one is found by its key."""
    name = checked(name, text_rules.CATEGORY)
    category = find_named(session, UnitCategory, name)
    if category is None:
        count = len(session.scalars(select(UnitCategory.id)).all())
        category = UnitCategory(name=name, sort_order=count + 1)
        session.add(category)
        session.flush()
        created.append(name)
    return category


def import_units(
    db: Database,
    path: str | Path,
    *,
    deactivate_missing: bool = False,
    sheet: str | None = None,
) -> UnitImportSummary:
    """Import again updates by name; a unit is never deleted by an import (units the list no
    longer names may be marked 停用 with deactivate_missing)."""
    require(Permission.MANAGE_SETUP)
    records, skipped = inspect_units(Path(path), sheet=sheet)
    with backup_before(db, "导入考核对象前"), db.transaction() as session:
        summary = save_units(
            session, records, source=str(path), deactivate_missing=deactivate_missing
        )
    return replace(summary, passed_over=tuple(str(p) for p in skipped))


def save_units(
    session: Session,
    records: list[UnitRecord],
    *,
    source: str,
    deactivate_missing: bool = False,
) -> UnitImportSummary:
    added = updated = unchanged = deactivated = 0
    created: list[str] = []
    existing = {u.name: u for u in session.scalars(select(Unit))}
    unit_names = StoredNames(existing)
    next_order = max((u.sort_order for u in existing.values()), default=0)
    categories = {c.name: c for c in session.scalars(select(UnitCategory))}
    category_names = StoredNames(categories)
    for position, record in enumerate(records, start=1):
        category = None
        if record.category:  # looked up once per category, not once per row
            category = categories.get(category_names.stored(record.category))
            if category is None:
                category = category_by_name(session, record.category, created)
                categories[category.name] = category
                category_names.add(category.name)
        unit = existing.get(unit_names.stored(record.name))
        order = record.order if record.order is not None else next_order + position
        if unit is None:
            unit = Unit(
                name=record.name,
                short_name=record.short_name,
                category_id=category.id if category else None,
                sort_order=order,
                active=True,
            )
            session.add(unit)
            existing[record.name] = unit
            unit_names.add(record.name)
            added += 1
            continue
        before = (unit.short_name, unit.category_id, unit.sort_order, unit.active)
        if record.short_name is not None:
            unit.short_name = record.short_name
        if category is not None:
            unit.category_id = category.id
        if record.order is not None:
            unit.sort_order = record.order
        unit.active = True
        if (unit.short_name, unit.category_id, unit.sort_order, unit.active) == before:
            unchanged += 1
        else:
            updated += 1
    if deactivate_missing:
        named = {name_key(record.name) for record in records}
        for unit in existing.values():
            if name_key(unit.name) not in named and unit.active:
                unit.active = False
                deactivated += 1
    log_change(
        session,
        entity="考核对象",
        key=Path(source).name,
        action="导入",
        old=None,
        new={
            "新增": added,
            "更新": updated,
            "未变": unchanged,
            "停用": deactivated,
            "新类别": created,
        },
        source=source,
    )
    return UnitImportSummary(
        added, updated, unchanged, created, deactivated, changes=changes_of(session)
    )


def list_units(db: Database, *, include_inactive: bool = True) -> list[UnitInfo]:
    with db.reading() as session:
        rows = session.execute(
            select(Unit, UnitCategory.name)
            .outerjoin(UnitCategory, Unit.category_id == UnitCategory.id)
            .order_by(Unit.sort_order, Unit.id)
        ).all()
        return [
            UnitInfo(u.id, u.name, u.short_name, category, u.sort_order, u.active)
            for u, category in rows
            if include_inactive or u.active
        ]


def list_categories(db: Database) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(select(UnitCategory.name).order_by(UnitCategory.sort_order)).all()
        )


def export_units(db: Database, path: str | Path) -> Path:
    from app.io.writers.units_writer import write_units

    rows = [
        (u.order, u.name, u.category or "", u.short_name or "", u.active) for u in list_units(db)
    ]
    return write_units(Path(path), "考核对象名单", rows)


EDITABLE = {"short_name": "简称", "category": "类别", "order": "序号", "active": "启用"}


def update_unit(db: Database, name: str, field_name: str, value: object) -> Done[UnitInfo]:
    """One edit in the 考核对象 table: short name, category (created if new), order, active.
    Rounds keep the category their units had when created, so this never moves a result."""
    from app.errors import NotFound, UserError

    require(Permission.MANAGE_SETUP)
    if field_name not in EDITABLE:
        raise UserError(f"不能修改“{field_name}”")
    with db.transaction() as session:
        unit = find_named(session, Unit, name)
        if unit is None:
            raise NotFound(f"没有考核对象“{name}”")
        created: list[str] = []
        if field_name == "short_name":
            old, new = unit.short_name, (checked(str(value), text_rules.SHORT_NAME) or None)
            unit.short_name = new
        elif field_name == "category":
            old = unit.category.name if unit.category else None
            text = str(value).strip()
            unit.category = category_by_name(session, text, created) if text else None
            new = text or None
        elif field_name == "order":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise UserError(f"序号应为整数，而不是“{value}”") from None
            old, new = unit.sort_order, number
            unit.sort_order = number
        else:
            old, new = unit.active, bool(value)
            unit.active = bool(value)
        log_change(
            session,
            entity="考核对象",
            key=name,
            action="修改",
            old={EDITABLE[field_name]: old},
            new={EDITABLE[field_name]: new},
        )
        session.flush()
        category = unit.category.name if unit.category else None
        return Done(
            UnitInfo(unit.id, unit.name, unit.short_name, category, unit.sort_order, unit.active),
            changes_of(session),
        )


def add_category(db: Database, name: str) -> Changes:
    require(Permission.MANAGE_SETUP)
    from app.errors import UserError

    name = checked(name, text_rules.CATEGORY)
    if not name:
        raise UserError("类别名称不能为空")
    with db.transaction() as session:
        known = find_named(session, UnitCategory, name)
        if known is not None:
            raise UserError(f"类别“{known.name}”已存在")
        category_by_name(session, name, [])
        log_change(session, entity="考核类别", key=name, action="新建", old=None, new=name)
        return changes_of(session)


def rename_category(db: Database, old: str, new: str) -> Changes:
    """Rounds keep the category names they were created with, so a rename moves no result;
    the indicators' 适用类别 name it by name, so those are shown to the user to update."""
    from app.errors import NotFound, UserError

    require(Permission.MANAGE_SETUP)
    new = checked(new, text_rules.CATEGORY)
    if not new:
        raise UserError("类别名称不能为空")
    with db.transaction() as session:
        category = find_named(session, UnitCategory, old)
        if category is None:
            raise NotFound(f"没有类别“{old}”")
        other = find_named(session, UnitCategory, new)
        if other is not None and other.id != category.id:  # "(" to "（" is a rename
            raise UserError(f"类别“{other.name}”已存在")
        key, category.name = name_key(category.name), new
        from app.models import FrameworkNode

        for node in session.scalars(select(FrameworkNode)):  # 适用类别 name categories
            if any(name_key(c) == key for c in node.categories):
                node.categories = [new if name_key(c) == key else c for c in node.categories]
        log_change(session, entity="考核类别", key=old, action="改名", old=old, new=new)
        return changes_of(session)


def remove_category(db: Database, name: str) -> Changes:
    """Only an empty category can go: units are never left pointing at nothing."""
    from app.errors import NotFound, UserError

    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        category = find_named(session, UnitCategory, name)
        if category is None:
            raise NotFound(f"没有类别“{name}”")
        used = session.scalars(select(Unit.name).where(Unit.category_id == category.id)).all()
        if used:
            raise UserError(
                f"类别“{name}”还有 {len(used)} 个单位（如{used[0]}），请先为它们改选类别"
            )
        session.delete(category)
        log_change(session, entity="考核类别", key=name, action="删除", old=name, new=None)
        return changes_of(session)


def move_category(db: Database, name: str, step: int) -> Changes:
    """Move a category up (-1) or down (+1) in the order lists and reports use."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        ordered = list(session.scalars(select(UnitCategory).order_by(UnitCategory.sort_order)))
        names = [c.name for c in ordered]
        if name not in names:
            return changes_of(session)
        at = names.index(name)
        to = max(0, min(len(ordered) - 1, at + step))
        ordered.insert(to, ordered.pop(at))
        for position, category in enumerate(ordered, start=1):
            category.sort_order = position
        return changes_of(session)


def category_counts(db: Database) -> list[tuple[str, int]]:
    """Each category (in order) with how many units it holds."""
    from sqlalchemy import func

    with db.reading() as session:
        rows = session.execute(
            select(UnitCategory.name, func.count(Unit.id))
            .outerjoin(Unit, Unit.category_id == UnitCategory.id)
            .group_by(UnitCategory.id)
            .order_by(UnitCategory.sort_order, UnitCategory.id)
        ).all()
        return [(name, count) for name, count in rows]
