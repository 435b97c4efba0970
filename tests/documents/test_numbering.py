"""The documents number headings and items themselves; the numbers a source's names and lines
bring are taken off first, the same way in every document (issue 17 §1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.documents.numbering import heading, item, without_enumeration
from app.models.opening import open_database
from app.services.publishing.notices import RECTIFICATION, preview_notice
from app.services.publishing.office_settings import load_document_settings
from app.services.publishing.reports import write_report
from app.services.publishing.unit_sheets import write_unit_sheets
from tests.documents.pdfcheck import compact, text_of
from tests.publishing import publish_now
from tests.small_round import ROUND, build_small_round

ON = date(2026, 1, 5)
AREAS = (
    ("一、依法履职", "（一）制度建设", "7.规范性文件备案"),
    ("二、依法决策", "1. 决策程序", "(1)公众参与"),
)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("一、依法履职", "依法履职"),
        ("十二．依法履职", "依法履职"),
        ("（一）制度建设", "制度建设"),
        ("(二)、制度建设", "制度建设"),
        ("7.规范性文件备案", "规范性文件备案"),
        ("1.7.依法决策", "依法决策"),
        ("1.7 依法决策", "依法决策"),
        ("１．依法决策", "依法决策"),
        ("3、12345热线办理", "12345热线办理"),
        ("(1)公众参与", "公众参与"),
        ("（１）公众参与", "公众参与"),
        ("1）公众参与", "公众参与"),
        ("①公众参与", "公众参与"),
        ("⑴公众参与", "公众参与"),
        ("⒈公众参与", "公众参与"),
        ("Ⅱ、公众参与", "公众参与"),
        ("一、（一）1. 依法决策", "依法决策"),
        # not numbers: kept
        ("1.5倍以上", "1.5倍以上"),
        ("12345热线", "12345热线"),
        ("2025年度考核", "2025年度考核"),
        ("（2025）3号文件落实", "（2025）3号文件落实"),
        ("（试行）办法", "（试行）办法"),
        ("一票否决", "一票否决"),
        ("十大行动", "十大行动"),
        ("3.14", "3.14"),
        ("一、", "一、"),  # nothing but a number stays
        ("", ""),
    ],
)
def test_a_leading_enumeration_is_taken_off(written: str, shown: str) -> None:
    assert without_enumeration(written) == shown


def test_headings_and_items_are_numbered_once() -> None:
    assert heading(1, "一、依法履职") == "（一）依法履职"
    assert heading(12, "（三）依法决策") == "（十二）依法决策"
    assert item(1, "7.依法决策") == "1.依法决策"


@pytest.fixture
def db(db_path: Path, tmp_path: Path):
    database = open_database(db_path)
    build_small_round(database, tmp_path, ["市司法局"], category="一、执法部门", areas=AREAS)
    yield database
    database.dispose()


def test_a_notice_numbers_areas_items_and_demands_once(db, tmp_path: Path) -> None:
    """Seen: "（一）一、依法履职" and "1.7.规范性文件备案" in a notice."""
    settings = replace(
        load_document_settings(db),
        demands="1.请于{计划期限}前报送整改方案。\n（二）请于{完成期限}前完成整改。",
    )
    path = tmp_path / "预览.pdf"
    said = compact(
        text_of(preview_notice(db, ROUND, "市司法局", RECTIFICATION, path, ON, settings))
    )
    assert "（一）依法履职1.规范性文件备案：" in said
    assert "（二）依法决策1.公众参与：" in said
    assert "（一）请于" in said and "（二）请于" in said
    assert "1.1.1规范性文件备案" in said  # the attachment's table: its code, then the name
    for glued in (
        "（一）一、",
        "（二）二、",
        "1.7.",
        "1.(1)",
        "（一）1.请",
        "（二）（二）",
        "1.1.17.",
    ):
        assert glued not in said, glued


def test_the_report_and_the_unit_sheets_number_names_once(db, tmp_path: Path) -> None:
    publish_now(db, ROUND)
    pdf = tmp_path / "通报.pdf"
    annex = tmp_path / "通报-附件2.pdf"  # the score sheets: a volume of their own (issue 17)
    write_report(db, ROUND, pdf, None, annex=annex, issued_on=ON)
    said = compact(text_of(pdf)) + compact(text_of(annex))
    assert "（一）执法部门" in said and "（一）一、" not in said
    assert "1依法履职" in said and "1.1.1规范性文件备案" in said and "2.1.1公众参与" in said
    assert "1一、" not in said and "1.1.17." not in said and "2.1.1(1)" not in said
    (workbook,) = write_unit_sheets(db, ROUND, tmp_path / "明细", pdf=False)
    book = load_workbook(workbook, read_only=True)
    cells = {str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row}
    book.close()
    assert {"依法履职", "规范性文件备案", "依法决策", "公众参与"} <= cells
    assert not {"一、依法履职", "7.规范性文件备案", "(1)公众参与"} & cells
