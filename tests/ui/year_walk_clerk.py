"""The clerk at the window, for the year's walk (tests/ui/test_year_walk.py): she clicks the
page list and the buttons, types into fields and the grid, and answers every dialog the window
opens — file choosers and message boxes by their static calls (the accepted way to answer a
native dialog in a test), the program's own dialogs by filling their widgets and clicking their
OK button. A dialog nobody expected, or a warning box, fails the walk."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QWidget,
)

from app.ui.main_window import MainWindow

SLOW = 60000  # ms: a background task (import, export, PDFs) on a busy CI machine
Fill = Callable[[Any], None]


def button(parent: QWidget, text: str) -> QAbstractButton:
    """The one visible-or-not button with this text under ``parent`` (a 新建 ▾ tool button too)."""
    found = [
        b for b in parent.findChildren(QAbstractButton) if b.text() == text
    ]  # QPushButton and QToolButton alike
    assert len(found) == 1, f"按钮“{text}”：找到 {len(found)} 个"
    return found[0]


def press_ok(dialog: QDialog) -> None:
    """The dialog's accepting button, clicked as a clerk would (it must be enabled)."""
    for box in dialog.findChildren(QDialogButtonBox):
        for candidate in box.buttons():
            if box.buttonRole(candidate) in (
                QDialogButtonBox.ButtonRole.AcceptRole,
                QDialogButtonBox.ButtonRole.YesRole,
            ):
                assert candidate.isEnabled(), f"{dialog.windowTitle()}：“{candidate.text()}”不可点"
                candidate.click()
                return
    raise AssertionError(f"{dialog.windowTitle()}：没有确定按钮")


class Clerk:
    def __init__(self, qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.window = window
        self.monkeypatch = monkeypatch
        self.told: list[tuple[str, str]] = []  # information boxes: (title, text)
        self.warned: list[tuple[str, str]] = []
        self._files: list[Any] = []  # the next answers of file dialogs, in order
        self._inputs: list[Any] = []  # the next answers of QInputDialog
        self._questions: list[QMessageBox.StandardButton] = []
        self._dialogs: dict[type, list[Fill]] = {}
        self._answer_static_dialogs()

    # -- dialogs ----------------------------------------------------------------------------
    def _answer_static_dialogs(self) -> None:
        mp = self.monkeypatch

        def next_of(queue: list[Any], what: str, title: str) -> Any:
            assert queue, f"未预料的{what}：“{title}”"
            return queue.pop(0)

        def files(_parent: Any, title: str = "", *_a: Any, **_k: Any) -> Any:
            return next_of(self._files, "文件对话框", title)

        for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName"):
            mp.setattr(QFileDialog, name, staticmethod(files))
        mp.setattr(QFileDialog, "getExistingDirectory", staticmethod(files))

        def inputs(_parent: Any, title: str, *_a: Any, **_k: Any) -> Any:
            return next_of(self._inputs, "输入框", title)

        mp.setattr(QInputDialog, "getText", staticmethod(inputs))
        mp.setattr(QInputDialog, "getItem", staticmethod(inputs))

        def information(_parent: Any, title: str, text: str, *_a: Any) -> Any:
            self.told.append((title, text))
            return QMessageBox.StandardButton.Ok

        def warning(_parent: Any, title: str, text: str, *_a: Any) -> Any:
            self.warned.append((title, text))
            return QMessageBox.StandardButton.Ok

        def question(_parent: Any, title: str, *_a: Any, **_k: Any) -> Any:
            return next_of(self._questions, "询问框", title)

        mp.setattr(QMessageBox, "information", staticmethod(information))
        mp.setattr(QMessageBox, "warning", staticmethod(warning))
        mp.setattr(QMessageBox, "critical", staticmethod(warning))
        mp.setattr(QMessageBox, "question", staticmethod(question))

    def will_choose(self, answer: Any) -> None:
        """The file or folder she picks in the next file dialog (as the static call returns
        it: (path, filter), ([paths], filter) or a folder)."""
        self._files.append(answer)

    def will_type(self, answer: str, ok: bool = True) -> None:
        """Her answer to the next input box (text, or the item picked from a list)."""
        self._inputs.append((answer, ok))

    def will_say_yes(self) -> None:
        self._questions.append(QMessageBox.StandardButton.Yes)

    def will_fill(self, dialog_class: type[QDialog], fill: Fill) -> None:
        """The next ``dialog_class`` the window opens modally is filled by ``fill`` and then
        its OK button clicked."""
        if dialog_class not in self._dialogs:
            self._dialogs[dialog_class] = []

            def exec_(dialog: QDialog) -> int:
                fills = self._dialogs[dialog_class]
                assert fills, f"未预料的对话框：{dialog.windowTitle()}"
                fills.pop(0)(dialog)
                press_ok(dialog)
                return dialog.result()

            self.monkeypatch.setattr(dialog_class, "exec", exec_)
        self._dialogs[dialog_class].append(fill)

    def all_answered(self) -> None:
        """Every dialog she expected came, and no warning box was shown."""
        assert not self._files and not self._inputs and not self._questions
        assert all(not fills for fills in self._dialogs.values()), self._dialogs
        assert not self.warned, self.warned

    def open_dialog(self, dialog_class: type[QDialog]) -> Any:
        """The window-modal dialog of this class the window has just opened (with open())."""
        shown = [d for d in self.window.findChildren(dialog_class) if d.isVisible()]
        assert len(shown) == 1, f"{dialog_class.__name__}：{len(shown)} 个打开"
        return shown[0]

    # -- the window ---------------------------------------------------------------------------
    def go(self, title: str) -> Any:
        """A click on the page's name in the list on the left; the page it shows."""
        navigation = self.window.navigation
        items = navigation.findItems(title, Qt.MatchFlag.MatchExactly)
        assert len(items) == 1, f"页面“{title}”"
        rect = navigation.visualItemRect(items[0])
        self.qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        page = self.window.stack.currentWidget()
        assert navigation.currentItem() is items[0]
        return page

    def click(self, parent: QWidget, text: str) -> None:
        found = button(parent, text)
        assert found.isEnabled(), f"按钮“{text}”不可点"
        if isinstance(found, QToolButton) and found.menu() is not None:
            raise AssertionError(f"“{text}”是菜单按钮：用 choose_from_menu")
        self.qtbot.mouseClick(found, Qt.MouseButton.LeftButton)

    def choose_from_menu(self, parent: QWidget, text: str, entry: str) -> None:
        """A button's drop-down menu, and one entry of it."""
        found = button(parent, text)
        menu = found.menu()
        assert menu is not None, f"“{text}”没有菜单"
        actions = [a for a in menu.actions() if a.text() == entry]
        assert len(actions) == 1, f"菜单“{text}”没有“{entry}”"
        actions[0].trigger()

    def menu_bar(self, menu: str, entry: str) -> None:
        """An entry of the window's menu bar (文件, 帮助)."""
        for action in self.window.menuBar().actions():
            if action.text() == menu:
                found = [a for a in action.menu().actions() if a.text() == entry]
                assert len(found) == 1, f"菜单“{menu}”没有“{entry}”"
                found[0].trigger()
                return
        raise AssertionError(f"没有菜单“{menu}”")

    def type_into(self, field: QWidget, text: str, enter: bool = False) -> None:
        """Typed as she types: Latin keys one by one, Chinese as the input method commits it
        (QTest cannot press a key for a Chinese character)."""
        field.setFocus()
        if isinstance(field, QLineEdit):
            field.selectAll()
        for part in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
            if part.isascii():
                self.qtbot.keyClicks(field, part)
            else:
                event = QInputMethodEvent()
                event.setCommitString(part)
                QApplication.sendEvent(field, event)
        if enter:
            self.qtbot.keyClick(field, Qt.Key.Key_Return)

    def wait_for(self, label: QWidget, words: str, timeout: int = SLOW) -> str:
        """The label (a page's message line) says ``words``; fails early on a refusal."""

        def said() -> bool:
            text = label.text()  # type: ignore[attr-defined]
            assert "未写入任何数据" not in text and "未导入" not in text, text
            return words in text

        self.qtbot.waitUntil(said, timeout=timeout)
        return label.text()  # type: ignore[attr-defined]

    def shoot(self, widget: QWidget, name: str) -> Path:
        """The widget as she sees it, saved as <temp>/shots/walk_<name>.png to look at."""
        folder = Path(tempfile.gettempdir()) / "shots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"walk_{name}.png"
        assert widget.grab().save(str(path))
        return path
