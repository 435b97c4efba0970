"""Read a 考核细则 workbook into an indicator tree: levels in columns, one row per leaf."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.io import cells
from app.io.errors import Location, Problem, WorkbookError
from app.io.records import FrameworkSheet, NodeRecord, RowSource
from app.io.sheet_table import Column, SheetTable, is_total_row, open_table
from app.io.tiers import TierError, parse_tiers
from app.scoring.types import Method

LEVEL_FIELDS = ("level1", "level2", "level3", "level4")
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")
FRAMEWORK_COLUMNS = (
    Column("level1", ("一级指标", "一级", "考核项目", "考核领域"), required=True, fill_merged=True),
    Column("level2", ("二级指标", "二级", "考核内容（二级）"), fill_merged=True),
    Column("level3", ("三级指标", "三级", "三级指标（考核内容）", "考核要点"), fill_merged=True),
    Column("level4", ("四级指标", "四级", "评分要点")),
    Column("points", ("分值", "分数", "标准分", "权重分", "分值（分）"), required=True),
    Column("code", ("编码", "指标编码", "指标代码")),
    Column("method", ("评分方式", "计分方式", "评分方法")),
    Column("parameters", ("评分参数", "计分参数")),
    Column("standard", ("评分标准", "考核标准", "评分细则", "扣分标准")),
    Column("content", ("考核内容", "工作内容", "指标内容")),
    Column("assessment_method", ("考核方式", "考核方法", "评价方式")),
    Column(
        "lead_department",
        ("牵头单位", "评分单位", "责任单位", "牵头(评分)单位", "评分责任单位", "牵头部门"),
    ),
    Column("categories", ("适用类别", "适用单位类别", "适用范围", "适用对象")),
)
METHOD_WORDS = {
    "扣分": Method.DEDUCT,
    "扣分制": Method.DEDUCT,
    "": Method.DEDUCT,
    "得分": Method.SCORE,
    "评分": Method.SCORE,
    "打分": Method.SCORE,
    "是否": Method.YES_NO,
    "是/否": Method.YES_NO,
    "是否制": Method.YES_NO,
    "分档": Method.TIER,
    "分档计分": Method.TIER,
    "按比例": Method.TIER,
    "加分": Method.BONUS,
    "加分项": Method.BONUS,
    "否决": Method.VETO,
    "一票否决": Method.VETO,
}
STATED_POINTS = re.compile(r"\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")


def split_stated_points(name: str) -> tuple[str, Decimal | None]:
    """ "依法全面履行政府职能（20分）" -> ("依法全面履行政府职能", 20)."""
    match = STATED_POINTS.search(name)
    if not match:
        return name, None
    return name[: match.start()].strip(), Decimal(match.group(1))


def counts(node: NodeRecord) -> bool:
    """Bonus and veto leaves stand outside the full marks."""
    return bool(node.children) or node.method not in (Method.BONUS, Method.VETO)


class _Builder:
    def __init__(self, table: SheetTable) -> None:
        self.table = table
        self.roots: list[NodeRecord] = []
        self.by_path: dict[tuple[str, ...], NodeRecord] = {}
        self.leaves: set[tuple[str, ...]] = set()
        self.stated: dict[int, tuple[Decimal, RowSource, str]] = {}  # id(node) -> stated points
        self.problems: list[Problem] = []
        self.levels = [f for f in LEVEL_FIELDS if f in table.columns]

    def problem(self, row: int, field: str | None, message: str) -> None:
        self.problems.append(
            Problem(
                self.table.at(row, field)
                if field
                else Location(self.table.file, self.table.sheet, row),
                message,
            )
        )

    def node_for(self, path: tuple[str, ...], row: int, field: str) -> NodeRecord:
        existing = self.by_path.get(path)
        if existing is not None:
            return existing
        siblings = self.roots if len(path) == 1 else self.by_path[path[:-1]].children
        parent_code = "" if len(path) == 1 else self.by_path[path[:-1]].code + "."
        name, stated = split_stated_points(path[-1])
        node = NodeRecord(
            code=f"{parent_code}{len(siblings) + 1}",
            name=name,
            level=len(path),
            points=None,
            source=self.table.source(row),
        )
        if stated is not None:
            self.stated[id(node)] = (stated, node.source, field)  # type: ignore[assignment]
        if len(path) > 1 and path[:-1] in self.leaves:
            self.problem(row, field, f"“{path[-2]}”已作为末级指标出现，不能再有下级")
        siblings.append(node)
        self.by_path[path] = node
        return node

    def add_row(self, row: int, values: list[Any], previous: list[str]) -> list[str]:
        names = [cells.label(self.table.value(values, f)) for f in self.levels]
        deepest = max((i for i, n in enumerate(names) if n), default=-1)
        if deepest < 0:
            if cells.text(self.table.value(values, "points")):
                self.problem(row, self.levels[0], "该行有分值但没有指标名称")
            return previous
        path: list[str] = []
        for i in range(deepest + 1):
            if names[i]:
                path.append(names[i])
            elif i < len(previous) and path == previous[:i]:
                path.append(previous[i])  # a blank (or merged) cell repeats the one above
            else:
                self.problem(row, self.levels[i], f"{LEVEL_NAMES[i]}为空，无法确定该指标的上级")
                return previous
        key = tuple(path)
        if key in self.by_path:
            self.problem(row, self.levels[deepest], f"指标“{path[-1]}”在同一上级下重复")
            return path
        for depth in range(1, len(key) + 1):
            node = self.node_for(key[:depth], row, self.levels[depth - 1])
        self.leaves.add(key)
        self.fill_leaf(node, row, values)
        return path

    def fill_leaf(self, node: NodeRecord, row: int, values: list[Any]) -> None:
        table = self.table
        try:
            points = cells.decimal(table.value(values, "points"))
        except cells.CellError as exc:
            self.problem(row, "points", f"分值{exc}")
            points = None
        else:
            if points is None:
                self.problem(row, "points", f"末级指标“{node.name}”缺少分值")
            elif points < 0:
                self.problem(row, "points", f"分值不能为负数：{points}")
        if id(node) in self.stated and points is None:
            points = self.stated.pop(id(node))[0]
        node.points = points
        method_text = cells.header(table.value(values, "method"))
        method = METHOD_WORDS.get(method_text)
        if method is None:
            known = "、".join(m.value for m in Method)
            self.problem(row, "method", f"评分方式“{method_text}”无法识别（可用：{known}）")
            method = Method.DEDUCT
        node.method = method
        node.parameters = cells.plain(table.value(values, "parameters"))
        if method is Method.TIER:
            try:
                node.tiers = parse_tiers(node.parameters)
            except TierError as exc:
                self.problem(row, "parameters", f"分档参数{exc}")
        node.standard = cells.plain(table.value(values, "standard"))
        node.content = cells.plain(table.value(values, "content"))
        node.assessment_method = cells.plain(table.value(values, "assessment_method"))
        node.lead_department = cells.label(table.value(values, "lead_department"))
        node.categories = cells.category_list(table.value(values, "categories"))
        code = cells.text(table.value(values, "code"))
        if code:
            node.code = code

    def settle_points(self, nodes: list[NodeRecord]) -> Decimal:
        """Parents get the sum of their counted children; a stated figure must agree."""
        total = Decimal(0)
        for node in nodes:
            if node.children:
                node.points = self.settle_points(node.children)
                stated = self.stated.get(id(node))
                if stated is not None and stated[0] != node.points:
                    value, source, field = stated
                    self.problems.append(
                        Problem(
                            source.at(field),
                            f"指标“{node.name}”标明 {value} 分，但下级合计为 {node.points} 分",
                        )
                    )
            if counts(node):
                total += node.points or Decimal(0)
        return total

    def check_codes(self) -> None:
        seen: dict[str, NodeRecord] = {}
        stack = list(self.roots)
        while stack:
            node = stack.pop()
            if node.code in seen and node.source is not None:
                self.problems.append(Problem(node.source.at("code"), f"编码“{node.code}”重复"))
            seen[node.code] = node
            stack.extend(node.children)


def read_framework(path: Path) -> FrameworkSheet:
    table = open_table(path, FRAMEWORK_COLUMNS, "指标体系（考核细则）")
    builder = _Builder(table)
    previous: list[str] = []
    stated_total: Decimal | None = None
    total_row = 0
    for row, values in table.data_rows():
        if is_total_row(values):
            try:
                stated_total = cells.decimal(table.value(values, "points"))
                total_row = row
            except cells.CellError as exc:
                builder.problem(row, "points", f"合计分值{exc}")
            continue
        previous = builder.add_row(row, values, previous)
    if not builder.roots and not builder.problems:
        builder.problems.append(Problem(Location(str(path), table.sheet), "表中没有任何指标"))
    total = builder.settle_points(builder.roots)
    if stated_total is not None and stated_total != total:
        builder.problem(
            total_row, "points", f"合计标明 {stated_total} 分，但各指标合计为 {total} 分"
        )
    builder.check_codes()
    if builder.problems:
        raise WorkbookError(builder.problems)
    return FrameworkSheet(builder.roots, stated_total)
