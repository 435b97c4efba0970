"""Notices from the demo round, checked from the PDF itself against GB/T 9704-2012."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.publishing.notice_findings import open_findings
from app.services.publishing.notice_register import list_notices, withdraw_notice
from app.services.publishing.notices import RECTIFICATION, SUPERVISION, issue_notices
from app.services.review.findings import round_findings
from app.services.rounds.deadlines import add_months
from tests.documents.pdfcheck import (
    A4,
    HEIGHT,
    LEFT,
    MM,
    TOP,
    WIDTH,
    compact,
    pdffonts_unembedded,
    text_of,
    unembedded_fonts,
)

ISSUED_ON = date(2026, 1, 31)


@pytest.fixture(scope="module")
def demo(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Database:
    folder = tmp_path_factory.mktemp("notices")
    shutil.copy(demo_db_file, folder / "demo.db")
    return open_database(folder / "demo.db")


@pytest.fixture(scope="module")
def issued(demo: Database, tmp_path_factory: pytest.TempPathFactory):
    findings = open_findings(demo, DEMO_ROUND).units  # a notice lists these (issue 17)
    chosen = [f.unit for f in findings if f.findings][:3]
    out = tmp_path_factory.mktemp("out")
    notices = issue_notices(demo, DEMO_ROUND, RECTIFICATION, out, units=chosen, issued_on=ISSUED_ON)
    letters = issue_notices(
        demo, DEMO_ROUND, SUPERVISION, out, units=chosen[:1], issued_on=ISSUED_ON
    )
    return notices, letters, {f.unit: f for f in findings}


def test_rectification_notice_follows_the_file_format(issued) -> None:
    notices, _, _ = issued
    with pdfplumber.open(notices[0].path) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert (page.width, page.height) == pytest.approx(A4, abs=0.5)
        first = pdf.pages[0]
        mark = [c for c in first.chars if c["size"] > 30]
        assert mark and all(c["non_stroking_color"] == (1.0, 0.0, 0.0) for c in mark)
        assert all(c["top"] >= TOP + 35 * MM - 1 for c in mark)  # 标志 35 mm below the 版心 top
        red_rules = [ln for ln in first.lines if ln["stroking_color"] == (1.0, 0.0, 0.0)]
        assert red_rules and red_rules[0]["x0"] == pytest.approx(LEFT, abs=0.5)
        assert red_rules[0]["x1"] - red_rules[0]["x0"] == pytest.approx(WIDTH, abs=0.5)
        title = [c for c in first.chars if round(c["size"]) == 22]
        assert compact("".join(c["text"] for c in title)).startswith("关于")
        body_sizes = {round(c["size"]) for c in first.chars if c["top"] > red_rules[0]["top"]}
        assert body_sizes <= {22, 16, 14, 7}  # title 二号, body 三号, page number 四号, code
        assert not [
            c for c in first.chars if c["size"] <= 22 and c["non_stroking_color"] == (1.0, 0.0, 0.0)
        ]  # red only for the 版头
        for page in pdf.pages:
            for c in (
                c for c in page.chars if round(c["size"]) == 16
            ):  # within the 版心 (a closing mark may hang one character out)
                assert c["x0"] >= LEFT - 0.5 and c["x1"] <= LEFT + WIDTH + 16 + 2
                assert c["top"] >= TOP - 0.5 and c["bottom"] <= TOP + HEIGHT + 0.5


def test_page_numbers_sit_below_the_text_block_outer_side(issued) -> None:
    notices, _, _ = issued
    with pdfplumber.open(notices[0].path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            marks = [c for c in page.chars if round(c["size"]) == 14 and c["top"] > TOP + HEIGHT]
            text = "".join(c["text"] for c in marks)
            assert text.replace(" ", "") == f"—{number}—"
            assert marks[0]["top"] == pytest.approx(TOP + HEIGHT + 7 * MM, abs=1.5)
            if number % 2:  # odd pages at the right, even at the left, one character in
                assert marks[-1]["x1"] == pytest.approx(LEFT + WIDTH - 14, abs=1)
            else:
                assert marks[0]["x0"] == pytest.approx(LEFT + 14, abs=1)


def test_every_finding_and_the_unit_are_in_the_text(issued) -> None:
    notices, _, findings = issued
    for notice in notices:
        text = compact(text_of(notice.path))
        found = findings[notice.unit]
        assert compact(notice.unit) in text and notice.number in text
        for finding in found.findings:
            assert compact(finding.reason) in text and compact(finding.leaf_name) in text
        assert "2026年3月31日" in text  # plan due 2 months after 31 January: end of March
        assert "2026年7月31日" in text


def test_all_fonts_are_embedded(issued) -> None:
    notices, letters, _ = issued
    for notice in [*notices, *letters]:
        assert unembedded_fonts(notice.path) == []
        assert pdffonts_unembedded(notice.path) in ([], None)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_finds_every_font_embedded_and_subset(issued) -> None:
    notices, letters, _ = issued
    for notice in (notices[0], letters[0]):
        assert pdffonts_unembedded(notice.path) == []


def test_supervision_letter_format(issued) -> None:
    _, letters, _ = issued
    with pdfplumber.open(letters[0].path) as pdf:
        first = pdf.pages[0]
        red = [ln for ln in first.lines if ln["stroking_color"] == (1.0, 0.0, 0.0)]
        assert len(red) == 4  # a double rule under the 标志 and one above the bottom
        for rule in red:
            assert rule["x1"] - rule["x0"] == pytest.approx(170 * MM, abs=0.5)
        top_mark = min(c["top"] for c in first.chars if c["size"] > 30)
        assert top_mark == pytest.approx(30 * MM, abs=3)
        rule_top = min(ln["top"] for ln in red)
        number = [
            c for c in first.chars if round(c["size"]) == 16 and c["top"] < rule_top + 15 * MM
        ]
        assert compact("".join(c["text"] for c in number)) == letters[0].number
        assert number[0]["top"] > rule_top  # under the double rule
        assert number[-1]["x1"] == pytest.approx(LEFT + WIDTH, abs=1)  # on the 版心's edge
        assert not [c for c in first.chars if c["top"] > TOP + HEIGHT + 3 * MM and c["size"] == 14]
        if len(pdf.pages) > 1:
            second = pdf.pages[1]
            assert "—2—" in compact(second.extract_text())


def test_numbers_run_on_and_are_never_reused(demo: Database, issued, tmp_path: Path) -> None:
    notices, letters, _ = issued
    assert [n.number for n in notices] == [f"云法办〔2026〕{i}号" for i in (1, 2, 3)]
    assert letters[0].number == "云法办督〔2026〕1号"
    withdraw_notice(demo, notices[2].number, "单位名称有误")
    with pytest.raises(UserError, match="已于此前撤回"):
        withdraw_notice(demo, notices[2].number, "再撤一次")
    again = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=[notices[2].unit], issued_on=ISSUED_ON
    )
    assert again[0].number == "云法办〔2026〕4号"  # 3号 stays withdrawn, never reused
    listed = {n.number: n for n in list_notices(demo)}
    assert listed["云法办〔2026〕3号"].status == "已撤回"
    assert listed["云法办〔2026〕3号"].withdraw_reason == "单位名称有误"
    assert listed["云法办〔2026〕4号"].plan_due == date(2026, 3, 31)


def test_an_issued_notice_cannot_be_changed_or_deleted(demo: Database, issued) -> None:
    assert demo.path is not None
    with sqlite3.connect(demo.path) as connection:
        with pytest.raises(sqlite3.DatabaseError, match="只能撤回"):
            connection.execute("UPDATE notices SET title = 'x' WHERE serial = 1")
        with pytest.raises(sqlite3.DatabaseError, match="只能撤回"):
            connection.execute("DELETE FROM notices")


def test_deadlines_count_calendar_months() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_a_wrong_selection_or_unit_is_refused_before_anything_is_issued(
    demo: Database, tmp_path: Path
) -> None:
    before = len(list_notices(demo))
    with pytest.raises(UserError, match="选择方式"):
        issue_notices(demo, DEMO_ROUND, RECTIFICATION, tmp_path, selection="前十名")
    with pytest.raises(UserError, match="没有单位"):
        issue_notices(demo, DEMO_ROUND, RECTIFICATION, tmp_path, units=["不存在的局"])
    assert len(list_notices(demo)) == before and not list(tmp_path.glob("*.pdf"))


def test_a_reason_no_font_can_draw_stops_the_batch_before_any_number(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    import app.services.publishing.notices as notices_service

    results, findings = round_findings(demo, DEMO_ROUND)
    damaged = [f for f in findings if f.findings][:3]
    odd = replace(damaged[1].findings[0], reason="台账未更新\U0001f600")
    damaged[1] = replace(damaged[1], findings=[odd, *damaged[1].findings[1:]])
    monkeypatch.setattr(notices_service, "round_findings", lambda db, name: (results, damaged))
    before = list_notices(demo)
    with pytest.raises(UserError, match=f"{damaged[1].unit}.*U\\+1F600"):
        issue_notices(demo, DEMO_ROUND, RECTIFICATION, tmp_path, selection="all")
    assert list_notices(demo) == before and not list(tmp_path.glob("*.pdf"))
