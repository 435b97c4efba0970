"""关于: the version (one place: pyproject.toml), the database in use, and what is inside the
program — the bundled fonts with their licences and the libraries with theirs — so a support
person can tell what an office runs and a reviewer what it may redistribute."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.paths import resources_dir
from app.ui.itemmodels.rows_model import RowsTableModel
from app.version_info import program_version


@dataclass(frozen=True)
class Part:
    name: str
    kind: str
    version: str
    licence: str
    note: str


# The licence each shipped library is distributed under (as its project states it). What each
# part is for is marked to be translated where it is shown (inside()).
LIBRARIES = (
    ("PySide6-Essentials", QT_TRANSLATE_NOOP("AboutDialog", "图形界面 Qt 6"), "LGPL-3.0"),
    ("shiboken6", QT_TRANSLATE_NOOP("AboutDialog", "Qt 绑定"), "LGPL-3.0"),
    ("SQLAlchemy", QT_TRANSLATE_NOOP("AboutDialog", "数据库"), "MIT"),
    ("alembic", QT_TRANSLATE_NOOP("AboutDialog", "数据库升级"), "MIT"),
    ("openpyxl", QT_TRANSLATE_NOOP("AboutDialog", "Excel 读写"), "MIT"),
    ("python-calamine", QT_TRANSLATE_NOOP("AboutDialog", "Excel/WPS（含 .xls）读取"), "MIT"),
    ("reportlab", QT_TRANSLATE_NOOP("AboutDialog", "PDF 生成"), "BSD-3-Clause"),
    ("rl_accel", QT_TRANSLATE_NOOP("AboutDialog", "PDF 加速"), "BSD-3-Clause"),
    ("pypdf", QT_TRANSLATE_NOOP("AboutDialog", "PDF 合并"), "BSD-3-Clause"),
    (
        "pypdfium2",
        QT_TRANSLATE_NOOP("AboutDialog", "PDF 预览与打印（PDFium）"),
        "Apache-2.0 / BSD-3-Clause",
    ),
    (
        "matplotlib",
        QT_TRANSLATE_NOOP("AboutDialog", "图表"),
        QT_TRANSLATE_NOOP("AboutDialog", "Matplotlib (PSF 类)"),
    ),
    ("numpy", QT_TRANSLATE_NOOP("AboutDialog", "图表计算"), "BSD-3-Clause"),
)
FONTS = (
    (
        "uming.ttc",
        QT_TRANSLATE_NOOP("AboutDialog", "AR PL UMing（明体，替代仿宋/宋体）"),
        "Arphic Public License",
        "uming-copyright.txt",
    ),
    (
        "ukai.ttc",
        QT_TRANSLATE_NOOP("AboutDialog", "AR PL UKai（楷体）"),
        "Arphic Public License",
        "ukai-copyright.txt",
    ),
    (
        "wqy-microhei.ttc",
        QT_TRANSLATE_NOOP("AboutDialog", "文泉驿微米黑（替代黑体）"),
        "Apache-2.0 / GPL-3.0 + FE",
        "wqy-microhei-copyright.txt",
    ),
)


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return QCoreApplication.translate("AboutDialog", "未安装")


def inside() -> list[Part]:
    """The bundled fonts (with the licence file beside them) and the libraries."""
    fonts = resources_dir() / "fonts"
    parts = []
    for name, label, licence, licence_file in FONTS:
        shipped = (fonts / name).is_file()
        note = (
            QCoreApplication.translate("AboutDialog", "{label}；许可证文件 {file}")
            if (fonts / "licenses" / licence_file).is_file()
            else QCoreApplication.translate("AboutDialog", "{label}；许可证文件 {file}（缺失）")
        )
        parts.append(
            Part(
                name,
                QCoreApplication.translate("AboutDialog", "字体"),
                QCoreApplication.translate("AboutDialog", "随程序")
                if shipped
                else QCoreApplication.translate("AboutDialog", "缺失"),
                licence,
                note.format(
                    label=QCoreApplication.translate("AboutDialog", label),
                    file=f"resources/fonts/licenses/{licence_file}",
                ),
            )
        )
    for name, what, licence in LIBRARIES:
        parts.append(
            Part(
                name,
                QCoreApplication.translate("AboutDialog", "程序库"),
                _installed(name),
                QCoreApplication.translate("AboutDialog", licence),
                QCoreApplication.translate("AboutDialog", what),
            )
        )
    return parts


class PartsModel(RowsTableModel[Part]):
    COLUMNS = (
        QT_TRANSLATE_NOOP("RowsTableModel", "名称"),
        QT_TRANSLATE_NOOP("RowsTableModel", "类别"),
        QT_TRANSLATE_NOOP("RowsTableModel", "版本"),
        QT_TRANSLATE_NOOP("RowsTableModel", "许可证"),
        QT_TRANSLATE_NOOP("RowsTableModel", "说明"),
    )

    def display(self, row: Part, column: int) -> str:
        return (row.name, row.kind, row.version, row.licence, row.note)[column]


class AboutDialog(QDialog):
    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于考评"))
        self.heading = QLabel(
            self.tr(
                "<h3>考评 Kaoping — 法治建设考核评分系统</h3>"
                "<p>版本 {v}　·　离线运行，不需要网络</p><p>数据库：{db}</p>"
            ).format(v=program_version(), db=database)
        )
        self.heading.setWordWrap(True)
        self.model = PartsModel(self)
        self.model.set_rows(inside())
        table = QTableView()
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(QLabel(self.tr("随程序提供的字体与程序库：")))
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.resize(960, 520)
