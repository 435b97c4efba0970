"""开始使用: on the home page until the first round exists, the three steps a new office takes
(units, an indicator system, a round), each with how far it has got and the button that does
it on its page — or last year's data file, or the demo to try things out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from app.models.database import Database
from app.services.rounds.definition import list_rounds
from app.services.setup.frameworks import list_frameworks
from app.services.setup.units import list_units

DONE, TODO = "✔", "○"


class GettingStarted(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setTitle(self.tr("开始使用：三步建好今年的考核"))
        self.step_labels: list[QLabel] = []
        grid = QGridLayout(self)
        steps: list[tuple[str, list[tuple[str, Callable[[], object]]]]] = [
            (
                self.tr("第一步　考核对象（市直单位及其类别）"),
                [(self.tr("导入单位名单…"), lambda: self._on_page("units", "import_list"))],
            ),
            (
                self.tr("第二步　指标体系（考核细则）"),
                [
                    (
                        self.tr("从模板新建…"),
                        lambda: self._on_page("frameworks", "new_from_template"),
                    ),
                    (
                        self.tr("导入考核细则…"),
                        lambda: self._on_page("frameworks", "import_file"),
                    ),
                ],
            ),
            (
                self.tr("第三步　考核批次（参评单位、规则、期限）"),
                [(self.tr("新建考核批次…"), lambda: self._on_page("rounds", "new_round"))],
            ),
        ]
        for row, (title, buttons) in enumerate(steps):
            label = QLabel(title)
            self.step_labels.append(label)
            grid.addWidget(label, row, 0)
            for column, (text, action) in enumerate(buttons, start=1):
                button = QPushButton(text)
                button.clicked.connect(lambda _=False, a=action: a())
                grid.addWidget(button, row, column)
        other = QLabel(self.tr("也可以打开已有的数据文件（如去年的），或先生成演示数据试用："))
        grid.addWidget(other, len(steps), 0)
        open_file = QPushButton(self.tr("打开数据文件…"))
        open_file.setToolTip(self.tr("用所选文件替换当前（空的）数据；替换前会先备份"))
        open_file.clicked.connect(lambda: self.open_data_file())
        grid.addWidget(open_file, len(steps), 1)
        demo = QPushButton(self.tr("生成演示数据"))
        demo.clicked.connect(lambda: self._window_action("demo"))
        grid.addWidget(demo, len(steps), 2)
        grid.setColumnStretch(0, 1)

    def reload(self) -> bool:
        """Update the steps; False once a round exists (the panel is then not needed)."""
        counts = (
            len(list_units(self._db)),
            len(list_frameworks(self._db)),
            len(list_rounds(self._db)),
        )
        texts = (
            self.tr("已有 {n} 个单位"),
            self.tr("已有 {n} 个指标体系"),
            self.tr("已有 {n} 个考核批次"),
        )
        for label, count, text in zip(self.step_labels, counts, texts, strict=True):
            title = label.text().split("　—")[0].lstrip(f"{DONE}{TODO} ")
            mark = DONE if count else TODO
            label.setText(f"{mark} {title}" + (f"　— {text.format(n=count)}" if count else ""))
        return counts[2] == 0

    def _page(self, key: str) -> QWidget | None:
        window = self.window()
        if not hasattr(window, "show_page"):
            return None
        window.show_page(key)
        return window.stack.currentWidget()  # type: ignore[attr-defined, no-any-return]

    def _on_page(self, key: str, method: str) -> None:
        page = self._page(key)
        if page is not None:
            getattr(page, method)()

    def _window_action(self, name: str) -> None:
        actions = getattr(self.window(), "actions", None)
        if actions is not None:
            getattr(actions, name)()

    def open_data_file(self, path: str | None = None) -> None:
        """Last year's file (or a copy from another PC) in place of this empty database: the
        备份恢复 page's restore, which shows what the file holds and backs up first."""
        path = (
            path
            or QFileDialog.getOpenFileName(
                self, self.tr("打开数据文件"), "", self.tr("考评数据文件 (*.db *.sqlite)")
            )[0]
        )
        if not path:
            return
        page = self._page("backups")
        if page is not None:
            page.restore_file(Path(path))  # type: ignore[attr-defined]
