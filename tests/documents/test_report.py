"""The 考核结果通报: its score sheets add up to the published results, and the PDF (with its 附件
of score sheets bound apart) and the workbook carry every unit, embedded fonts, vector charts
and print settings."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from app.demo.build import DEMO_ROUND
from app.documents.official.assembly import write_documents
from app.models.database import Database
from app.scoring.calculation import unit_calculation
from app.scoring.engine import compute_results, unit_leaf_scores
from app.scoring.rounding import round_half_up
from app.scoring.types import Rules
from app.services.publishing.report_annex import annex_order
from app.services.publishing.reports import (
    average_rates,
    build_report,
    sheet_table,
)
from app.services.review.explain import explain_round
from app.services.review.results import RoundResults
from app.services.review.rules_words import rules_words
from app.services.rounds.definition import find_round
from app.services.rounds.round_data import load_round_data
from tests.documents.conftest import DemoReport
from tests.documents.pdfcheck import (
    compact,
    page_texts,
    pdffonts_unembedded,
    text_of,
    unembedded_fonts,
)
from tests.scoring.test_engine_fairness import HUNDRED, scored


@pytest.fixture
def report(demo_report: DemoReport) -> tuple[Database, Path, Path]:
    """The demo's 通报 (tests/documents/conftest.py: printed once per run)."""
    return demo_report.db, demo_report.pdf, demo_report.xlsx


def annex_of(pdf: Path) -> Path:
    """The 通报's 附件2 (the units' score sheets), bound apart beside it."""
    return pdf.with_name("通报附件.pdf")


def test_score_sheets_add_up_to_the_published_area_subtotals(demo_report: DemoReport) -> None:
    results, sheets = demo_report.results, demo_report.sheets
    outcome = {u.unit: u for u in results.result.units}
    assert len(sheets) == len(outcome) == 80
    for sheet in sheets:
        for area in results.area_names:
            counted = sum(
                (r.score for r in sheet.rows if r.area == area and r.counted), Fraction(0)
            )
            assert counted == outcome[sheet.unit].areas[area], (sheet.unit, area)


def test_pdf_has_every_unit_embedded_fonts_and_vector_charts(demo_report: DemoReport) -> None:
    pdf, results = demo_report.pdf, demo_report.results
    text = compact(text_of(pdf, pages=12))  # the 通报 itself; the score sheets follow
    for unit in results.result.units:
        # a long name wraps inside its cell, so its start is what stands in one piece
        assert compact(unit.unit)[:10] in text and f"{unit.final:.2f}" in text
    assert "关于2025年度法治政府建设考核结果的通报" in text and "云法办〔2026〕9号" in text
    assert unembedded_fonts(pdf) == []
    assert pdffonts_unembedded(pdf) in ([], None)  # poppler agrees, where it is installed
    with pdfplumber.open(pdf) as document:
        start = next(
            i
            for i, p in enumerate(document.pages)
            if compact(p.extract_text() or "").startswith("附件1考核结果图表")
        )
        charts = document.pages[start:]
        # 80 bars drawn as paths, not a picture (over the pages the categories take)
        assert sum(len(chart.rects) + len(chart.curves) for chart in charts) > 80
        assert not any(chart.images for chart in charts)
    assert len(page_texts(annex_of(pdf))) > 80  # a score sheet for every unit, bound apart


def test_workbook_has_the_ranking_and_details_ready_to_print(report) -> None:
    _, _, xlsx = report
    workbook = load_workbook(xlsx)
    ranking = workbook["考核结果"]
    values = [row for row in ranking.iter_rows(min_row=3, values_only=True) if row[1]]
    assert len(values) == 80
    assert all(isinstance(row[3], int | float) for row in values)  # numbers as numbers
    assert ranking.print_title_rows.replace("$", "") == "2:2" and ranking.freeze_panes == "C3"
    assert str(ranking.page_setup.paperSize) == ranking.PAPERSIZE_A4
    detail = workbook["得分明细"]
    assert detail.max_row > 80 * 50


def test_cli_report_needs_an_output(run_cli, demo_db_file: Path, db_path: Path) -> None:
    shutil.copy(demo_db_file, db_path)
    code, _, err = run_cli("report", "--round", DEMO_ROUND)
    assert code == 2 and "--pdf" in err


def test_every_score_sheet_has_its_radar_against_the_average(demo_report: DemoReport) -> None:
    pdf, results, sheets = demo_report.pdf, demo_report.results, demo_report.sheets
    average = average_rates(sheets, results.area_names)
    outcome = {u.unit: u for u in results.result.units}
    for code in results.area_names:  # the mean of the units' published area rates
        rates = [
            outcome[s.unit].areas[code] / s.area_points[code]
            for s in sheets
            if s.area_points.get(code)
        ]
        assert average[code] == pytest.approx(float(sum(rates) / len(rates)))
    first = annex_order(results, sheets)[0]
    texts = page_texts(annex_of(pdf), pages=40)
    start = next(i for i, t in enumerate(texts) if t.startswith(f"{first.unit}得分明细"))
    with pdfplumber.open(annex_of(pdf)) as document:
        page = document.pages[start]
        text = compact(page.extract_text())
        assert "本单位" in text and "全部单位平均" in text
        assert compact(next(iter(results.area_names.values())))[:11] in text  # axis labels
        assert not page.images and len(page.lines) + len(page.curves) > 20  # vector lines


def test_the_report_states_the_rules_that_decided_grades_and_flags(demo_report: DemoReport) -> None:
    pdf, results = demo_report.pdf, demo_report.results
    # the paragraph runs over a page break: leave out the page number and check code there
    text = re.sub(r"—\d+—变更记录校验码[0-9A-F]+", "", compact(text_of(pdf, pages=3)))
    paragraph = compact(rules_words(results))
    assert paragraph in text  # one paragraph, under 一、考核结果 and before the first table
    assert text.index("一、考核结果") < text.index(paragraph) < text.index("（一）")
    for said in (  # the demo round: 30 % by category, floor, share; bottom 3; a veto; 20 %
        "优秀等次按各类别单位数（含被一票否决的单位）的30%确定名额（向下取整）",
        "名额分界处同分的单位并列优秀",
        "被一票否决的单位评为不合格、不占优秀名额，排在其他单位之后",
        "各类别排名最后3位的单位通报为排名靠后（并列的一并通报，类别内排名第一的除外）",
        "满意度测评占20%，考核得分占80%",
    ):
        assert said in paragraph


def test_score_sheets_come_from_the_explanation(demo_report: DemoReport) -> None:
    db, results, sheets = demo_report.db, demo_report.results, demo_report.sheets
    _, full_marks, explained = explain_round(db, DEMO_ROUND)
    by_unit = {x.result.unit: x for x in explained}
    with db.reading() as session:
        data = load_round_data(session, find_round(session, DEMO_ROUND))
    units = {u.name: u for u in data.units}
    for sheet in sheets:
        x = by_unit[sheet.unit]
        assert sheet.calculation == unit_calculation(x, full_marks, results.rules.bonus_cap)
        # the same leaves, scores and states the engine's score-sheet function gives
        scores = unit_leaf_scores(data.leaves, units[sheet.unit], data.entries, results.rules)
        assert [(r.code, r.score, r.state) for r in sheet.rows] == [
            (code, s.value, s.state) for code, s in scores.items()
        ]


def test_the_rounding_note_is_where_the_printed_subtotals_miss_the_total(
    demo_report: DemoReport,
) -> None:
    """Adding the area subtotals as printed on the sheet (then scaling, the bonus and the
    survey mix, each to 2 decimals as a clerk would) misses the printed final: the note is
    there. Where the sheet's figures all add up, it is not."""
    db, results, sheets = demo_report.db, demo_report.results, demo_report.sheets
    _, _, explained = explain_round(db, DEMO_ROUND)
    by_unit = {x.result.unit: x for x in explained}
    weight = results.rules.satisfaction_weight
    noted = 0
    for sheet in sheets:
        x, table = by_unit[sheet.unit], sheet_table(sheet, results.area_names)
        printed = sum(Decimal(row[3]) for row in table.rows if row[0] == "")  # subtotals
        base = printed if x.scale == 1 else round_half_up(Fraction(printed) * x.scale, 2)
        by_hand = base + round_half_up(x.result.bonus, 2)
        if weight is not None and x.result.satisfaction is not None:
            survey = round_half_up(x.result.satisfaction, 2)
            by_hand = round_half_up((1 - weight) * by_hand + weight * survey, 2)
        if by_hand != sheet.final:
            assert sheet.calculation.gap >= abs(by_hand - sheet.final), sheet.unit
        note = sheet.calculation.note
        assert bool(note) == bool(sheet.calculation.gap)
        if note:
            noted += 1
            assert note == (
                "注：各项得分按精确值计算、总分只在最后四舍五入一次，"
                f"故各项相加与总分可能相差 {sheet.calculation.gap:.2f}。"
            )
            assert [b.text for b in table.after if b.table is None] == [note]
        else:
            assert [b for b in table.after if b.table is None] == []
    assert 0 < noted < len(sheets)  # the demo has both kinds


def test_the_first_score_sheet_prints_its_calculation(demo_report: DemoReport) -> None:
    first, second = annex_order(demo_report.results, demo_report.sheets)[:2]
    texts = page_texts(demo_report.annex, pages=40)
    start = next(i for i, t in enumerate(texts) if t.startswith(f"{first.unit}得分明细"))
    end = next(i for i, t in enumerate(texts) if t.startswith(f"{second.unit}得分明细"))
    text = "".join(texts[start:end])
    assert "得分计算算式与结果" in text
    for what, how in first.calculation.lines:
        assert compact(what + how) in text, what
    lines = dict(first.calculation.lines)
    assert lines["四舍五入保留两位小数"] == f"最终得分 {first.final:.2f}"
    assert "最终得分（精确值）" in lines
    # the note where the sheet has one (the 附件's first unit may have none)
    assert ("注：各项得分按精确值计算" in text) == bool(first.calculation.note)
    assert compact(first.calculation.note) in text


def test_a_tie_that_exceeded_the_quota_is_said_in_the_report(tmp_path: Path) -> None:
    """The issue's case: 优秀 ≤ 30 % of 7 units (2 places), a tie at the cut, 3 units 优秀 —
    and now the 通报 says why."""
    finals = {"甲": "96", "乙": "94", "丙": "94", "丁": "85", "戊": "80", "己": "70", "庚": "65"}
    units, entries = scored(finals, category="市直部门")
    rules = Rules(top_quota=Decimal("0.3"), bottom_n=1)
    result = compute_results([HUNDRED], units, entries, rules)
    results = RoundResults("2026年度测试考核", "公示中", result, {"1": "一级指标"}, {}, rules)
    document = build_report(
        results, [], "云州市依法治市办", "云州市依法治市办文件", "", date(2026, 4, 30), "", False
    )
    pdf = tmp_path / "通报.pdf"
    write_documents(pdf, [document], document.title)
    text = compact(text_of(pdf))
    assert "优秀等次按各类别单位数的30%确定名额（向下取整）" in text
    assert "名额分界处同分的单位并列优秀（本次“市直部门”因并列多评1个）" in text
    assert "各类别排名最后1位的单位通报为排名靠后" in text
    assert "一票否决" not in text and "满意度" not in text
