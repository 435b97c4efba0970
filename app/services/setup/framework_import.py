"""Import a 考核细则 in two steps: a preview of the tree as it will be saved, with every problem
by sheet, row and column and whether it blocks, then a commit that writes all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.errors import Location, SheetIssue, UserError, WorkbookError
from app.io.readers.framework_reader import inspect_framework
from app.io.readers.sheet_table import sheet_names
from app.io.records import FrameworkSheet, NodeRecord
from app.models import Framework, UnitCategory
from app.models.database import Database
from app.scoring.tree import leaf_count, total_points, walk
from app.services.access.permissions import Permission, require
from app.services.changes import Done, changes_of
from app.services.maintenance.backups import backup_before
from app.services.names import stored_names
from app.services.setup.frameworks import FrameworkInfo, save_framework


@dataclass(frozen=True)
class PreviewProblem:
    """One problem as the preview lists it; a blocking one must be fixed in the file."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    blocking: bool
    passed_over: bool = False  # a row that is not a record (合计, 注, a heading): said, not a fault

    @property
    def kind(self) -> str:
        return "错误" if self.blocking else "跳过" if self.passed_over else "提示"

    @property
    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"{self.column} 列")
        return "，".join(parts)

    def __str__(self) -> str:
        kind = self.kind
        return f"{kind}：{self.where}：{self.message}" if self.where else f"{kind}：{self.message}"


def preview_problem(
    problem: SheetIssue, blocking: bool, passed_over: bool = False
) -> PreviewProblem:
    at: Location = problem.location
    return PreviewProblem(at.sheet, at.row, at.column, problem.message, blocking, passed_over)


@dataclass(frozen=True)
class RuleRead:
    """A leaf whose rule was read from its 评分标准 (no 评分方式 column), for the user to check."""

    code: str
    name: str
    note: str


class ListsPreviewProblems:
    """What a preview tells apart in its ``problems``: errors to fix, and remarks."""

    problems: list[PreviewProblem]

    @property
    def blocking(self) -> list[PreviewProblem]:
        return [p for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[PreviewProblem]:
        return [p for p in self.problems if not p.blocking and not p.passed_over]


@dataclass
class FrameworkPreview(ListsPreviewProblems):
    path: str
    sheet: str
    tree: FrameworkSheet | None
    problems: list[PreviewProblem] = field(default_factory=list)
    rules: list[RuleRead] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # every worksheet, to read another one
    title: str = ""  # the sheet's title row: the name the office gave the indicator system

    @property
    def can_import(self) -> bool:
        return self.tree is not None and not self.blocking

    @property
    def roots(self) -> list[NodeRecord]:
        return self.tree.roots if self.tree else []

    @property
    def areas(self) -> int:
        return len(self.roots)

    @property
    def leaves(self) -> int:
        return leaf_count(self.roots)

    @property
    def points(self) -> Decimal:
        return total_points(self.roots)


def preview_framework(
    db: Database, path: str | Path, *, sheet: str | None = None
) -> FrameworkPreview:
    """Read the file and check it against the database; nothing is written. A file that cannot
    be read at all (no header, damaged) raises WorkbookError as before."""
    found = inspect_framework(Path(path), sheet=sheet)
    preview = FrameworkPreview(str(path), found.sheet_name, found.tree, title=found.title)
    preview.sheets = sheet_names(Path(path))
    preview.problems += [preview_problem(p, True) for p in found.problems]
    preview.problems += [preview_problem(p, False) for p in found.warnings]
    preview.problems += [preview_problem(p, False, passed_over=True) for p in found.passed_over]
    if found.tree is None:
        return preview
    with db.reading() as session:
        known = stored_names(session, UnitCategory)
    unknown: dict[str, NodeRecord] = {}
    for node in walk(found.tree.roots):
        if node.rule_note:
            preview.rules.append(RuleRead(node.code, node.name, node.rule_note))
        for category in node.categories:
            if known.find(category) is None and category not in unknown:
                unknown[category] = node
    for category, node in unknown.items():
        where = node.source.at("categories") if node.source else Location(str(path))
        message = (
            f"适用类别“{category}”还没有单位；导入后这些指标只对该类别的单位适用，"
            "请在考核对象页设置单位类别"
        )
        preview.problems.append(preview_problem(SheetIssue(where, message), False))
    return preview


def commit_framework(
    db: Database, preview: FrameworkPreview, name: str, *, replace: bool = False
) -> Done[FrameworkInfo]:
    """Save the previewed tree in one transaction; refused (nothing written) while a blocking
    problem remains. Warnings were shown in the preview, so committing accepts them."""
    require(Permission.MANAGE_SETUP)
    if preview.tree is None or preview.blocking:
        problems = [
            SheetIssue(Location(preview.path, p.sheet, p.row, p.column), p.message)
            for p in preview.blocking
        ]
        raise WorkbookError(problems or [SheetIssue(Location(preview.path), "表中没有任何指标")])
    name = name.strip()
    if not name:
        raise UserError("指标体系名称不能为空")
    with db.reading() as session:
        exists = session.scalar(select(Framework.id).where(Framework.name == name)) is not None
    if exists and not replace:
        raise UserError(f"指标体系“{name}”已存在；请换一个名称或选择覆盖")
    with backup_before(db, "导入指标体系前"), db.transaction() as session:
        framework = save_framework(
            session, name, preview.tree, replace=replace, source=preview.path
        )
        stated = preview.tree.stated_total
        if stated is not None:
            framework.description = f"满分 {stated.normalize():f} 分"
        return Done(
            FrameworkInfo(
                framework.id,
                framework.name,
                preview.areas,
                preview.leaves,
                preview.points,
                tuple((r.code, r.name, r.note) for r in preview.rules),
            ),
            changes_of(session),
        )
