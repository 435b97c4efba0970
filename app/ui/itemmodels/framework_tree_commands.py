"""Undo steps of the 指标体系 editor. Each step runs a framework_edits service (one transaction)
and its undo runs the inverse one; the page has already run the first redo itself, so a refused
edit never enters the stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from app.models.database import Database
from app.services.changes import NOTHING, Changes, changes_in, value_of
from app.services.setup import framework_edits as edits
from app.services.setup.frameworks import TreeNode

Refresh = Callable[[bool, str | None, Changes], None]  # (structure changed, select, changes)


class _Step(QUndoCommand):
    def __init__(self, text: str, db: Database, framework_id: int, refresh: Refresh) -> None:
        super().__init__(text)
        self.db = db
        self.framework_id = framework_id
        self.refresh = refresh
        self.done_once = False
        self.changes = NOTHING  # what the last run of the step changed

    def redo(self) -> None:
        if not self.done_once:
            self.done_once = True  # the page ran it already, to catch a refusal
        else:
            self.apply()
        self.refresh(self.structural, self.selected(), self.changes)

    def undo(self) -> None:
        self.revert()
        self.refresh(self.structural, self.selected_after_undo(), self.changes)

    def wrote(self, result: Any) -> Any:
        """Keep what a service call changed; its answer passes through."""
        self.changes = changes_in(result)
        return value_of(result)

    structural = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def selected(self) -> str | None:
        return None

    def selected_after_undo(self) -> str | None:
        return self.selected()


class EditStep(_Step):
    """Fields of one node; a changed code is followed (undo names the node by its new code)."""

    def __init__(
        self, db: Database, fid: int, refresh: Refresh, code: str, old: dict, new: dict
    ) -> None:
        label = "、".join(edits.FIELD_NAMES[f] for f in new)
        text = QCoreApplication.translate("FrameworkTreeCommands", "修改{fields}（{code}）").format(
            fields=label, code=code
        )
        super().__init__(text, db, fid, refresh)
        self.code, self.old, self.new = code, old, new
        self.structural = "code" in new

    def run_first(self) -> None:
        self.wrote(edits.update_node(self.db, self.framework_id, self.code, self.new))

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        self.wrote(
            edits.update_node(self.db, self.framework_id, self.new.get("code", self.code), self.old)
        )

    def selected(self) -> str | None:
        return self.new.get("code", self.code)

    def selected_after_undo(self) -> str | None:
        return self.code


class CategoriesStep(_Step):
    def __init__(
        self, db: Database, fid: int, refresh: Refresh, old: dict[str, list], new: dict[str, list]
    ) -> None:
        text = QCoreApplication.translate("FrameworkTreeCommands", "设置适用类别（{n} 项）").format(
            n=len(new)
        )
        super().__init__(text, db, fid, refresh)
        self.old, self.new = old, new

    def run_first(self) -> None:
        self.wrote(edits.set_categories(self.db, self.framework_id, self.new))

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        self.wrote(edits.set_categories(self.db, self.framework_id, self.old))


class InsertStep(_Step):
    structural = True

    def __init__(
        self, db: Database, fid: int, refresh: Refresh, parent: str | None, at: int, tree: TreeNode
    ) -> None:
        text = QCoreApplication.translate("FrameworkTreeCommands", "新增指标“{name}”").format(
            name=tree.name
        )
        super().__init__(text, db, fid, refresh)
        self.parent, self.at, self.tree = parent, at, tree

    def run_first(self) -> None:
        self.wrote(edits.insert_node(self.db, self.framework_id, self.parent, self.at, self.tree))

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        self.wrote(edits.remove_node(self.db, self.framework_id, self.tree.code))

    def selected(self) -> str | None:
        return self.tree.code

    def selected_after_undo(self) -> str | None:
        return self.parent


class RemoveStep(_Step):
    structural = True

    def __init__(self, db: Database, fid: int, refresh: Refresh, code: str, name: str) -> None:
        text = QCoreApplication.translate("FrameworkTreeCommands", "删除指标“{name}”").format(
            name=name
        )
        super().__init__(text, db, fid, refresh)
        self.code = code
        self.removed: tuple[str | None, int, TreeNode] | None = None

    def run_first(self) -> None:
        self.removed = self.wrote(edits.remove_node(self.db, self.framework_id, self.code))

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        assert self.removed is not None
        parent, at, tree = self.removed
        self.wrote(edits.insert_node(self.db, self.framework_id, parent, at, tree))

    def selected(self) -> str | None:
        return self.removed[0] if self.removed else None

    def selected_after_undo(self) -> str | None:
        return self.code


class MoveStep(_Step):
    structural = True

    def __init__(
        self, db: Database, fid: int, refresh: Refresh, code: str, parent: str | None, at: int
    ) -> None:
        text = QCoreApplication.translate("FrameworkTreeCommands", "移动指标（{code}）").format(
            code=code
        )
        super().__init__(text, db, fid, refresh)
        self.code, self.parent, self.at = code, parent, at
        self.origin: tuple[str | None, int] | None = None

    def run_first(self) -> None:
        self.origin = self.wrote(
            edits.move_node(self.db, self.framework_id, self.code, self.parent, self.at)
        )

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        assert self.origin is not None
        self.wrote(edits.move_node(self.db, self.framework_id, self.code, *self.origin))

    def selected(self) -> str | None:
        return self.code


class TotalStep(_Step):
    def __init__(self, db: Database, fid: int, refresh: Refresh, old: Any, new: Any) -> None:
        text = QCoreApplication.translate("FrameworkTreeCommands", "修改满分")
        super().__init__(text, db, fid, refresh)
        self.old, self.new = old, new

    def run_first(self) -> None:
        self.wrote(edits.set_stated_total(self.db, self.framework_id, self.new))

    def apply(self) -> None:
        self.run_first()

    def revert(self) -> None:
        self.wrote(edits.set_stated_total(self.db, self.framework_id, self.old))
