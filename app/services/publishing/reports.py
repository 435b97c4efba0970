"""The 考核结果通报: the results by category and their charts (附件1) as a PDF in the official
format, every unit's score sheet bound apart (附件2, report_annex), and a print-ready .xlsx with
the same tables; how many pages each will take, before anything is printed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from app.documents.charts import figure_pdf
from app.documents.numbering import heading
from app.documents.official.assembly import write_documents
from app.documents.official.model import (
    FILE_LAYOUT,
    Attachment,
    AttachmentTable,
    Block,
    ChartAttachment,
    OfficialDocument,
)
from app.documents.textfit import round_words
from app.io.atomic import write_atomically
from app.io.writers.report_input import SheetRow, UnitSheet
from app.models.database import Database
from app.scoring.calculation import unit_calculation
from app.scoring.explain import NOT_APPLICABLE, UNSCORED, LeafExplanation, explain_unit
from app.scoring.types import Entry, Method
from app.services.access.audit import chain_head
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.progress import Progress
from app.services.publishing.document_numbers import claim_report_number
from app.services.publishing.office_settings import load_document_settings
from app.services.publishing.report_annex import (
    ANNEX_TITLE,
    annex_label,
    annex_pages,
    write_annex,
)
from app.services.publishing.sheet_tables import (
    area_parts,
    average_rates,
    sheet_summary,
    sheet_table,
)
from app.services.review.findings import round_findings
from app.services.review.results import RoundResults, compute_round_results, unit_flags
from app.services.review.rules_words import rules_words
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import load_round_data

RANKING_HEADER = ("名次", "单位", "得分", "等次", "备注")
CHARTS_TITLE = "考核结果图表"


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


def build_report(
    results: RoundResults,
    sheets: list[UnitSheet],
    office: str,
    file_mark: str,
    number: str,
    issued_on: date,
    check_code: str,
    charts: bool = True,
    *,
    drawn: bool = True,
    reliability: Sequence[Attachment] = (),
) -> OfficialDocument:
    """The 通报 itself: the results by category in words and tables, the charts as 附件1 (not
    ``drawn``: pages without figures, to count them), the score sheets named as 附件2 (另册)."""
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
        blocks.append(Block("h2", heading(index, category)))
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
    attachments: list[Attachment] = []
    if charts:
        attachments += chart_attachments(results, sheets, drawn)
    attachments += reliability  # 附件2 结果可靠性与评分一致性说明, when the office chose it
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
        bound_apart=(ANNEX_TITLE,) if sheets else (),
    )


def chart_attachments(
    results: RoundResults, sheets: list[UnitSheet], drawn: bool = True
) -> list[ChartAttachment]:
    """附件1, one page per planned chart page; not ``drawn``: the pages without their figures,
    enough to count them."""
    from app.documents import report_charts

    points = {s.unit: s.area_points for s in sheets}
    attachments = []
    for index, page in enumerate(report_charts.chart_pages(results.result, results.area_names)):
        figure = b""
        if drawn:
            drawing = report_charts.draw_chart_page(
                page, results.result, results.area_names, points
            )
            figure = figure_pdf(drawing)
        title = CHARTS_TITLE if index == 0 else page.title
        height = page.height * 72  # inches to points: the figure is placed at its size
        attachments.append(ChartAttachment(title, figure, index > 0, height))
    return attachments


@dataclass(frozen=True)
class ReportPages:
    """How long the printed 通报 will be: the 通报 itself (ranking tables and charts) and the
    units' score sheets bound apart (附件 分册)."""

    report: int
    annex: int


def report_pages(
    db: Database, round_name: str, number: str = "", *, reliability: bool = False
) -> ReportPages:
    """The page counts of what write_report prints, from a dry layout (the same page breaks,
    nothing drawn): shown before the clerk confirms."""
    from app.documents.official.dry_run import document_pages

    settings = load_document_settings(db)
    results, sheets = score_sheets(db, round_name)
    document = build_report(
        results,
        sheets,
        settings.office_name,
        settings.file_mark,
        number,
        date.today(),
        "-",
        drawn=False,
        reliability=_reliability(db, round_name, reliability, drawn=False),
    )
    return ReportPages(document_pages(document), annex_pages(results, sheets))


def _reliability(db: Database, round_name: str, chosen: bool, drawn: bool) -> list[Attachment]:
    if not chosen:
        return []
    from app.services.publishing.reliability_annex import reliability_attachments

    return reliability_attachments(db, round_name, drawn)


def write_report(
    db: Database,
    round_name: str,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    *,
    annex: Path | None = None,
    per_unit: Path | None = None,
    number: str = "",
    issued_on: date | None = None,
    progress: Progress | None = None,
    docx: bool = False,
    reliability: bool = False,
) -> list[Path]:
    """The 通报 (``pdf``: ranking tables and charts; ``docx``: and its editable copy beside
    it), its 附件 of every unit's score sheet bound apart (``annex``, one volume with a
    bookmark per unit; ``per_unit``: a folder of one PDF per unit, and .docx with ``docx``)
    and the workbook with the same tables (``xlsx``); returns the files written.
    ``reliability``: the 通报 carries the 结果可靠性与评分一致性说明 as its 附件2 (the score
    sheets become 附件3)."""
    require(Permission.DOCUMENTS)
    settings = load_document_settings(db)
    results, sheets = score_sheets(db, round_name)
    steps = 1 + sum(x is not None for x in (pdf, annex, per_unit, xlsx))
    if progress:
        progress(1, steps)
    with db.reading() as session:
        round_id = find_round(session, round_name).id
    # The check code is the chain's head, whose record carries the state's digest: verified
    # first, so a printed report vouches only for data the change log describes.
    require_verified(db, "印发带校验码的通报", round_id)
    if pdf is not None:  # the 文号 printed on it: no other document's (issue 17)
        claim_report_number(db, round_name, number, issued_on)
    with db.reading() as session:
        code = chain_head(session)
    written: list[Path] = []
    step = 1

    def done(*paths: Path) -> None:
        nonlocal step
        written.extend(paths)
        step += 1
        if progress:
            progress(step, steps)

    if pdf is not None:
        document = build_report(
            results,
            sheets,
            settings.office_name,
            settings.file_mark,
            number,
            issued_on or date.today(),
            code,
            reliability=_reliability(db, round_name, reliability, drawn=True),
        )
        write_atomically(pdf, lambda t: write_documents(t, [document], document.title))
        if docx:
            from app.services.publishing.word_copies import editable_copy, office_template
            from app.services.publishing.word_templates import REPORT_KIND

            template = office_template(db, REPORT_KIND)
            written.append(editable_copy(pdf, [document], document.title, template, True))
        done(pdf)
    if annex is not None:
        label = annex_label(reliability and pdf is not None)
        write_annex(annex, results, sheets, code, label)
        if docx:  # the editable copy of the volume, beside it
            from app.services.publishing.report_annex import write_annex_docx

            written.append(
                write_annex_docx(annex.with_suffix(".docx"), results, sheets, code, label)
            )
        done(annex)
    if per_unit is not None:
        from app.services.publishing.unit_sheets import write_unit_sheets

        done(*write_unit_sheets(db, round_name, per_unit, pdf=True, xlsx=False, docx=docx))
    if xlsx is not None:
        from app.io.writers.report_writer import write_report_workbook

        notes = {u.unit: "、".join(unit_flags(u)) for u in results.result.units}
        write_report_workbook(xlsx, results, sheets, code, notes)
        done(xlsx)
    return written


__all__ = [
    "ReportPages",
    "UnitSheet",
    "area_parts",
    "average_rates",
    "compute_round_results",
    "report_pages",
    "score_sheets",
    "sheet_summary",
    "sheet_table",
    "write_report",
]
