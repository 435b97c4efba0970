"""Files chosen to go with an objection or a progress report (they are checked and stored in
the evidence store when the form is submitted): a list, 添加文件… and 移除."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

EVIDENCE_FILTER = (
    "*.pdf *.ofd *.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp "
    "*.doc *.docx *.xls *.xlsx *.wps *.et *.dps *.txt"
)


class FilePicker(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        self.add_button = QPushButton(self.tr("添加文件…"))
        self.remove_button = QPushButton(self.tr("移除"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.choose())
        self.remove_button.clicked.connect(self._remove)

    def choose(self, paths: list[str] | None = None) -> None:
        paths = (
            paths
            or QFileDialog.getOpenFileNames(
                self,
                self.tr("选择佐证材料"),
                "",
                self.tr("佐证材料 ({patterns})").format(patterns=EVIDENCE_FILTER),
            )[0]
        )
        shown = set(self.paths())
        for path in paths:
            if Path(path) not in shown:
                self.list.addItem(str(path))

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def paths(self) -> list[Path]:
        return [Path(self.list.item(i).text()) for i in range(self.list.count())]
