"""One evidence file drawn inside the window, offline: a PDF's first pages (PDFium, bundled with
pypdfium2 — Qt's own QtPdf is not in the PySide6-Essentials wheel the program ships), an image
(Qt's image readers: jpg, png, gif, bmp, tif, webp), a text. Office, WPS and OFD files open in
the system's viewer from a temporary copy, never from the store. Drawing runs off the GUI
thread on a copy the services make; only the newest request's pictures are shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.documents.render import PdfPages
from app.models.database import Database
from app.services.evidence.listing import copy_to_open, preview_copy
from app.services.evidence.unit_state import HeldFile
from app.ui.open_externally import open_externally
from app.ui.tasks import run_task

FIRST_PAGES = 3  # drawn at once; the whole document opens in the preview window
MAX_TEXT = 200_000  # characters of a text file shown
PDF, IMAGE, TEXT = "PDF", "图片", "文本"


@dataclass
class Drawn:
    """What a worker made of a file: page pictures, or a text, and the copy they came from."""

    path: Path
    images: list[QImage] = field(default_factory=list)
    pages: int = 0
    text: str | None = None
    problem: str = ""


def draw_file(db: Database, file: HeldFile, width: int) -> Drawn:
    """In a worker: the file's copy, drawn ``width`` pixels wide (QImage may be made off the
    GUI thread; QPixmap may not)."""
    path = preview_copy(db, file.sha256, file.name)
    drawn = Drawn(path)
    if file.kind == PDF:
        try:
            with PdfPages(path) as pdf:
                drawn.pages = len(pdf)
                for index in range(min(FIRST_PAGES, drawn.pages)):
                    page_width, _ = pdf.size(index)
                    page = pdf.render(index, 72 * width / max(page_width, 1))
                    image = QImage(
                        page.pixels,
                        page.width,
                        page.height,
                        page.stride,
                        QImage.Format.Format_RGBX8888,
                    )
                    drawn.images.append(image.copy())
        except Exception as error:  # a damaged PDF: said in the panel, the viewer may cope
            drawn.problem = str(error) or type(error).__name__
    elif file.kind == IMAGE:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # a phone photo's EXIF rotation
        size = reader.size()
        if size.isValid() and size.width() > width:
            reader.setScaledSize(QSize(width, round(size.height() * width / size.width())))
        image = reader.read()
        if image.isNull():
            drawn.problem = reader.errorString()
        else:
            drawn.images.append(image)
    elif file.kind == TEXT:
        raw = path.read_bytes()[: MAX_TEXT * 4]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                drawn.text = raw.decode(encoding)[:MAX_TEXT]
                break
            except UnicodeDecodeError:
                continue
        else:
            drawn.text = raw.decode("gb18030", errors="replace")[:MAX_TEXT]
    return drawn


class FileView(QWidget):
    """The chosen file, drawn; buttons to see all its pages or open it in the system's
    viewer. ``drawn`` fires when the pictures are on screen (the panel times itself)."""

    drawn = Signal()
    failed = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._asked = 0
        self.file: HeldFile | None = None
        self.shown: Drawn | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.all_pages_button = QPushButton(self.tr("查看全部页面…"))
        self.all_pages_button.setToolTip(self.tr("在预览窗口中查看、缩放、打印全部页面"))
        self.open_button = QPushButton(self.tr("用系统程序打开"))
        self.open_button.setToolTip(self.tr("打开的是临时副本：在其他程序中修改不会改动保存的材料"))
        self.pages = QWidget()
        self.pages.setStyleSheet("background: #808080")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setSpacing(8)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(self.all_pages_button)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.text, 1)
        self.all_pages_button.clicked.connect(self.show_all_pages)
        self.open_button.clicked.connect(self.open_in_system)
        self.show_file(None)

    def page_labels(self) -> list[QLabel]:
        return [self.pages_layout.itemAt(i).widget() for i in range(self.pages_layout.count())]  # type: ignore[misc] - only labels are added

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            widget = self.pages_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def show_file(self, file: HeldFile | None) -> None:
        """Draw ``file`` (None: nothing chosen)."""
        self._asked += 1
        asked = self._asked
        self.file, self.shown = file, None
        self._clear_pages()
        self.text.hide()
        self.scroll.show()
        self.all_pages_button.setVisible(False)
        self.open_button.setEnabled(file is not None)
        if file is None:
            self.note.setText(self.tr("没有可显示的文件"))
            return
        if file.kind not in (PDF, IMAGE, TEXT):
            self.note.setText(
                self.tr("{kind} 文件不能在本程序中显示：请点“用系统程序打开”").format(
                    kind=file.kind
                )
            )
            self.drawn.emit()
            return
        self.note.setText(self.tr("正在显示“{name}”……").format(name=file.name))
        width = max(self.scroll.viewport().width() - 24, 200)

        def done(drawn: Drawn) -> None:
            if isValid(self) and asked == self._asked:
                self._show(drawn)

        def failed(error: Exception) -> None:
            if isValid(self) and asked == self._asked:
                self.note.setText(self.tr("无法显示：{error}").format(error=error))
                self.failed.emit(error)

        run_task(lambda: draw_file(self._db, file, width), done, failed)

    def _show(self, drawn: Drawn) -> None:
        self.shown = drawn
        assert self.file is not None
        if drawn.text is not None:
            self.scroll.hide()
            self.text.setPlainText(drawn.text)
            self.text.show()
            self.note.setText(self.file.name)
        for image in drawn.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)
        if drawn.problem:
            self.note.setText(
                self.tr("无法在本程序中显示（{problem}）：请点“用系统程序打开”").format(
                    problem=drawn.problem
                )
            )
        elif drawn.pages:
            self.note.setText(
                self.tr("{name}：共 {n} 页，这里显示前 {m} 页").format(
                    name=self.file.name, n=drawn.pages, m=len(drawn.images)
                )
                if drawn.pages > len(drawn.images)
                else self.tr("{name}：共 {n} 页").format(name=self.file.name, n=drawn.pages)
            )
            self.all_pages_button.setVisible(True)
        elif drawn.images:
            self.note.setText(self.file.name)
        self.drawn.emit()

    def show_all_pages(self) -> QWidget | None:
        if self.shown is None or self.file is None:
            return None
        from app.ui.pages.documents.preview_dialog import DocumentPreviewDialog

        dialog = DocumentPreviewDialog(self.shown.path, self.file.name, self)
        dialog.open()
        return dialog

    def open_in_system(self) -> None:
        """A fresh temporary copy each time, opened by the system's program for its type."""
        file = self.file
        if file is None:
            return
        run_task(
            lambda: copy_to_open(self._db, file.sha256, file.name),
            lambda path: open_externally(path) if isValid(self) else None,
            lambda error: self.failed.emit(error) if isValid(self) else None,
        )
