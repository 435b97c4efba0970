"""Rows read from workbooks, as plain data with the place each value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from app.errors import Location
from app.scoring.types import Method, Tier


@dataclass(frozen=True, slots=True)
class RowSource:
    """The sheet row a record came from and the column letter of each field it read."""

    file: str
    sheet: str
    row: int
    columns: dict[str, str] = field(default_factory=dict)  # field name -> column letter

    def at(self, field_name: str | None = None) -> Location:
        column = self.columns.get(field_name) if field_name else None
        return Location(self.file, self.sheet, self.row, column)


@dataclass(frozen=True, slots=True)
class UnitRecord:
    name: str
    category: str | None
    short_name: str | None
    order: int | None
    source: RowSource


@dataclass(slots=True)
class NodeRecord:
    """A node of an imported indicator tree; leaves have no children."""

    code: str
    name: str
    level: int  # 1 = 一级指标
    points: Decimal | None  # stated points (leaves always; parents when the sheet states them)
    method: Method = Method.DEDUCT
    parameters: str = ""  # 评分参数 as written, e.g. "每项0.5" or the tier text
    tiers: tuple[Tier, ...] = ()
    standard: str = ""  # 评分标准
    content: str = ""  # 考核内容
    assessment_method: str = ""  # 考核方式
    lead_department: str = ""  # 牵头/评分责任单位
    categories: tuple[str, ...] = ()  # empty: all categories
    rule_note: str = ""  # the rule read from 评分标准 when no 评分方式 was given, for the preview
    children: list[NodeRecord] = field(default_factory=list)
    source: RowSource | None = None


@dataclass(slots=True)
class FrameworkSheet:
    roots: list[NodeRecord]
    stated_total: Decimal | None  # from a 合计/总计 row, if the sheet has one


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    unit: str
    leaf_code: str
    assessor: str | None  # None: the round's default assessor
    deduction: Decimal | None
    score: Decimal | None  # 得分 / 加分 value
    answer: bool | None  # 是否: 是 -> True, 否 -> False (read from the 得分 column)
    measured: Decimal | None  # 实际值 for 分档, as a rate (97% and 0.97 both -> 0.97)
    not_applicable: bool
    veto: bool
    reason: str
    source: RowSource


@dataclass(frozen=True, slots=True)
class SatisfactionRecord:
    unit: str
    score: Decimal
    source: RowSource
    votes: tuple[int, int, int] | None = None  # 满意, 基本满意, 不满意 when read from votes
