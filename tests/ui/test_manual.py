"""帮助 → 使用手册 (issue 17 §2): the manual in resources/manual/ opens in its own window at the
section of the page on screen (F1); every page has a section, every link and picture is a local
file that exists, the Chinese renders with the bundled font, and the messages it quotes are the
program's own."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont, QImage, QKeySequence, QRawFont, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models.database import Database
from app.models.opening import open_database
from app.ui.fonts import register_bundled_fonts
from app.ui.main_window import PAGES, MainWindow
from app.ui.manual_window import (
    FAQ,
    HOME,
    PAGE_SECTIONS,
    PICTURE_WIDTH,
    SECTIONS,
    ManualWindow,
    manual_folder,
    section_file,
    section_title,
)

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r'(?:href|src)="([^"]*)"')
ANCHOR = re.compile(r'<a name="([^"]+)"')
MESSAGE = re.compile(r'<p class="msg">(.*?)</p>', re.S)
PLACEHOLDER = "…"


def _texts() -> dict[str, str]:
    return {stem: section_file(stem).read_text(encoding="utf-8") for stem, _ in SECTIONS}


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    db: Database = open_database(tmp_path / "manual.db")
    shown = MainWindow(db, "manual")
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    db.dispose()


def test_every_page_has_a_section_and_every_section_a_file() -> None:
    keys = [key for key, *_ in PAGES]
    assert sorted(PAGE_SECTIONS) == sorted(keys)
    for stem, _pages in SECTIONS:
        assert section_file(stem).is_file(), stem
        assert section_title(stem) != stem, f"{stem}.html has no <title>"
    shipped = {path.stem for path in manual_folder().glob("*.html")}
    assert shipped == {stem for stem, _ in SECTIONS}  # no section left out of the contents


def test_every_link_and_picture_is_a_local_file_that_exists() -> None:
    referenced: set[Path] = set()
    for stem, text in _texts().items():
        for link in LINK.findall(text):
            assert "://" not in link and not link.startswith("//"), (stem, link)
            target, _, anchor = link.partition("#")
            path = (manual_folder() / target).resolve() if target else section_file(stem)
            assert path.is_file(), (stem, link)
            assert manual_folder().resolve() in path.parents, (stem, link)
            if anchor:
                assert anchor in ANCHOR.findall(path.read_text(encoding="utf-8")), (stem, link)
            if path.suffix == ".png":
                referenced.add(path)
    for stem, text in _texts().items():  # a picture's line is not 150 % of its height
        shown = re.findall(r'<p class="picture"><a href="([^"]+)"><img src="\1"></a></p>', text)
        assert len(shown) == text.count("<img"), stem
    pictures = {path.resolve() for path in (manual_folder() / "images").glob("*")}
    assert pictures == referenced  # every picture is shown, none is missing
    total = sum(path.stat().st_size for path in pictures)
    assert total < 3_000_000, f"the manual's pictures take {total} bytes"


def test_the_manual_only_quotes_messages_the_program_gives() -> None:
    """Each quoted message, cut at its placeholders, is found in a text of app/ (its string
    literals, an f-string's values read as placeholders), so a reworded message shows here."""
    literals: list[str] = []
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                literals.append(
                    "".join(
                        part.value if isinstance(part, ast.Constant) else PLACEHOLDER
                        for part in node.values
                    )
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.append(re.sub(r"\{[^{}]*\}", PLACEHOLDER, node.value))
    corpus = "\n".join(literals)
    quoted = [m for text in _texts().values() for m in MESSAGE.findall(text)]
    assert len(quoted) > 40
    for message in quoted:
        for part in message.split(PLACEHOLDER):
            assert part.strip() in corpus, f"not the program's words: {part!r} in {message!r}"


def test_the_chinese_has_glyphs_in_the_bundled_font(qapp: QApplication) -> None:
    """Shown with the font the program ships (an office PC may have no Chinese font the
    program knows), no character of the manual is a box."""
    assert "WenQuanYi Micro Hei" in register_bundled_fonts()
    font = QRawFont.fromFont(QFont("WenQuanYi Micro Hei"))
    text = re.sub(r"<[^>]+>", "", "".join(_texts().values()))
    missing = sorted({c for c in text if ord(c) > 127 and not font.supportsCharacter(ord(c))})
    assert missing == []


def test_f1_opens_the_section_of_the_page_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitExposed(window)
    for key in window.page_keys:
        window.show_page(key)
        window.activateWindow()
        qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_F1)
        manual = window.findChild(ManualWindow)
        assert manual is not None and manual.isVisible(), key
        assert manual.current_section() == PAGE_SECTIONS[key], key
        row = manual.contents.currentItem()
        assert row.text() == section_title(PAGE_SECTIONS[key])
    assert len(window.findChildren(ManualWindow)) == 1  # one window, moved to each section


def test_the_help_menu(window: MainWindow) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    actions = {a.text(): a for a in help_menu.actions()}
    assert list(actions) == ["使用手册", "常见问题", "关于考评…"]
    assert actions["使用手册"].shortcut() == QKeySequence(Qt.Key.Key_F1)
    actions["常见问题"].trigger()
    manual = window.findChild(ManualWindow)
    assert manual is not None and manual.current_section() == FAQ
    window.show_page("ledger")
    actions["使用手册"].trigger()
    assert manual.current_section() == "ledger"


def test_pictures_are_drawn_smoothly_and_open_at_full_size(qtbot: QtBot) -> None:
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.show_section("results")
    url = QUrl("images/results.png")
    image = manual.browser.loadResource(QTextDocument.ResourceType.ImageResource.value, url)
    assert isinstance(image, QImage) and not image.isNull()
    assert round(image.width() / image.devicePixelRatio()) == PICTURE_WIDTH
    manual.browser.anchorClicked.emit(url)  # a click on the picture
    assert manual.picture is not None and manual.picture.isVisible()
    full = QImage(str(manual_folder() / "images" / "results.png"))
    assert manual.picture.picture.pixmap().width() == full.width() > PICTURE_WIDTH


def test_links_move_between_sections_and_never_leave_the_manual(qtbot: QtBot) -> None:
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.show_section("nowhere")  # anything unknown: the contents
    assert manual.current_section() == HOME
    manual.browser.anchorClicked.emit(QUrl("rounds.html"))
    assert manual.current_section() == "rounds"
    manual.browser.anchorClicked.emit(QUrl("faq.html#permissions"))
    assert manual.current_section() == FAQ
    assert manual.browser.source().fragment() == "permissions"
    manual.browser.anchorClicked.emit(QUrl("https://example.com/manual.html"))
    assert manual.browser.source().isLocalFile() and manual.current_section() == FAQ
    manual.back_button.click()
    assert manual.current_section() == "rounds"
    manual.contents.itemClicked.emit(manual.contents.item(len(SECTIONS) - 1))
    assert manual.current_section() == FAQ


def test_both_builds_check_that_they_ship_the_manual() -> None:
    """The PyInstaller spec and the Windows installer copy all of resources/; their builds
    fail when the manual is not inside."""
    for script in ("build-linux.sh", "build-windows.sh"):
        text = (ROOT / "packaging" / script).read_text(encoding="utf-8")
        for needed in ("resources/manual/index.html", "resources/manual/images/results.png"):
            assert needed in text and (ROOT / needed).is_file(), (script, needed)
