"""GB/T 9704 rules a reviewer checks on paper beyond the grid: the signature never stands on a
page without body text, a title line never splits a word, 抄送 wraps under its first name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from app.documents.fonts import TITLE, font_for
from app.documents.official.assembly import write_documents
from app.documents.official.grid import TEXT_WIDTH, TITLE_SIZE
from app.documents.official.lines import balanced_lines
from app.documents.official.model import FILE_LAYOUT, LETTER_LAYOUT, Block, OfficialDocument
from app.documents.textfit import name_words, round_words
from tests.documents.pdfcheck import HEIGHT, TOP

ISSUED = date(2026, 3, 9)
DAY_TEXT = "2026年3月9日"


def document(layout: str, paragraphs: int, **extra) -> OfficialDocument:  # type: ignore[no-untyped-def]
    blocks = [Block("para", f"第{i + 1}项工作已经按照要求完成。") for i in range(paragraphs)]
    return OfficialDocument(
        layout=layout,  # type: ignore[arg-type]
        issuer_mark="云州市全面依法治市委员会办公室文件",
        number="云法办〔2026〕1号",
        title="关于做好整改工作的通知",
        addressee="各市直单位",
        blocks=blocks,
        signature="云州市全面依法治市委员会办公室",
        issued_on=ISSUED,
        **extra,
    )


@pytest.mark.parametrize("layout", [FILE_LAYOUT, LETTER_LAYOUT])
def test_the_signature_never_stands_alone_on_a_page(layout: str, tmp_path: Path) -> None:
    """Whatever the length of the body, the page with the date also carries body text."""
    for paragraphs in range(8, 34):
        path = tmp_path / f"{layout}-{paragraphs}.pdf"
        write_documents(path, [document(layout, paragraphs)], "t")
        with pdfplumber.open(path) as pdf:
            (page,) = [p for p in pdf.pages if DAY_TEXT in (p.extract_text() or "")]
            body_lines = {
                round(c["top"])
                for c in page.chars
                if round(c["size"]) == 16 and c["top"] < TOP + HEIGHT and c["text"] == "项"
            }
            assert body_lines, (layout, paragraphs, "signature alone")
            lines = page.extract_text().splitlines()
            date_line = next(i for i, line in enumerate(lines) if DAY_TEXT in line)
            assert "项工作" in "".join(lines[:date_line])


def test_title_lines_break_only_between_words() -> None:
    font = font_for(TITLE)
    width = TEXT_WIDTH - 2 * TITLE_SIZE
    for unit in ("云州市民族宗教事务局", "云州市人民政府国有资产监督管理委员会", "云州市委党校"):
        parts = (
            "关于",
            *name_words(unit),
            "2025年度",
            "法治建设考核",
            "发现问题",
            "限期整改的通知",
        )
        lines = balanced_lines("".join(parts), width, font, TITLE_SIZE, parts)
        assert "".join(lines) == "".join(parts)
        ends = set()
        position = 0
        for part in parts:
            position += len(part)
            ends.add(position)
        position = 0
        for line in lines[:-1]:
            position += len(line)
            assert position in ends, (unit, lines)
        assert len(lines) == 2 or len(unit) > 14, lines  # the fewest lines that keep words


def test_a_title_made_long_by_a_long_name_is_laid_out_at_once() -> None:
    """A 400-character unit name (issue 15 §2: 10,002 characters spun `notices` for minutes):
    the title still breaks only between words and takes the fewest lines, without trying
    every grouping of its pieces. The alarm turns a hang into a failure."""
    import signal

    font = font_for(TITLE)
    width = TEXT_WIDTH - 2 * TITLE_SIZE
    parts = ("关于", "交通运输" * 100, "2025年度", "法治建设考核", "限期整改的通知")

    def too_slow(*_: object) -> None:
        raise TimeoutError("balanced_lines took more than 20 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        lines = balanced_lines("".join(parts), width, font, TITLE_SIZE, parts)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "".join(lines) == "".join(parts)
    per_line = int(width // TITLE_SIZE)  # the title's characters are all full width
    assert len(lines) <= 3 + len(parts[1]) // per_line + 1
    assert all(len(line) <= per_line for line in lines if set(line) <= set("交通运输"))


def test_words_of_names() -> None:
    assert name_words("云州市民政局") == ("云州市", "民政局")
    assert name_words("中共云州市委办公室") == ("中共云州市委办公室",)  # 市委 is one word
    assert name_words("云州市委党校") == ("云州市委党校",)
    assert round_words("2025年度法治政府建设考核") == ("2025年度", "法治政府建设考核")


def test_cc_wraps_under_the_first_name_after_the_colon(tmp_path: Path) -> None:
    cc = "市委办公室，市人大常委会办公室，市政府办公室，市政协办公室，市中级人民法院，市人民检察院"
    path = tmp_path / "cc.pdf"
    write_documents(path, [document(FILE_LAYOUT, 3, cc=cc, printer="云州市依法治市办")], "t")
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[-1].chars if round(c["size"]) == 14]
        rows: dict[int, list] = {}
        for c in chars:
            rows.setdefault(round(c["top"]), []).append(c)
        ordered = [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]
        first = next(r for r in ordered if r[0]["text"] == "抄")
        second = ordered[ordered.index(first) + 1]
        assert "".join(c["text"] for c in second).endswith("人民检察院。")  # the wrapped names
        name_start = next(c for c in first if c["text"] == "：")["x1"]
        assert second[0]["x0"] == pytest.approx(name_start, abs=1)
