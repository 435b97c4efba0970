"""输出格式: whether the page's batches write PDF, Word or both — chosen once by the clerk and
kept in this computer's settings, so the next start writes what she chose last."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from app.settings import load_settings, save_settings


class FormatBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for key, label in (
            ("pdf", self.tr("PDF")),
            ("docx", self.tr("Word")),
            ("both", self.tr("PDF 和 Word")),
        ):
            self.addItem(label, key)
        self.setCurrentIndex(max(0, self.findData(load_settings().document_formats)))
        self.setToolTip(
            self.tr(
                "批量生成的文书保存为 PDF、Word（.docx，可编辑副本）或两者。印发的文书总是生成"
                " PDF 正本（编号、登记、存档），选择 Word 时在其旁另存可编辑副本。"
            )
        )
        self.currentIndexChanged.connect(self._remember)

    def _remember(self, _index: int) -> None:
        settings = load_settings()
        settings.document_formats = self.currentData()
        save_settings(settings)

    @property
    def wants_pdf(self) -> bool:
        return self.currentData() in ("pdf", "both")

    @property
    def wants_docx(self) -> bool:
        return self.currentData() in ("docx", "both")
