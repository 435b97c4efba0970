"""关于: the version (one place: pyproject.toml), the database in use, and what is inside the
program — the bundled fonts with their licences and the libraries with theirs — so a support
person can tell what an office runs and a reviewer what it may redistribute."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QT_TRANSLATE_NOOP
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


# The licence each shipped library is distributed under (as its project states it).
LIBRARIES = (
    ("PySide6-Essentials", "图形界面 Qt 6", "LGPL-3.0"),
    ("shiboken6", "Qt 绑定", "LGPL-3.0"),
    ("SQLAlchemy", "数据库", "MIT"),
    ("alembic", "数据库升级", "MIT"),
    ("openpyxl", "Excel 读写", "MIT"),
    ("python-calamine", "Excel/WPS（含 .xls）读取", "MIT"),
    ("reportlab", "PDF 生成", "BSD-3-Clause"),
    ("rl_accel", "PDF 加速", "BSD-3-Clause"),
    ("pypdf", "PDF 合并", "BSD-3-Clause"),
    ("pypdfium2", "PDF 预览与打印（PDFium）", "Apache-2.0 / BSD-3-Clause"),
    ("matplotlib", "图表", "Matplotlib (PSF 类)"),
    ("numpy", "图表计算", "BSD-3-Clause"),
)
FONTS = (
    (
        "uming.ttc",
        "AR PL UMing（明体，替代仿宋/宋体）",
        "Arphic Public License",
        "uming-copyright.txt",
    ),
    ("ukai.ttc", "AR PL UKai（楷体）", "Arphic Public License", "ukai-copyright.txt"),
    (
        "wqy-microhei.ttc",
        "文泉驿微米黑（替代黑体）",
        "Apache-2.0 / GPL-3.0 + FE",
        "wqy-microhei-copyright.txt",
    ),
)


def _installed(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "未安装"


def inside() -> list[Part]:
    """The bundled fonts (with the licence file beside them) and the libraries."""
    fonts = resources_dir() / "fonts"
    parts = [
        Part(
            name,
            "字体",
            "随程序" if (fonts / name).is_file() else "缺失",
            licence,
            f"{label}；许可证文件 resources/fonts/licenses/{licence_file}"
            + ("" if (fonts / "licenses" / licence_file).is_file() else "（缺失）"),
        )
        for name, label, licence, licence_file in FONTS
    ]
    parts += [
        Part(name, "程序库", _installed(name), licence, what) for name, what, licence in LIBRARIES
    ]
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
