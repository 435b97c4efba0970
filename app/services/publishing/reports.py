"""The 考核结果通报: results by category, charts, and every unit's score sheet, as a PDF in the
official format and as a print-ready .xlsx with the same tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from pathlib import Path

from app.documents.official.assembly import write_documents
from app.documents.official.model import (
    FILE_LAYOUT,
    AttachmentTable,
    Block,
    ChartAttachment,
    OfficialDocument,
)
from app.documents.textfit import round_words
from app.io.atomic import write_atomically
from app.io.writers.report_input import SheetRow, UnitSheet
from app.models.database import Database
from app.scoring.calculation import Calculation, two, unit_calculation
from app.scoring.explain import NOT_APPLICABLE, UNSCORED, LeafExplanation, explain_unit
from app.scoring.types import Entry, Method
from app.services.access.audit import chain_head
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.progress import Progress
from app.services.publishing.document_numbers import claim_report_number
from app.services.publishing.office_settings import load_document_settings
from app.services.review.findings import round_findings
from app.services.review.results import RoundResults, compute_round_results, unit_flags
from app.services.review.rules_words import rules_words
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import load_round_data

RANKING_HEADER = ("名次", "单位", "得分", "等次", "备注")
SHEET_HEADER = ("编码", "指标", "分值", "得分", "扣分理由")
CALCULATION_HEADER = ("得分计算", "算式与结果")


def score_sheets(db: Database, round_name: str) -> tuple[RoundResults, list[UnitSheet]]:
    """Every unit's leaves with the score that counts toward its total, the reasons, and the
    calculation from them to the final — all from the unit's explanation (the engine's own
    functions), so the sheet adds up to the published figure."""
    results, findings = round_findings(db, round_name)
    with db.reading() as session:
        data = load_round_data(session, find_round(session, round_name))
    rules = results.rules
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    for found in findings:
        for f in found.findings:
            reasons[(found.unit, f.leaf_code)].append(f"{f.reason}（{f.assessor}）")
    by_unit: dict[str, list[Entry]] = defaultdict(list)
    for entry in data.entries:
        by_unit[entry.unit].append(entry)
    outcome = {u.unit: u for u in results.result.units}
    full_marks = results.result.full_marks
    area_of = {leaf.code: leaf.area_code for leaf in data.leaves}
    sheets = []
    for unit in data.units:
        result = outcome[unit.name]
        x = explain_unit(data.leaves, unit, by_unit[unit.name], rules, full_marks, result)
        rows, area_points = [], defaultdict(Fraction)
        for leaf in x.leaves:
            state = leaf_state(leaf)
            counted = leaf.method not in (Method.BONUS, Method.VETO) and state != "不适用"
            if counted:
                area_points[area_of[leaf.code]] += Fraction(leaf.points)
            rows.append(
                SheetRow(
                    leaf.code,
                    area_of[leaf.code],
                    data.leaf_nodes[leaf.code].name,
                    leaf.points,
                    leaf.score if leaf.score is not None else Fraction(0),
                    state,
                    "；".join(reasons.get((unit.name, leaf.code), [])),
                    counted,
                )
            )
        sheets.append(
            UnitSheet(
                unit.name,
                unit.category,
                result.final,
                result.grade,
                result.category_rank,
                rows,
                dict(area_points),
                unit_calculation(x, full_marks, rules.bonus_cap),
            )
        )
    return results, sheets


def leaf_state(leaf: LeafExplanation) -> str:
    """A leaf's state as the score sheet shows it (the words of unit_leaf_scores)."""
    if leaf.status == NOT_APPLICABLE:
        return "不适用"
    if leaf.status == UNSCORED:
        return "未评"
    if not leaf.assessors:  # nobody touched it: a 扣分 leaf keeps its points
        return "默认满分" if leaf.method is Method.DEDUCT else "未评"
    return "否决项" if leaf.method is Method.VETO else "已评"


def _ranking_table(results: RoundResults, category: str) -> AttachmentTable:
    rows = []
    for u in results.result.units:
        if u.category != category:
            continue
        notes = "、".join(unit_flags(u))
        rows.append((str(u.category_rank), u.unit, f"{u.final:.2f}", u.grade, notes))
    return AttachmentTable(category, RANKING_HEADER, (16, 72, 22, 20, 26), rows)


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
        heading = f"{part.code} {part.name}（小计，得分率 {part.rate_text}）"
        rows.append(("", heading, two(part.points), two(part.subtotal), ""))
        for r in part.rows:
            shown = "不适用" if r.state == "不适用" else two(r.score)
            if r.state == "未评":
                shown = "未评"
            rows.append((r.code, r.name, f"{r.points.normalize():f}", shown, r.reasons))
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


def build_report(
    results: RoundResults,
    sheets: list[UnitSheet],
    office: str,
    file_mark: str,
    number: str,
    issued_on: date,
    check_code: str,
    charts: bool = True,
) -> OfficialDocument:
    units = results.result.units
    categories = list(dict.fromkeys(u.category for u in units))
    grades = defaultdict(int)
    for u in units:
        grades[u.grade] += 1
    summary = "，".join(f"{g}{n}个" for g, n in grades.items())
    bottom = [u.unit for u in units if u.bottom]
    blocks = [
        Block(
            "para",
            f"根据{results.round_name}工作安排，考核组对{len(units)}个单位进行了考核评分。"
            f"经汇总审核，考核结果为：{summary}。现将考核结果通报如下。",
        ),
        Block("h1", "一、考核结果"),
        Block("para", rules_words(results)),
    ]
    for index, category in enumerate(categories, start=1):
        blocks.append(
            Block(
                "h2", f"（{'一二三四五六七八九十'[index - 1] if index <= 10 else index}）{category}"
            )
        )
        blocks.append(Block("table", "", table=_ranking_table(results, category)))
    blocks.append(Block("h1", "二、有关要求"))
    if bottom:
        blocks.append(
            Block(
                "para",
                f"排名靠后的{'、'.join(bottom)}等{len(bottom)}个单位，要认真查找原因，"
                "于一个月内向考核办报送整改报告。",
            )
        )
    blocks.append(
        Block(
            "para",
            "各单位要对照考核中发现的问题，逐项制定整改措施，明确责任和时限，"
            "确保整改到位。整改情况纳入下一年度考核。",
        )
    )
    attachments: list = []
    if charts:
        attachments += _chart_attachments(results, sheets)
    average = average_rates(sheets, results.area_names)
    sheet_items = [sheet_table(sheet, results.area_names, average) for sheet in sheets]
    if sheet_items:
        first = sheet_items[0]
        sheet_items[0] = replace(
            first, title="各单位得分明细", continues=False, note=f"{first.title}　{first.note}"
        )
    attachments += sheet_items
    return OfficialDocument(
        layout=FILE_LAYOUT,
        issuer_mark=file_mark,
        number=number,
        title=f"关于{results.round_name}结果的通报",
        title_parts=("关于", *round_words(results.round_name), "结果的通报"),
        addressee="各市直单位",
        blocks=blocks,
        signature=office,
        issued_on=issued_on,
        attachments=attachments,
        printer=office,
        check_code=check_code,
    )


def _chart_attachments(results: RoundResults, sheets: list[UnitSheet]) -> list[ChartAttachment]:
    from app.documents import charts

    area_points = {s.unit: s.area_points for s in sheets}
    return [
        ChartAttachment("考核结果图表", charts.figure_pdf(charts.ranking_figure(results.result))),
        ChartAttachment(
            "各类别得分分布",
            charts.figure_pdf(charts.distribution_figure(results.result)),
            continues=True,
        ),
        ChartAttachment(
            "分领域得分率",
            charts.figure_pdf(
                charts.heatmap_figure(results.result, results.area_names, area_points)
            ),
            continues=True,
        ),
    ]


def write_report(
    db: Database,
    round_name: str,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    *,
    number: str = "",
    issued_on: date | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    require(Permission.DOCUMENTS)
    settings = load_document_settings(db)
    results, sheets = score_sheets(db, round_name)
    if progress:
        progress(1, 3)
    with db.reading() as session:
        round_id = find_round(session, round_name).id
    # The check code is the chain's head, whose record carries the state's digest: verified
    # first, so a printed report vouches only for data the change log describes.
    require_verified(db, "印发带校验码的通报", round_id)
    if pdf is not None:  # the 文号 printed on it: no other document's (issue 17)
        claim_report_number(db, round_name, number, issued_on)
    with db.reading() as session:
        code = chain_head(session)
    written = []
    if pdf is not None:
        document = build_report(
            results,
            sheets,
            settings.office_name,
            settings.file_mark,
            number,
            issued_on or date.today(),
            code,
        )
        write_atomically(pdf, lambda t: write_documents(t, [document], document.title))
        written.append(pdf)
    if progress:
        progress(2, 3)
    if xlsx is not None:
        from app.io.writers.report_writer import write_report_workbook

        notes = {u.unit: "、".join(unit_flags(u)) for u in results.result.units}
        write_report_workbook(xlsx, results, sheets, code, notes)
        written.append(xlsx)
    if progress:
        progress(3, 3)
    return written


__all__ = ["compute_round_results", "score_sheets", "write_report"]
