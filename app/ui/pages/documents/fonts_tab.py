"""The 文书报告 page's 字体 tab: which font each role of the official format uses and where it
comes from. Kept apart from the page because it reads the fonts only when the tab is shown."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.ui.itemmodels.rows_model import RowsTableModel


class FontsTableModel(RowsTableModel[tuple[str, str, str, str]]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "用途"),
        QT_TRANSLATE_NOOP("RowsTableModel", "字体"),
        QT_TRANSLATE_NOOP("RowsTableModel", "来源"),
        QT_TRANSLATE_NOOP("RowsTableModel", "文件"),
    )

    def display(self, row: tuple[str, str, str, str], column: int) -> str:
        return row[column]


class FontsTab:
    """Mixed into DocumentsPage (a QWidget): builds the tab and fills it on request."""

    def _fonts_tab(self) -> QWidget:
        tab = QWidget()
        self.fonts_model = FontsTableModel(self)
        view = self.fonts_view = QTableView()
        view.setModel(self.fonts_model)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "公文字体优先使用本机 Windows 字体（方正小标宋、仿宋_GB2312、黑体、楷体、宋体）；"
                "未安装时使用程序自带的开源字体。PDF 中嵌入所用字体，缺字自动改用有该字的字体；"
                "所有字体都没有的字会在生成前提示，不会印成方框。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(view, 1)
        return tab

    def show_fonts(self) -> None:
        from app.documents.fonts import ROLE_NAMES, chosen_fonts

        self.fonts_model.set_rows(
            [
                (
                    ROLE_NAMES[f.role],
                    f.family,
                    self.tr("程序自带") if f.bundled else self.tr("本机已安装"),
                    str(f.path),
                )
                for f in chosen_fonts().values()
            ]
        )
        self.fonts_view.resizeColumnsToContents()
