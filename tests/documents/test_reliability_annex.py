"""The 通报's optional 附件2 结果可靠性与评分一致性说明 (issue 20): printed when chosen, with the
analyses' sentences, the assessors' table and the charts; the score sheets then become 附件3,
and the page count given before printing is the page count printed."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from app.models.opening import open_database
from app.services.publishing.report_annex import default_annex_path
from app.services.publishing.reports import report_pages, write_report
from tests.analysis_year import ROUND, STRICT, build_analysis_year
from tests.documents.pdfcheck import compact


def test_the_reliability_annex_is_printed_when_chosen(tmp_path: Path) -> None:
    db = open_database(build_analysis_year(tmp_path))
    try:
        pdf = tmp_path / "通报.pdf"
        annex = default_annex_path(pdf, reliability=True)
        assert "附件3" in annex.name
        counted = report_pages(db, ROUND, reliability=True)
        plain = report_pages(db, ROUND)
        write_report(db, ROUND, pdf, annex=annex, reliability=True)
    finally:
        db.dispose()
    with pdfplumber.open(pdf) as document:
        pages = [compact(page.extract_text() or "") for page in document.pages]
    assert len(pages) == counted.report > plain.report
    text = "".join(pages)
    assert "2.结果可靠性与评分一致性说明" in text and "3.各单位得分明细（另册）" in text
    first = next(p for p in pages if p.startswith("附件2结果可靠性与评分一致性说明"))
    assert "名次敏感" in first
    assert f"{STRICT}评分偏严" in text and "一致性系数" in text
    assert any(p.startswith("各单位名次区间") for p in pages)
    assert any(p.startswith("各考核组评分宽严") for p in pages)
    with pdfplumber.open(annex) as volume:
        assert compact(volume.pages[0].extract_text() or "").startswith("附件3")
