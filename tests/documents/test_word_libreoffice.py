"""Each .docx through a real office suite: LibreOffice (headless, installed when missing by
tools/libreoffice.py) converts them to PDF in one start, and the converted pages pass the
GB/T 9704 checks the PDFs pass (tests/documents/test_notices.py): the 版心's edges, 22 lines
a page, 28 characters a line, the red 标志's place, the page numbers' place and side."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

from app.documents.word.writer import write_docx
from tests.documents.pdfcheck import A4, HEIGHT, LEFT, MM, TOP, WIDTH
from tests.documents.word_samples import letter, notice
from tools.libreoffice import convert

LINE_PITCH = HEIGHT / 22


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word-lo")
    files = []
    for name, document in (("notice", notice()), ("letter", letter())):
        files.append(folder / f"{name}.docx")
        write_docx(files[-1], [document], document.title)
    pdfs = convert(files, folder / "pdf", folder / "office")  # one start for all
    return {p.stem: p for p in pdfs}


def body_lines(page) -> dict[float, list]:  # type: ignore[no-untyped-def, type-arg]
    """The 三号 characters inside the 版心's height, by line."""
    lines: dict[float, list] = defaultdict(list)
    for c in page.chars:
        if round(c["size"]) == 16 and TOP - 1 <= c["top"] < TOP + HEIGHT:
            lines[round(c["top"], 0)].append(c)
    return lines


def full_width_run(chars: list) -> int:  # type: ignore[type-arg]
    """The most full-width characters on a line one after another at the grid's pitch (a
    digit or a Latin letter between them breaks the run)."""
    pitch = WIDTH / 28
    best = run = 0
    previous = None
    for c in sorted(chars, key=lambda c: c["x0"]):
        wide = ord(c["text"]) >= 0x2E80
        if wide and previous is not None and abs(c["x0"] - previous["x0"] - pitch) < 0.4:
            run += 1
        else:
            run = 1 if wide else 0
        previous = c if wide else None
        best = max(best, run)
    return best


def test_body_text_stays_in_the_text_block_22_lines_of_28(converted) -> None:
    for name, path in converted.items():
        with pdfplumber.open(path) as pdf:
            full_pages = 0
            widest = 0
            for page in pdf.pages:
                assert (page.width, page.height) == pytest.approx(A4, abs=0.5)
                for c in page.chars:
                    if round(c["size"]) == 16:  # a closing mark may hang one character out
                        assert c["x0"] >= LEFT - 0.5 and c["x1"] <= LEFT + WIDTH + 16 + 2, name
                        assert c["top"] >= TOP - 0.5 and c["bottom"] <= TOP + HEIGHT + 0.5
                lines = body_lines(page)
                assert len(lines) <= 22
                tops = sorted(lines)
                titles = [c["top"] for c in page.chars if round(c["size"]) >= 22]
                for upper, lower in itertools.pairwise(tops):
                    if any(upper < t < lower for t in titles):
                        continue  # a 2号 title between them takes its own lines
                    steps = (lower - upper) / LINE_PITCH  # lines sit on the grid's pitch
                    assert abs(steps - round(steps)) < 0.08, (name, upper, lower)
                full_pages += len(lines) == 22
                widest = max([widest, *(full_width_run(chars) for chars in lines.values())])
            assert full_pages >= 1, name  # a page of body text fills all 22 lines
            assert widest == 28, name  # and a line of 汉字 holds 28 of them


def test_the_red_mark_sits_where_the_standard_puts_it(converted) -> None:
    with pdfplumber.open(converted["notice"]) as pdf:
        mark = [c for c in pdf.pages[0].chars if c["size"] > 30]
        assert "".join(c["text"] for c in mark) == notice().issuer_mark
        assert all(c["non_stroking_color"] in ((1, 0, 0), [1, 0, 0]) for c in mark)
        top = min(c["top"] for c in mark)
        assert TOP + 35 * MM - 1 <= top <= TOP + 35 * MM + 2  # 35 mm below the 版心's top
        assert all(c["x0"] >= LEFT - 0.5 and c["x1"] <= LEFT + WIDTH + 0.5 for c in mark)
    with pdfplumber.open(converted["letter"]) as pdf:
        first = pdf.pages[0]
        top = min(c["top"] for c in first.chars if c["size"] > 30)
        assert top == pytest.approx(30 * MM, abs=1.5 * MM)  # 30 mm from the page's top
        red = [
            r
            for r in first.lines + first.rects
            if r.get("stroking_color") in ((1, 0, 0), [1, 0, 0])
            or r.get("non_stroking_color") in ((1, 0, 0), [1, 0, 0])
        ]
        for rule in red:
            assert rule["x1"] - rule["x0"] == pytest.approx(170 * MM, abs=1)
        assert max(r["top"] for r in red) == pytest.approx(first.height - 20 * MM, abs=2.5 * MM)


def test_page_numbers_sit_below_the_text_block_outer_side(converted) -> None:
    for name, path in converted.items():
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                marks = [
                    c for c in page.chars if round(c["size"]) == 14 and c["top"] > TOP + HEIGHT
                ]
                if name == "letter" and number == 1:
                    assert not marks  # none on a letter's first page
                    continue
                assert "".join(c["text"] for c in marks).replace(" ", "") == f"—{number}—"
                assert marks[0]["top"] == pytest.approx(TOP + HEIGHT + 7 * MM, abs=1.5)
                if number % 2:
                    assert marks[-1]["x1"] == pytest.approx(LEFT + WIDTH - 14, abs=1.5)
                else:
                    assert marks[0]["x0"] == pytest.approx(LEFT + 14, abs=1.5)
