"""帮助 → 使用手册: the manual shipped in resources/manual/ (one HTML file per section, pictures
made by the program itself with tools/manual_screenshots.py), read in a window of its own.
Local files only: no browser, no network. F1 opens the section of the page on screen."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.paths import resources_dir

HOME, FAQ = "index", "faq"
# The sections in the order of the office's year (as /work/shared/WALKTHROUGH.md tells it), each
# with the pages (keys of main_window.PAGES, as for --page) whose F1 opens it.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (HOME, ()),
    ("start", ("home",)),
    ("units", ("units",)),
    ("frameworks", ("frameworks",)),
    ("rounds", ("rounds",)),
    ("assignments", ()),
    ("offline-sheets", ()),
    ("scoring", ("scoring",)),
    ("evidence", ("evidence",)),
    ("satisfaction", ()),
    ("results", ("results",)),
    ("review", ("review",)),
    ("publication", ()),
    ("analysis", ("analysis",)),
    ("documents", ("documents",)),
    ("ledger", ("ledger",)),
    ("audit", ("audit",)),
    ("backups", ("backups",)),
    ("accounts", ("accounts",)),
    (FAQ, ()),
)
PAGE_SECTIONS = {page: stem for stem, pages in SECTIONS for page in pages}
PICTURE_WIDTH = 900  # a screenshot's width in the text; a click shows it at its own size
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
STEM_ROLE = Qt.ItemDataRole.UserRole


def manual_folder() -> Path:
    """resources/manual, in the source tree or the installed program."""
    return resources_dir() / "manual"


def section_file(stem: str) -> Path:
    return manual_folder() / f"{stem}.html"


def section_of(key: str) -> str:
    """The section for a page key or a section's own name; the contents for anything else."""
    if key in PAGE_SECTIONS:
        return PAGE_SECTIONS[key]
    return key if any(stem == key for stem, _ in SECTIONS) else HOME


def section_title(stem: str) -> str:
    """The section's <title>, as its list entry; its file name when the file cannot be read."""
    try:
        found = _TITLE.search(section_file(stem).read_text(encoding="utf-8"))
    except OSError:
        return stem
    return found.group(1).strip() if found else stem


class ManualBrowser(QTextBrowser):
    """Screenshots drawn smoothly at the text's width: Qt would scale them pixel by pixel and
    the Chinese in them would be unreadable."""

    def loadResource(self, kind: int, name: QUrl) -> object:
        target = self.source().resolved(name)
        if kind != QTextDocument.ResourceType.ImageResource.value or not target.isLocalFile():
            return super().loadResource(kind, name)
        image = QImage(target.toLocalFile())
        if image.isNull() or image.width() <= PICTURE_WIDTH:
            return image
        ratio = self.devicePixelRatioF()
        scaled = image.scaledToWidth(
            round(PICTURE_WIDTH * ratio), Qt.TransformationMode.SmoothTransformation
        )
        scaled.setDevicePixelRatio(ratio)
        return scaled


class PictureWindow(QDialog):
    """A screenshot at its full size (the manual shows it smaller), scrolled when larger than
    the screen."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("截图：{name}").format(name=path.name))
        self.picture = QLabel()
        self.picture.setPixmap(QPixmap(str(path)))
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        screen = QGuiApplication.primaryScreen().availableSize()
        wanted = self.picture.sizeHint() + QSize(40, 80)
        self.resize(wanted.boundedTo(screen * 0.95))


class ManualWindow(QWidget):
    """The sections listed on the left, the chosen one on the right; links move between
    sections, a picture opens at full size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("考评 使用手册"))
        self.contents = QListWidget()
        self.contents.setFixedWidth(190)
        for stem, _pages in SECTIONS:
            item = QListWidgetItem(section_title(stem))
            item.setData(STEM_ROLE, stem)
            self.contents.addItem(item)
        self.contents.itemClicked.connect(lambda item: self.show_section(item.data(STEM_ROLE)))
        self.browser = ManualBrowser()
        self.browser.setOpenLinks(False)  # every link is followed here (_follow): files only
        self.browser.anchorClicked.connect(self._follow)
        self.browser.sourceChanged.connect(self._shown)
        style = manual_folder() / "manual.css"
        if style.is_file():
            self.browser.document().setDefaultStyleSheet(style.read_text(encoding="utf-8"))
        self.back_button = QPushButton(self.tr("后退"))
        self.back_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.forward_button = QPushButton(self.tr("前进"))
        self.forward_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        for button in (self.back_button, self.forward_button):
            button.setEnabled(False)
        home = QPushButton(self.tr("目录"))
        home.clicked.connect(lambda: self.show_section(HOME))
        faq = QPushButton(self.tr("常见问题"))
        faq.clicked.connect(lambda: self.show_section(FAQ))
        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, home, faq):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("点击截图可看原尺寸")))
        right = QVBoxLayout()
        right.addLayout(bar)
        right.addWidget(self.browser, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.contents)
        layout.addLayout(right, 1)
        self.picture: PictureWindow | None = None
        screen = QGuiApplication.primaryScreen().availableSize()
        self.resize(QSize(PICTURE_WIDTH + 300, 820).boundedTo(screen))

    def show_section(self, key: str, anchor: str = "") -> None:
        """The section of a page (its key) or a section by name, at ``anchor`` if given."""
        url = QUrl.fromLocalFile(str(section_file(section_of(key))))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def current_section(self) -> str:
        return Path(self.browser.source().toLocalFile()).stem

    def _follow(self, link: QUrl) -> None:
        target = self.browser.source().resolved(link)
        if not target.isLocalFile():
            return  # the manual links nothing outside itself, and never the network
        path = Path(target.toLocalFile())
        if path.suffix.lower() == ".png":
            self.show_picture(path)
        elif path.suffix.lower() == ".html":
            self.browser.setSource(target)

    def show_picture(self, path: Path) -> PictureWindow:
        if self.picture is not None:
            self.picture.close()
        self.picture = PictureWindow(path, self)
        self.picture.show()
        return self.picture

    def _shown(self, url: QUrl) -> None:
        current = Path(url.toLocalFile()).stem  # source() is not yet the new one here
        for row in range(self.contents.count()):
            if self.contents.item(row).data(STEM_ROLE) == current:
                blocked = self.contents.blockSignals(True)
                self.contents.setCurrentRow(row)
                self.contents.blockSignals(blocked)
                return


def show_manual(owner: QWidget, key: str, anchor: str = "") -> ManualWindow:
    """The owner's manual window (one, made when first asked for) at the section of ``key``."""
    window = owner.findChild(ManualWindow)
    if window is None:
        window = ManualWindow(owner)
    window.show_section(key, anchor)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
