"""附件2 (every unit's score sheet, bound apart) as an editable .docx beside its PDF: the same
sheets in the 通报's order, each unit's title in the navigation pane, a contents without the
PDF's page numbers (Word sets its own pages)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from app.models.database import Database
from app.services.publishing.report_annex import annex_order
from app.services.publishing.reports import score_sheets, write_report
from app.services.publishing.sheet_tables import average_rates, sheet_table
from tests.small_round import ROUND, build_small_round


def test_the_annex_volume_as_word_beside_its_pdf(db: Database, tmp_path: Path) -> None:
    build_small_round(db, tmp_path, ["市司法局", "市公安局", "市教育局"])
    annex = tmp_path / "附件2.pdf"
    written = write_report(db, ROUND, annex=annex, docx=True)
    assert annex.with_suffix(".docx") in written and annex in written
    document = Document(str(annex.with_suffix(".docx")))
    results, sheets = score_sheets(db, ROUND)
    ordered = annex_order(results, sheets)
    contents, *tables = document.tables
    assert [c.text for c in contents.rows[0].cells] == ["类别", "名次", "单位"]
    assert [r.cells[2].text for r in contents.rows[1:]] == [s.unit for s in ordered]
    average = average_rates(sheets, results.area_names)
    printed = [sheet_table(s, results.area_names, average) for s in ordered]
    leaves = [t for t in tables if tuple(c.text for c in t.rows[0].cells) == printed[0].header]
    assert [[tuple(c.text for c in r.cells) for r in t.rows[1:]] for t in leaves] == [
        p.rows for p in printed
    ]
    listed = [  # the titles in the navigation pane, as the PDF's bookmarks list the units
        p.text
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:outlineLvl")) is not None
    ]
    assert listed[0] == "各单位得分明细"
    assert [t.replace("\n", "") for t in listed[1:]] == [
        sheet_table(s, results.area_names, average).title for s in ordered
    ]
