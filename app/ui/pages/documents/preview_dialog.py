"""预览与打印: a generated PDF shown page by page in the window and printed at full size, so an
office PC needs no PDF viewer to check a notice before it leaves."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.documents.render import PageImage, PdfPages
from app.ui.open_externally import open_externally

ZOOMS = {"50%": 0.5, "75%": 0.75, "100%": 1.0, "150%": 1.5}
SCREEN_DPI = 96
PRINT_DPI_LIMIT = 300  # sharp on paper; higher only costs memory and time


def to_image(page: PageImage) -> QImage:
    image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBX8888)
    return image.copy()  # own the pixels: the bytes object goes away


class DocumentPreviewDialog(QDialog):
    """Pages are drawn when they scroll into view, so a 600-page 通报 opens at once."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("预览：{title}").format(title=title))
        self.path = path
        self.pages = PdfPages(path)
        self.rendered: set[int] = set()
        self.zoom_box = QComboBox()
        self.zoom_box.addItems(list(ZOOMS))
        self.zoom_box.setCurrentText("75%")
        self.print_button = QPushButton(self.tr("打印…"))
        self.open_button = QPushButton(self.tr("用其他程序打开"))
        close_button = QPushButton(self.tr("关闭"))
        self.count_label = QLabel(self.tr("共 {n} 页").format(n=len(self.pages)))
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.sheet = QWidget()
        self.sheet.setStyleSheet("background: #808080")
        self.sheet_layout = QVBoxLayout(self.sheet)
        self.sheet_layout.setSpacing(12)
        self.sheet_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for _ in range(len(self.pages)):
            label = QLabel()
            label.setStyleSheet("background: white")
            self.page_labels.append(label)
            self.sheet_layout.addWidget(label)
        self.scroll.setWidget(self.sheet)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("缩放")))
        bar.addWidget(self.zoom_box)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for button in (self.print_button, self.open_button, close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.resize(820, 900)
        self.zoom_box.currentTextChanged.connect(self.set_zoom)
        self.scroll.verticalScrollBar().valueChanged.connect(self.render_visible)
        self.print_button.clicked.connect(lambda: self.print_document())
        self.open_button.clicked.connect(lambda: open_externally(self.path))
        close_button.clicked.connect(self.accept)
        self.finished.connect(lambda _result: self.pages.close())
        self.set_zoom(self.zoom_box.currentText())

    def dpi(self) -> float:
        return SCREEN_DPI * ZOOMS[self.zoom_box.currentText()]

    def set_zoom(self, _text: str) -> None:
        scale = self.dpi() / 72
        self.rendered.clear()
        for index, label in enumerate(self.page_labels):
            width, height = self.pages.size(index)
            label.clear()
            label.setFixedSize(round(width * scale), round(height * scale))
        self.render_visible()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def] - Qt's signature
        super().showEvent(event)
        self.render_visible()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def] - Qt's signature
        super().resizeEvent(event)
        self.render_visible()

    def visible_pages(self) -> list[int]:
        """Pages in the viewport, from their sizes (the layout may not have placed them yet)."""
        top = self.scroll.verticalScrollBar().value()
        bottom = top + max(self.scroll.viewport().height(), 1)
        y = self.sheet_layout.contentsMargins().top()
        shown = []
        for index, label in enumerate(self.page_labels):
            height = label.height()
            if y < bottom and y + height > top:
                shown.append(index)
            elif y >= bottom:
                break
            y += height + self.sheet_layout.spacing()
        return shown

    def render_visible(self) -> None:
        if not self.page_labels:
            return
        wanted = self.visible_pages() or [0]
        for index in wanted:
            if index in self.rendered:
                continue
            image = to_image(self.pages.render(index, self.dpi()))
            self.page_labels[index].setPixmap(QPixmap.fromImage(image))
            self.rendered.add(index)

    # -- printing -------------------------------------------------------------------------
    def print_document(self, printer: QPrinter | None = None) -> int:
        """Print through the system's dialog (or to ``printer`` as given); returns pages sent."""
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            dialog = QPrintDialog(printer, self)
            dialog.setMinMax(1, len(self.pages))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        return print_pages(self.pages, printer, self)


def print_pages(pages: PdfPages, printer: QPrinter, parent: QWidget | None = None) -> int:
    """Each page at full size on the paper (no shrinking to the printer's margins: the
    standard's 天头 and 订口 are measured from the paper's edge), with a cancel button."""
    printer.setFullPage(True)
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), len(pages)) if printer.toPage() else len(pages)
    dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
    progress = QProgressDialog(
        QCoreApplication.translate("DocumentPreviewDialog", "正在打印…"),
        QCoreApplication.translate("DocumentPreviewDialog", "取消"),
        0,
        last - first + 1,
        parent,
    )
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    sent = 0
    try:
        for index in range(first - 1, last):
            if progress.wasCanceled():
                break
            if sent:
                printer.newPage()
            width, height = pages.size(index)
            scale = printer.resolution() / 72  # the painter's origin is the paper's corner
            target = QRect(0, 0, round(width * scale), round(height * scale))
            painter.drawImage(target, to_image(pages.render(index, dpi)))
            sent += 1
            progress.setValue(sent)
            QApplication.processEvents()
    finally:
        painter.end()
        progress.close()
    return sent
