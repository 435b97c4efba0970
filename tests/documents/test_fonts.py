"""Fonts: the Windows faces win when installed, the bundled ones stand in, a character one face
lacks is drawn by another, and a character no face has stops the document instead of a box."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from app.documents import fonts
from app.documents.fonts import (
    BODY,
    HEADING1,
    HEADING2,
    ROLE_NAMES,
    TITLE,
    bundled_dir,
    chosen_fonts,
    font_for,
    font_runs,
    missing_characters,
)
from app.documents.official.assembly import write_documents
from app.documents.official.model import FILE_LAYOUT, Block, OfficialDocument
from app.errors import UserError
from tests.documents.pdfcheck import compact, text_of, unembedded_fonts


@pytest.fixture
def fresh_choice(monkeypatch: pytest.MonkeyPatch):
    """Choose the faces again for the test, and again afterwards for the other tests."""
    chosen_fonts.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    chosen_fonts.cache_clear()


def test_every_role_has_a_bundled_face_without_windows_fonts(fresh_choice) -> None:
    fresh_choice.setattr(fonts, "system_font_dirs", list)  # a PC without the Windows faces
    chosen = chosen_fonts()
    assert set(chosen) == set(ROLE_NAMES)
    assert all(f.bundled and f.path.parent == bundled_dir() for f in chosen.values())
    assert chosen[HEADING2].family == "AR PL UKai"  # 楷 for （一）
    assert chosen[HEADING1].family == "WenQuanYi Micro Hei"  # a 黑 face for 一、


def test_windows_font_folder_comes_first(fresh_choice, tmp_path: Path) -> None:
    # stand-ins under the Windows file names (the real ones are never shipped)
    (tmp_path / "simkai.ttf").symlink_to(bundled_dir() / "ukai.ttc")
    (tmp_path / "SIMHEI.TTF").symlink_to(bundled_dir() / "wqy-microhei.ttc")
    fresh_choice.setenv("KAOPING_FONT_DIRS", str(tmp_path))  # searched before the Windows folders
    chosen = chosen_fonts()
    assert (chosen[HEADING2].family, chosen[HEADING2].bundled) == ("楷体", False)
    assert chosen[HEADING2].path == tmp_path / "simkai.ttf"
    assert (chosen[HEADING1].family, chosen[HEADING1].bundled) == ("黑体", False)
    if sys.platform != "win32":
        assert chosen[BODY].bundled and chosen[TITLE].bundled  # not installed: bundled faces


def test_a_character_the_body_face_lacks_is_drawn_by_a_fallback(tmp_path: Path) -> None:
    body = font_for(BODY)
    others = [f for f in fonts.fallback_names() if f != body]
    lacking = sorted(
        chr(code)
        for code in fonts._coverage(others[-1])
        if 0x4E00 <= code <= 0x9FFF and not fonts.covers(body, chr(code))
    )
    assert lacking, "the bundled faces cover the same characters: pick another test character"
    rare = lacking[0]
    runs = font_runs(f"云州市{rare}局", body)
    assert [font for _, font in runs] == [body, others[-1], body]
    document = OfficialDocument(
        layout=FILE_LAYOUT,
        issuer_mark="云州市全面依法治市委员会办公室文件",
        number="云法办〔2026〕1号",
        title="关于整改的通知",
        addressee=f"云州市{rare}局",
        blocks=[Block("para", f"你单位（云州市{rare}局）存在以下问题。")],
        signature="云州市全面依法治市委员会办公室",
        issued_on=date(2026, 3, 9),
    )
    path = tmp_path / "rare.pdf"
    write_documents(path, [document], "t")
    assert f"云州市{rare}局" in compact(text_of(path))
    with pdfplumber.open(path) as pdf:
        drawn = [c for c in pdf.pages[0].chars if c["text"] == rare]
        assert drawn and all("WenQuanYi" in c["fontname"] for c in drawn)
    assert unembedded_fonts(path) == []


def test_a_character_no_face_has_stops_the_document(tmp_path: Path) -> None:
    assert missing_characters("云州市\U0001f600局", font_for(BODY)) == {"\U0001f600"}
    document = OfficialDocument(
        layout=FILE_LAYOUT,
        issuer_mark="云州市全面依法治市委员会办公室文件",
        number="云法办〔2026〕1号",
        title="关于整改的通知",
        addressee="云州市民政局",
        blocks=[Block("para", "扣分理由：台账未更新\U0001f600。")],
        signature="云州市全面依法治市委员会办公室",
        issued_on=date(2026, 3, 9),
    )
    with pytest.raises(UserError, match="U\\+1F600"):
        write_documents(tmp_path / "box.pdf", [document], "t")
    assert not (tmp_path / "box.pdf").exists()
