"""Files the program writes appear whole or not at all: written under a temporary name beside
the target, then renamed over it. A target held open by Excel/WPS (Windows refuses the rename)
gets a message the clerk can act on, and the temporary file is removed. What a killed write
left (its process gone) is removed by the next write into the same folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from app.errors import UserError
from app.models.sqlite_files import hide_file, remove_leftovers, show_file, temporary_for


class FileInUse(UserError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"无法写入 {path}：该文件可能正被 Excel、WPS 或其他程序打开。请关闭它后重试。"
        )


class FolderNotWritable(UserError):
    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"无法写入 {path}：{reason}。请选择其他文件夹后重试。")


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)``, then move the result onto ``path``."""
    target = Path(path)
    temporary = temporary_for(target)
    remove_leftovers(target.parent)
    try:
        hide_file(temporary)
        write(temporary)
        os.replace(temporary, target)
        show_file(target)
    except PermissionError as exc:
        temporary.unlink(missing_ok=True)
        if target.exists():
            raise FileInUse(target) from exc
        raise FolderNotWritable(target, "没有写入权限") from exc
    except FileNotFoundError as exc:
        temporary.unlink(missing_ok=True)
        raise FolderNotWritable(target, "文件夹不存在") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
