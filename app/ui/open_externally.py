"""Open a file in the system's own program (a PDF viewer) with the system's libraries."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


@contextmanager
def system_library_path() -> Iterator[None]:
    """In the frozen Linux build PyInstaller puts the bundle's library folder on LD_LIBRARY_PATH;
    a viewer started from here would load Kaoping's libraries instead of its own. The value
    the user started with (PyInstaller keeps it as LD_LIBRARY_PATH_ORIG) is put back meanwhile."""
    if not getattr(sys, "frozen", False) or "LD_LIBRARY_PATH" not in os.environ:
        yield
        return
    bundled = os.environ["LD_LIBRARY_PATH"]
    original = os.environ.get("LD_LIBRARY_PATH_ORIG")
    if original is None:
        del os.environ["LD_LIBRARY_PATH"]
    else:
        os.environ["LD_LIBRARY_PATH"] = original
    try:
        yield
    finally:
        os.environ["LD_LIBRARY_PATH"] = bundled


def open_externally(path: Path) -> bool:
    with system_library_path():
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
