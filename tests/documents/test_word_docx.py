"""The .docx read back with python-docx, the way WPS and Word read it: the page and the grid,
the face of every run (East Asian names included), the red 版头, the odd and even footers
with their page field, the tables against the PDF's, and the marks of an editable copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu

from app.documents.fonts import BODY, font_for
from app.documents.official.assembly import write_documents
from app.documents.official.tables import row_layout
from app.documents.word.writer import write_docx
from tests.documents.pdfcheck import MM, compact, text_of
from tests.documents.word_samples import CODE, FINDINGS, letter, notice

FACES = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word")
    made = {}
    for name, document in (("notice", notice()), ("letter", letter())):
        made[name] = folder / f"{name}.docx"
        write_docx(made[name], [document], document.title)
        made[f"{name}.pdf"] = folder / f"{name}.pdf"
        write_documents(made[f"{name}.pdf"], [document], document.title)
    return made


def runs_of(document) -> list:  # type: ignore[no-untyped-def]
    return list(document.element.body.iter(qn("w:r")))


def run_face(run) -> str:  # type: ignore[no-untyped-def]
    fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else ""


def run_size(run) -> int:  # type: ignore[no-untyped-def]
    return int(run.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")))


def run_text(run) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def test_the_page_margins_and_grid_make_the_standard_text_block(files) -> None:
    section = Document(str(files["notice"])).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert section.top_margin.mm == pytest.approx(37, abs=0.05)  # 天头
    assert section.left_margin.mm == pytest.approx(28, abs=0.05)  # 订口
    width = Emu(section.page_width - section.left_margin - section.right_margin)
    height = Emu(section.page_height - section.top_margin - section.bottom_margin)
    assert (width.mm, height.mm) == pytest.approx((156, 225), abs=0.05)  # 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # points, from 三号
    assert height.twips // pitch == 22  # lines per page
    assert int(width.pt // char_pitch) == 28  # characters per line


def test_every_run_names_its_face_for_east_asian_text_too(files) -> None:
    for name in ("notice", "letter"):
        document = Document(str(files[name]))
        parts = [document.element.body] + [
            part._element
            for section in document.sections
            for part in (section.footer, section.even_page_footer, section.first_page_header)
        ]
        for part in parts:
            for run in part.iter(qn("w:r")):
                fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
                assert fonts is not None, run_text(run)
                assert fonts.get(qn("w:eastAsia")) in FACES
                assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia"))
                assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would win
        normal = document.styles["Normal"]
        assert normal.font.size.pt == 16
        assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_title_body_and_headings_use_the_faces_the_standard_orders(files) -> None:
    document = Document(str(files["notice"]))
    by_text = {run_text(r): r for r in runs_of(document)}
    title = [r for r in runs_of(document) if run_size(r) == 44]  # 二号: the two titles
    assert "".join(map(run_text, title)) == notice().title + notice().attachments[0].title
    assert {run_face(r) for r in title} == {"方正小标宋简体"}
    assert run_face(by_text["一、存在的问题"]) == "黑体"
    assert run_face(by_text["（一）依法全面履行政府职能"]) == "楷体_GB2312"
    body = [r for r in runs_of(document) if run_size(r) == 32]  # 三号
    headings = {"一、存在的问题", "二、整改要求", "（一）依法全面履行政府职能", "附件"}
    assert {run_face(r) for r in body if run_text(r) not in headings} == {"仿宋_GB2312"}
    # the title keeps the PDF's line break: never a word split over two lines
    assert len(title[0].getparent().findall(f".//{qn('w:br')}")) == 1


def test_red_is_only_the_mark_and_the_rules(files) -> None:
    document = Document(str(files["notice"]))
    red = [r for r in runs_of(document) if r.find(f".//{qn('w:color')}") is not None]
    assert [run_text(r) for r in red] == [notice().issuer_mark]
    assert run_size(red[0]) == 72 and run_face(red[0]) == "方正小标宋简体"
    rules = [b for b in document.element.body.iter(qn("w:bottom")) if b.get(qn("w:color"))]
    red_rules = [b for b in rules if b.get(qn("w:color")) == "FF0000"]
    assert len(red_rules) == 1 and red_rules[0].get(qn("w:val")) == "single"
    number = red_rules[0].getparent().getparent().getparent()
    assert "".join(t.text for t in number.iter(qn("w:t"))) == notice().number
    letter_head = Document(str(files["letter"])).sections[0].first_page_header._element
    styles = [b.get(qn("w:val")) for b in letter_head.iter(qn("w:bottom"))]
    assert styles == ["thickThinMediumGap"]  # thick over thin under the 标志


def _field(footer) -> bool:  # type: ignore[no-untyped-def]
    return any("PAGE" in (t.text or "") for t in footer._element.iter(qn("w:instrText")))


def test_page_numbers_at_the_outer_side_none_on_a_letters_first_page(files) -> None:
    document = Document(str(files["notice"]))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd, even = section.footer, section.even_page_footer
    assert _field(odd) and _field(even)
    assert odd.paragraphs[0].alignment == 2 and even.paragraphs[0].alignment == 0  # right, left
    number = [r for r in odd.paragraphs[0]._p.iter(qn("w:r")) if run_text(r).strip()]
    assert {run_face(r) for r in number} == {"宋体"} and {run_size(r) for r in number} == {28}
    assert "".join(run_text(r) for r in number).replace(" ", "") == "—1—"
    assert not section.different_first_page_header_footer
    letter_section = Document(str(files["letter"])).sections[0]
    assert letter_section.different_first_page_header_footer
    assert not _field(letter_section.first_page_footer) and _field(letter_section.footer)


def test_tables_hold_what_the_pdf_prints(files) -> None:
    document = Document(str(files["notice"]))
    (table,) = document.tables[:1]
    expected = notice().attachments[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == list(expected.header)
    assert cells[1:] == [list(row) for row in expected.rows]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated per page
    printed = compact(text_of(files["notice.pdf"]))
    widths = tuple(w * MM for w in expected.widths_mm)
    for row in cells[1:]:  # each cell's lines as the PDF breaks and prints them
        wrapped, _height = row_layout(tuple(row), font_for(BODY), widths)
        for lines in wrapped:
            for line in lines:
                assert compact(line) in printed
    assert [r[3] for r in cells[1:]] == [f[3] for f in FINDINGS]


def test_the_copy_says_it_is_editable_and_carries_the_number_and_check_code(files) -> None:
    document = Document(str(files["notice"]))
    properties = document.core_properties
    assert properties.content_status == "可编辑副本"
    assert properties.subject == notice().number
    assert CODE[:12].upper() in properties.comments and "PDF" in properties.comments
    footer_text = "".join(t.text for t in document.sections[0].footer._element.iter(qn("w:t")))
    assert CODE[:12].upper() in footer_text and "以印发的 PDF 文件为准" in footer_text
    body = "".join(t.text for t in document.element.body.iter(qn("w:t")))
    assert notice().number in body and "2026年3月9日" in body
    assert "抄送：" in body and "2026年3月9日印发" in body  # the 版记
    assert not list(document.inline_shapes)  # no seal on an editable copy
