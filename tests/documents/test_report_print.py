"""The 通报 a reader can hold (issue 17 §3): the 通报 itself is short — ranking tables and charts
readable at A4 (no label under 8 pt, none overlapping another, every unit's full name) — and
the units' score sheets are a 附件 bound apart, one unit from each new page, a bookmark each;
the page counts shown before printing are the pages printed."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from matplotlib.text import Text
from pypdf import PdfReader

from app.demo.build import DEMO_ROUND
from app.documents import report_charts
from app.documents.official.assembly import chart_scale
from app.documents.official.dry_run import chart_boxes
from app.documents.official.grid import LINE_PITCH, TABLE_LEADING, TABLE_PADDING, TEXT_HEIGHT
from app.io.writers.report_input import UnitSheet
from app.models.database import Database
from app.services.publishing.report_annex import annex_order
from app.services.publishing.reports import (
    build_report,
    report_pages,
)
from app.services.review.results import RoundResults
from tests.documents.conftest import REPORT_NUMBER, DemoReport
from tests.documents.pdfcheck import HEIGHT, TOP, compact, page_texts

SMALLEST = 8.0  # points, as printed


@pytest.fixture
def demo(demo_report: DemoReport) -> Database:
    return demo_report.db


@pytest.fixture
def printed(demo_report: DemoReport) -> tuple[Path, Path]:
    """The demo's 通报 and its 附件 (tests/documents/conftest.py: printed once per run)."""
    return demo_report.pdf, demo_report.annex


@pytest.fixture
def data(demo_report: DemoReport) -> tuple[RoundResults, list[UnitSheet]]:
    return demo_report.results, demo_report.sheets


def test_the_report_itself_is_short_and_the_sheets_are_bound_apart(printed, data) -> None:
    pdf, annex = printed
    results, _ = data
    units = results.result.units
    categories = {u.category for u in units}
    # Bound from the data: the first pages (版头, text, 署名), the ranking tables at the
    # shortest row a table has (one line and its padding) with a heading per category, one
    # page of charts per category for the bars and for the 得分率, and the spread.
    rows_per_page = TEXT_HEIGHT // (TABLE_LEADING + 2 * TABLE_PADDING)
    tables = math.ceil((len(units) + 3 * len(categories)) / rows_per_page)
    bound = 3 + tables + 2 * len(categories) + 1
    pages = len(PdfReader(pdf).pages)
    assert pages <= bound < 40
    assert pages < len(units) / 4  # not a page (or more) per unit, as when it held the sheets
    assert len(PdfReader(annex).pages) > 3 * len(units)  # they are here
    text = compact("".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    assert "附件：1.考核结果图表" in text and "2.各单位得分明细（另册）" in text
    assert "得分计算" not in text  # no score sheet in the 通报 itself


def _texts(figure) -> list[Text]:  # type: ignore[no-untyped-def] - a matplotlib Figure
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_every_chart_label_is_8pt_or_more_as_printed_and_none_overlaps(data) -> None:
    results, sheets = data
    document = build_report(results, sheets, "云州市依法治市办", "文件", "", date(2026, 4, 30), "")
    boxes = chart_boxes(document)
    points = {s.unit: s.area_points for s in sheets}
    pages = report_charts.chart_pages(results.result, results.area_names)
    assert len(boxes) == len(pages) == len(document.attachments)
    named: set[str] = set()
    for page, box in zip(pages, boxes, strict=True):
        figure = report_charts.draw_chart_page(page, results.result, results.area_names, points)
        width, height = (side * 72 for side in figure.get_size_inches())
        scale = chart_scale(box, width, height)  # as place_charts puts it on the page
        assert scale == pytest.approx(1.0)  # drawn at the size it is printed
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        texts = _texts(figure)
        for text in texts:
            assert text.get_fontsize() * scale >= SMALLEST - 1e-9, (page.title, text.get_text())
        extents = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        frame = figure.bbox
        for label, extent in extents:  # nothing cut off at the figure's edges
            assert frame.x0 - 0.5 <= extent.x0 and extent.x1 <= frame.x1 + 0.5, label
            assert frame.y0 - 0.5 <= extent.y0 and extent.y1 <= frame.y1 + 0.5, label
        for (one, a), (other, b) in itertools.combinations(extents, 2):
            assert not a.overlaps(b), (page.title, one, other)
        named |= {t.get_text() for t in texts}
        figure.clf()
    for unit in results.result.units:  # every unit's full name, on its bar and on its cells
        assert unit.unit in named


def test_the_printed_chart_pages_hold_every_name_at_8pt_or_more(printed, data) -> None:
    """Read back from the PDF: the charts' characters inside the 版心 (the check code under it
    is the program's own 7 pt mark), and every unit's full name among them."""
    pdf, _ = printed
    results, _ = data
    with pdfplumber.open(pdf) as document:
        texts = [compact(p.extract_text() or "") for p in document.pages]
        start = next(i for i, t in enumerate(texts) if t.startswith("附件1考核结果图表"))
        charts = document.pages[start:]
        for page in charts:
            inside = [c for c in page.chars if TOP - 1 <= c["top"] <= TOP + HEIGHT]
            assert inside and min(c["size"] for c in inside) >= SMALLEST - 0.01
        text = "".join(texts[start:])
    for unit in results.result.units:
        assert text.count(compact(unit.unit)) >= 2  # its bar and its row of 得分率


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg] - pypdf's nesting
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def test_the_annex_has_every_unit_from_a_new_page_with_its_bookmark(printed, data) -> None:
    _, annex = printed
    results, sheets = data
    reader = PdfReader(annex)
    texts = page_texts(annex)
    assert texts[0].startswith("附件2各单位得分明细")
    outline = _outline(reader)
    ordered = annex_order(results, sheets)
    units = [(title, page) for level, title, page in outline if level == 1]
    assert [title for title, _ in units] == [s.unit for s in ordered]  # each once, in order
    assert {title for level, title, _ in outline if level == 0} == {
        "目录",
        *(s.category for s in sheets),
    }
    starts = [page for _, page in units]
    for (unit, page), end in zip(units, [*starts[1:], len(texts)], strict=True):
        assert texts[page].startswith(compact(f"{unit}得分明细"))  # its own page, its title
        sheet = "".join(texts[page:end])
        assert sum(t.startswith(compact(f"{unit}得分明细")) for t in texts) == 1
        assert "得分计算算式与结果" in sheet
        # the contents gives the pages to print for this unit alone
        assert compact(f"{unit}{page + 1}—{end}") in "".join(texts[:page])
    assert [t for i, t in enumerate(texts) if "得分计算算式与结果" in t and i < starts[0]] == []


def test_the_page_counts_shown_are_the_pages_printed(demo: Database, printed) -> None:
    pdf, annex = printed
    pages = report_pages(demo, DEMO_ROUND, REPORT_NUMBER)
    assert pages.report == len(PdfReader(pdf).pages)
    assert pages.annex == len(PdfReader(annex).pages)


def test_the_chart_figures_are_vector_shapes(printed) -> None:
    pdf, _ = printed
    reader = PdfReader(pdf)
    for page in reader.pages:
        resources = page.get("/Resources", {})
        images = [
            x
            for x in resources.get("/XObject", {}).values()
            if x.get_object().get("/Subtype") == "/Image"
        ]
        assert images == []


def test_a_long_category_is_split_over_pages_and_nothing_is_cut(data) -> None:
    """An office with 80 units in one category: the bars run over several pages, each within
    the 版心, every unit once."""
    results, _ = data
    merged = [replace(u, category="市直单位") for u in results.result.units]
    result = replace(results.result, units=merged)
    pages = report_charts.chart_pages(result, results.area_names)
    ranking = [p for p in pages if p.kind == "ranking"]
    assert len(ranking) >= 2
    shown = [u.unit for p in ranking for b in p.blocks for u in b.units]
    assert sorted(shown) == sorted(u.unit for u in merged)
    assert all(p.height <= report_charts.MAX_HEIGHT for p in pages)
    assert report_charts.MAX_HEIGHT * 72 < TEXT_HEIGHT - 4 * LINE_PITCH  # under 附件1 + title
