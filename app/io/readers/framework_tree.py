"""Build the indicator tree of a 考核细则 sheet row by row and check it once every row is seen.

One job apart from reading the sheet (framework_reader.py): where a row goes (a blank or merged
level cell repeats the one above, a leaf that gets children becomes a heading), what a leaf's
cells say (method, points, parameters, code), and whether the points add up and codes are unique.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.errors import Location, SheetIssue
from app.io import cells
from app.io.readers.sheet_table import SheetTable
from app.io.records import NodeRecord
from app.io.rule_text import recognise
from app.io.text_rules import CATEGORY, CODE, NODE, name_key, text_problem
from app.io.tiers import TierError, parse_tiers
from app.scoring.types import Method

LEVEL_FIELDS = ("level1", "level2", "level3", "level4")
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")
METHOD_WORDS = {
    "": Method.DEDUCT,
    "扣分": Method.DEDUCT,
    "扣分制": Method.DEDUCT,
    "扣分项": Method.DEDUCT,
    "得分": Method.SCORE,
    "评分": Method.SCORE,
    "打分": Method.SCORE,
    "得分项": Method.SCORE,
    "是否": Method.YES_NO,
    "是/否": Method.YES_NO,
    "是否制": Method.YES_NO,
    "是否项": Method.YES_NO,
    "分档": Method.TIER,
    "分档计分": Method.TIER,
    "按比例": Method.TIER,
    "加分": Method.BONUS,
    "加分项": Method.BONUS,
    "附加分": Method.BONUS,
    "否决": Method.VETO,
    "一票否决": Method.VETO,
    "否决项": Method.VETO,
}
STATED_POINTS = re.compile(r"\s*[（(]\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分\s*[）)]\s*$")
TEXT_FIELDS = ("standard", "content", "assessment_method")


def split_stated_points(name: str) -> tuple[str, Decimal | None]:
    """ "依法全面履行政府职能（20分）" -> ("依法全面履行政府职能", 20)."""
    match = STATED_POINTS.search(name)
    if not match or not name[: match.start()].strip():
        return name, None
    number = unicodedata.normalize("NFKC", match.group(1))
    return name[: match.start()].strip(), Decimal(number)


def counts(node: NodeRecord) -> bool:
    """Bonus and veto leaves stand outside the full marks (and outside a parent's sum)."""
    return bool(node.children) or node.method not in (Method.BONUS, Method.VETO)


@dataclass
class _Rows:
    """The sheet row of a leaf, plus rows continuing it under a vertically merged name."""

    row: int
    values: list[Any]
    more: list[list[Any]] = field(default_factory=list)


@dataclass
class _Stated:
    points: Decimal
    where: Location


class TreeBuilder:
    """Builds the tree row by row; leaves are validated once every row has been seen, because a
    row that looks like a leaf may turn out to be a heading (its children follow)."""

    def __init__(self, table: SheetTable) -> None:
        self.table = table
        self.roots: list[NodeRecord] = []
        self.by_path: dict[tuple[str, ...], NodeRecord] = {}  # by the names' keys
        self.first_row: dict[int, int] = {}  # id(node) -> the row that introduced it
        self.leaf_rows: dict[int, _Rows] = {}  # id(node) -> its rows, while it is a leaf
        self.stated: dict[int, _Stated] = {}
        self.explicit_codes: set[int] = set()
        self.unsure: set[int] = set()  # leaves whose points could not be read
        self.problems: list[SheetIssue] = []
        # Stated figures that disagree with the rows: the rows' sums are what gets imported,
        # so these do not block an import the user confirms (a plain read refuses them).
        self.warnings: list[SheetIssue] = []
        self.levels = [f for f in LEVEL_FIELDS if f in table.columns]

    def problem(self, row: int, field_name: str | None, message: str) -> None:
        self.problems.append(SheetIssue(self.table.at(row, field_name), message))

    def state(self, node: NodeRecord, points: Decimal, where: Location) -> None:
        known = self.stated.get(id(node))
        if known is None:
            self.stated[id(node)] = _Stated(points, where)
        elif known.points != points:
            self.warnings.append(
                SheetIssue(
                    where,
                    f"指标“{node.name}”标明 {points} 分，与第 {known.where.row} 行"
                    f"标明的 {known.points} 分不一致",
                )
            )

    def add_row(self, row: int, values: list[Any], previous: list[str]) -> list[str]:
        """Place one row in the tree; returns the path later blank cells repeat."""
        written = [cells.name(self.table.value(values, f)) for f in self.levels]
        split = [split_stated_points(n) for n in written]
        names = [n for n, _ in split]
        refused = False
        for field_name, name in zip(self.levels, names, strict=True):
            problem = text_problem(name, NODE)
            if problem is not None:
                self.problem(row, field_name, problem)
                refused = True
        if refused:
            return previous
        deepest = max((i for i, n in enumerate(names) if n), default=-1)
        if deepest < 0:
            if cells.text(self.table.value(values, "points")):
                self.problem(row, self.levels[0], "该行有分值但没有指标名称")
            return previous
        path: list[str] = []
        for i in range(deepest + 1):
            if names[i]:
                path.append(names[i])
            elif i < len(previous) and list(map(name_key, path)) == list(
                map(name_key, previous[:i])
            ):
                path.append(previous[i])  # a blank (or merged) cell repeats the one above
            else:
                self.problem(row, self.levels[i], f"{LEVEL_NAMES[i]}为空，无法确定该指标的上级")
                return previous
        key = tuple(name_key(n) for n in path)  # "制度(文件)" repeats "制度（文件）"
        for depth in range(1, len(key)):
            known = self.by_path.get(key[:depth])
            if known is not None and key[:depth] != tuple(map(name_key, previous[:depth])):
                self.problem(
                    row,
                    self.levels[depth - 1],
                    f"指标“{path[depth - 1]}”在同一上级下重复（第 {self.first_row[id(known)]} 行"
                    "已有）；同一指标的各行应连续排列",
                )
                return previous
        if key in self.by_path:
            return self.repeated(row, values, path, deepest)
        node = self.place(row, path)
        for depth, (_name, stated) in enumerate(split[: deepest + 1]):
            if stated is not None:
                target = self.by_path[key[: depth + 1]]
                self.state(target, stated, self.table.at(row, self.levels[depth]))
        self.leaf_rows[id(node)] = _Rows(row, values)
        return path

    def repeated(self, row: int, values: list[Any], path: list[str], deepest: int) -> list:
        """The same leaf again: a continuation under a merged name, or a duplicate."""
        node = self.by_path[tuple(map(name_key, path))]
        rows = self.leaf_rows.get(id(node))
        level_field = self.levels[deepest]
        continuing = rows is not None and self.table.from_merge(row, level_field)
        if continuing and rows and not cells.text(self.table.value(values, "points")):
            rows.more.append(values)
            return path
        self.problem(
            row,
            level_field,
            f"指标“{path[-1]}”在同一上级下重复（第 {self.first_row[id(node)]} 行已有）",
        )
        return path

    def place(self, row: int, path: list[str]) -> NodeRecord:
        """Create the missing nodes of a path; a leaf that gets children becomes a heading."""
        key = tuple(map(name_key, path))
        node: NodeRecord | None = None
        for depth in range(1, len(key) + 1):
            parent = node
            node = self.by_path.get(key[:depth])
            if node is None:
                siblings = self.roots if parent is None else parent.children
                prefix = "" if parent is None else parent.code + "."
                node = NodeRecord(
                    code=f"{prefix}{len(siblings) + 1}",
                    name=path[depth - 1],
                    level=depth,
                    points=None,
                    source=self.table.source(row),
                )
                siblings.append(node)
                self.by_path[key[:depth]] = node
                self.first_row[id(node)] = row
            if depth < len(key) and id(node) in self.leaf_rows:
                self.promote(node)
        assert node is not None
        return node

    def promote(self, node: NodeRecord) -> None:
        """A row that stood alone for a node which now has children was its heading row: its
        分值 is the node's stated points, its texts describe the node."""
        rows = self.leaf_rows.pop(id(node))
        try:
            points = cells.points(self.table.value(rows.values, "points"))
        except cells.CellError as exc:
            self.problem(rows.row, "points", f"分值{exc}")
            points = None
        if points is not None:
            self.state(node, points, self.table.at(rows.row, "points"))
        self.fill_texts(node, rows)

    def fill_texts(self, node: NodeRecord, rows: _Rows) -> None:
        for name in TEXT_FIELDS:
            parts = [cells.plain(self.table.value(v, name)) for v in (rows.values, *rows.more)]
            setattr(node, name, "\n".join(dict.fromkeys(p for p in parts if p)))
        node.lead_department = cells.name(self.table.value(rows.values, "lead_department"))

    def fill_leaf(self, node: NodeRecord, rows: _Rows) -> None:
        """Read and check a leaf's method, points, parameters, code and texts."""
        table, row, values = self.table, rows.row, rows.values
        self.fill_texts(node, rows)
        method_text = cells.header(table.value(values, "method"))
        method = METHOD_WORDS.get(method_text)
        if method is None:
            known = "、".join(m.value for m in Method)
            self.problem(row, "method", f"评分方式“{method_text}”无法识别（可填：{known}）")
            method = Method.DEDUCT
        stated = self.stated.pop(id(node), None)
        try:
            points = cells.points(table.value(values, "points"))
        except cells.CellError as exc:
            self.problem(row, "points", f"分值{exc}")
            self.unsure.add(id(node))
            points = Decimal(0)
        if points is None and stated is not None:
            points = stated.points
        elif points is not None and stated is not None and points != stated.points:
            self.problem(row, "points", f"分值 {points} 与名称中标明的 {stated.points} 分不一致")
        node.parameters = cells.plain(table.value(values, "parameters"))
        found = recognise(node.standard, points) if not method_text else None
        if found is not None:  # no 评分方式 given: the rule the 评分标准 states
            method = found.method
            node.parameters = node.parameters or found.parameters
            node.rule_note = f"{found.note}（据“{found.matched}”）"
        node.method = method
        if points is None and method is Method.VETO:
            points = Decimal(0)  # 一票否决 carries no points
        if points is None:
            self.problem(row, "points", f"末级指标“{node.name}”缺少分值")
            self.unsure.add(id(node))
        elif points < 0:
            self.problem(row, "points", f"分值不能为负数：{points}")
            self.unsure.add(id(node))
        node.points = points
        if method is Method.TIER:
            try:
                node.tiers = parse_tiers(node.parameters)
            except TierError as exc:
                self.problem(row, "parameters", f"分档参数{exc}")
        node.categories = cells.category_list(table.value(values, "categories"))
        for category in node.categories:
            problem = text_problem(category, CATEGORY)
            if problem is not None:
                self.problem(row, "categories", problem)
        code = cells.header(table.value(values, "code"))
        problem = text_problem(code, CODE)
        if problem is not None:
            self.problem(row, "code", problem)
        if code:
            node.code = code
            self.explicit_codes.add(id(node))

    def finish_leaves(self, nodes: list[NodeRecord]) -> None:
        for node in nodes:
            rows = self.leaf_rows.get(id(node))
            if rows is not None:
                self.fill_leaf(node, rows)
            self.finish_leaves(node.children)

    def settle_points(self, nodes: list[NodeRecord]) -> tuple[Decimal, Decimal, bool]:
        """(counted, bonus, sure) points of a sibling list; parents get the sum of their counted
        children, and a stated figure must agree (a group of only bonus leaves may state their
        sum). Sums over a leaf whose points are wrong are not checked (sure is False)."""
        counted = extra = Decimal(0)
        sure = True
        for node in nodes:
            if not node.children:
                sure = sure and id(node) not in self.unsure
                if counts(node):
                    counted += node.points or 0
                else:
                    extra += node.points or 0
                continue
            inner, inner_extra, inner_sure = self.settle_points(node.children)
            node.points = inner
            counted += inner
            extra += inner_extra
            sure = sure and inner_sure
            stated = self.stated.get(id(node))
            if not inner_sure or stated is None or stated.points == inner:
                continue
            if inner == 0 and stated.points == inner_extra:
                continue
            note = "（加分、否决项不计入）" if inner_extra else ""
            self.warnings.append(
                SheetIssue(
                    stated.where,
                    f"指标“{node.name}”标明 {stated.points} 分，但下级合计为 {inner} 分{note}",
                )
            )
        return counted, extra, sure

    def check_codes(self) -> None:
        """Codes are how score sheets name a leaf, so each must be unique in the tree."""
        seen: dict[str, NodeRecord] = {}
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            other = seen.get(node.code)
            if other is None:
                seen[node.code] = node
            else:
                first, second = (other, node)
                if id(other) in self.explicit_codes and id(node) not in self.explicit_codes:
                    first, second = node, other
                where = second.source.at("code" if id(second) in self.explicit_codes else None)
                row = first.source.row if first.source else "?"
                self.problems.append(
                    SheetIssue(
                        where,
                        f"编码“{node.code}”重复：第 {row} 行的指标“{first.name}”已使用此编码",
                    )
                )
            stack.extend(reversed(node.children))
