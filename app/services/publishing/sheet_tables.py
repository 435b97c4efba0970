"""A unit's score sheet as a table (every leaf under its area's subtotal and 得分率, the unit's
radar against the average, the calculation to the final): what the 通报's 附件, the unit's own
sheet and its workbook all print."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from app.documents.numbering import without_enumeration
from app.documents.official.model import AttachmentTable, Block
from app.io.writers.report_input import SheetRow, UnitSheet
from app.scoring.calculation import Calculation, two

SHEET_HEADER = ("编码", "指标", "分值", "得分", "扣分理由")
CALCULATION_HEADER = ("得分计算", "算式与结果")


@dataclass(frozen=True)
class AreaPart:
    """One area of a unit's score sheet: its leaves, their counted subtotal and the points
    they are out of — what the 通报's sheet, the unit's own sheet and the radar all show."""

    code: str
    name: str
    rows: list[SheetRow]
    subtotal: Fraction
    points: Fraction

    @property
    def rate(self) -> Fraction | None:
        """得分率: the counted score over the applicable points (None: none apply)."""
        return self.subtotal / self.points if self.points else None

    @property
    def rate_text(self) -> str:
        return f"{float(self.subtotal / self.points):.1%}" if self.points else "—"


def area_parts(sheet: UnitSheet, area_names: dict[str, str]) -> list[AreaPart]:
    parts = []
    for code, name in area_names.items():
        rows = [r for r in sheet.rows if r.area == code]
        subtotal = sum((r.score for r in rows if r.counted), Fraction(0))
        parts.append(AreaPart(code, name, rows, subtotal, sheet.area_points.get(code, Fraction(0))))
    return parts


def area_rates(sheet: UnitSheet, area_names: dict[str, str]) -> dict[str, Fraction | None]:
    """得分率 per area (None: none of its leaves apply)."""
    return {part.code: part.rate for part in area_parts(sheet, area_names)}


def average_rates(sheets: list[UnitSheet], area_names: dict[str, str]) -> dict[str, float]:
    """The mean 得分率 of every area over the units it applies to."""
    totals: dict[str, list[Fraction]] = {code: [] for code in area_names}
    for sheet in sheets:
        for code, rate in area_rates(sheet, area_names).items():
            if rate is not None:
                totals[code].append(rate)
    return {c: float(sum(v, Fraction(0)) / len(v)) if v else 0.0 for c, v in totals.items()}


def sheet_summary(sheet: UnitSheet) -> str:
    return (
        f"类别：{sheet.category}；最终得分 {sheet.final:.2f}；等次：{sheet.grade}；"
        f"类别内名次：{sheet.category_rank}"
    )


def calculation_blocks(calculation: Calculation) -> tuple[Block, ...]:
    """The calculation as a two-column table under the score sheet, and the rounding note."""
    table = AttachmentTable("得分计算", CALCULATION_HEADER, (46, 110), list(calculation.lines))
    note = (Block("para", calculation.note),) if calculation.note else ()
    return (Block("table", "", table=table), *note)


def sheet_table(
    sheet: UnitSheet,
    area_names: dict[str, str],
    average: dict[str, float] | None = None,
    title: str = "",
) -> AttachmentTable:
    from app.documents.radar import Radar

    rows: list[tuple[str, ...]] = []
    parts = area_parts(sheet, area_names)
    rates = {part.code: part.rate for part in parts}
    for part in parts:
        heading = f"{part.code} {without_enumeration(part.name)}（小计，得分率 {part.rate_text}）"
        rows.append(("", heading, two(part.points), two(part.subtotal), ""))
        for r in part.rows:
            shown = "不适用" if r.state == "不适用" else two(r.score)
            if r.state == "未评":
                shown = "未评"
            name = without_enumeration(r.name)  # beside its code, not "1.1.1 7.依法决策"
            rows.append((r.code, name, f"{r.points.normalize():f}", shown, r.reasons))
    radar = None
    if average is not None:
        radar = Radar(
            tuple(area_names.values()),
            tuple(float(rates[c]) if rates[c] is not None else 0.0 for c in area_names),
            tuple(average[c] for c in area_names),
        )
    return AttachmentTable(
        title or f"{sheet.unit}得分明细",
        SHEET_HEADER,
        (16, 56, 17, 17, 50),
        rows,
        continues=True,
        note=sheet_summary(sheet),
        radar=radar,
        after=calculation_blocks(sheet.calculation),
    )
