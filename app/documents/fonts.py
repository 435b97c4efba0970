"""Which font serves each role of an official document, and registering it for reportlab.

GB/T 9704 asks for 方正小标宋 (titles, 发文机关标志), 仿宋_GB2312 (body), 黑体 (一、), 楷体 (（一）)
and 宋体 (page numbers). An office PC usually has them in the Windows font folder; they are used
from there and never shipped. Elsewhere the bundled free faces stand in (AR PL UMing for the Song
and FangSong roles, AR PL UKai for Kai, WenQuanYi Micro Hei for Hei): all TrueType, so reportlab
embeds a subset of each in every PDF. A character the chosen face lacks (仿宋_GB2312 covers only
GB 2312) is drawn with a fallback face that has it, so nothing comes out as a box.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.errors import BugError
from app.paths import resources_dir

TITLE, BODY, HEADING1, HEADING2, SONG = "title", "body", "heading1", "heading2", "song"
ROLE_NAMES = {
    TITLE: "标题、发文机关标志（小标宋）",
    BODY: "正文（仿宋）",
    HEADING1: "一级标题（黑体）",
    HEADING2: "二级标题（楷体）",
    SONG: "页码（宋体）",
}


@dataclass(frozen=True)
class Candidate:
    family: str
    filename: str
    subfont: int = 0


# Windows faces first (by their usual file names), the bundled face last.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    TITLE: (
        Candidate("方正小标宋简体", "FZXBSJW.TTF"),
        Candidate("方正小标宋_GBK", "FZXBSK.TTF"),
        Candidate("华文中宋", "STZHONGS.TTF"),
        Candidate("AR PL UMing", "uming.ttc"),
    ),
    BODY: (
        Candidate("仿宋_GB2312", "FangSong_GB2312.ttf"),
        Candidate("仿宋_GB2312", "simfang_GB2312.ttf"),
        Candidate("仿宋", "simfang.ttf"),
        Candidate("AR PL UMing", "uming.ttc"),
    ),
    HEADING1: (
        Candidate("黑体", "simhei.ttf"),
        Candidate("WenQuanYi Micro Hei", "wqy-microhei.ttc"),
    ),
    HEADING2: (
        Candidate("楷体_GB2312", "KaiTi_GB2312.ttf"),
        Candidate("楷体", "simkai.ttf"),
        Candidate("AR PL UKai", "ukai.ttc"),
    ),
    SONG: (Candidate("宋体", "simsun.ttc"), Candidate("AR PL UMing", "uming.ttc")),
}
# Faces that cover what a chosen face lacks, tried in order.
FALLBACKS = (
    Candidate("AR PL UMing", "uming.ttc"),
    Candidate("WenQuanYi Micro Hei", "wqy-microhei.ttc"),
)


@dataclass(frozen=True)
class ChosenFont:
    role: str
    family: str
    path: Path
    subfont: int
    bundled: bool
    pdf_name: str  # the name it is registered under in reportlab


def system_font_dirs() -> list[Path]:
    """The Windows font folders (machine-wide and per-user), plus KAOPING_FONT_DIRS."""
    dirs: list[Path] = []
    extra = os.environ.get("KAOPING_FONT_DIRS")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def bundled_dir() -> Path:
    return resources_dir() / "fonts"


def _find(candidate: Candidate, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        for name in (candidate.filename, candidate.filename.lower(), candidate.filename.upper()):
            path = folder / name
            if path.is_file():
                return path
    return None


def _pdf_name(path: Path, subfont: int) -> str:
    return f"kp-{path.stem}-{subfont}"


def _register(path: Path, subfont: int) -> str | None:
    """Register with reportlab; None when the file cannot be embedded (e.g. CFF outlines)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = _pdf_name(path, subfont)
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        font = TTFont(name, str(path), subfontIndex=subfont)
    except (TTFError, OSError, ValueError):
        return None
    _share_glyph_table(font.face)
    pdfmetrics.registerFont(font)
    return name


class _GlyphTable:
    """The font file's glyf table, sliced without copying the whole table first."""

    def __init__(self, data: memoryview) -> None:
        self._data = data

    def __getitem__(self, part: slice) -> bytes:
        return bytes(self._data[part])


def _share_glyph_table(face: object) -> None:
    """reportlab copies the whole glyf table (about 20 MB for AR PL UMing) for every subset
    it embeds, only to slice a few hundred glyphs out of it: a batch of 80 notices spent 0.7 s
    copying. Its subsetter only slices that table, so it gets a view of the file instead.
    Checked by the tests that read every embedded font back from the PDFs."""
    get_table = face.get_table  # type: ignore[attr-defined]
    get_table_pos = face.get_table_pos  # type: ignore[attr-defined]
    data = getattr(face, "_ttf_data", None)
    if not isinstance(data, bytes):
        return

    def glyf_as_view(tag: str) -> object:
        if tag != "glyf":
            return get_table(tag)
        position, length = get_table_pos(tag)
        return _GlyphTable(memoryview(data)[position : position + length])

    face.get_table = glyf_as_view  # type: ignore[attr-defined]


@cache
def chosen_fonts() -> dict[str, ChosenFont]:
    """The face for each role, registered with reportlab (cached for the process)."""
    dirs = system_font_dirs()
    chosen: dict[str, ChosenFont] = {}
    for role, candidates in CANDIDATES.items():
        for candidate in candidates:
            path = _find(candidate, dirs)
            bundled = path is None
            if path is None:
                path = _find(candidate, [bundled_dir()])
            if path is None:
                continue
            name = _register(path, candidate.subfont)
            if name is not None:
                chosen[role] = ChosenFont(
                    role, candidate.family, path, candidate.subfont, bundled, name
                )
                break
        else:
            raise BugError(f"没有可用于“{ROLE_NAMES[role]}”的字体：{bundled_dir()} 缺少字体文件")
    return chosen


@cache
def fallback_names() -> tuple[str, ...]:
    names = []
    for candidate in FALLBACKS:
        path = _find(candidate, [bundled_dir()])
        if path is not None:
            name = _register(path, candidate.subfont)
            if name is not None:
                names.append(name)
    return tuple(names)


def font_for(role: str) -> str:
    return chosen_fonts()[role].pdf_name


@cache
def _coverage(pdf_name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(pdf_name)
    return frozenset(font.face.charToGlyph) | {ord(" "), 0x3000}


def covers(pdf_name: str, char: str) -> bool:
    return ord(char) in _coverage(pdf_name)


def font_runs(text: str, pdf_name: str) -> list[tuple[str, str]]:
    """Split text into (run, font) so each character is drawn by a face that has it."""
    if _coverage(pdf_name).issuperset(map(ord, text)):
        return [(text, pdf_name)]  # the usual case, checked at C speed
    runs: list[tuple[str, str]] = []
    for char in text:
        font = pdf_name
        if not covers(pdf_name, char):
            font = next((f for f in fallback_names() if covers(f, char)), pdf_name)
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + char, font)
        else:
            runs.append((char, font))
    return runs


def missing_characters(text: str, pdf_name: str) -> set[str]:
    """Characters neither the face nor any fallback can draw (shown to the user, never boxes
    silently)."""
    if _coverage(pdf_name).issuperset(map(ord, text)):
        return set()
    return {
        c
        for c in text
        if not c.isspace()
        and not covers(pdf_name, c)
        and not any(covers(f, c) for f in fallback_names())
    }


def register_for_matplotlib() -> list[str]:
    """Make the bundled faces known to matplotlib; a Latin face stays first in the list so the
    minus sign and digits keep their usual shapes, Chinese falls back to the next face."""
    from matplotlib import font_manager, rcParams

    families = []
    for filename in ("wqy-microhei.ttc",):
        path = bundled_dir() / filename
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            families.append(font_manager.FontProperties(fname=str(path)).get_name())
    windows_hei = [p for d in system_font_dirs() if (p := d / "simhei.ttf").is_file()]
    for path in windows_hei[:1]:
        font_manager.fontManager.addfont(str(path))
        families.insert(0, font_manager.FontProperties(fname=str(path)).get_name())
    rcParams["font.family"] = ["DejaVu Sans", *families]
    rcParams["axes.unicode_minus"] = True
    return families
