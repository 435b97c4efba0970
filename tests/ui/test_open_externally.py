"""A viewer started from the frozen Linux build gets the user's library path, not the bundle's
(else it would load Kaoping's copies of libraries it has in its own versions)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from app.ui.open_externally import open_externally


def _library_path_seen_by_viewer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str | None:
    seen: list[str | None] = []
    monkeypatch.setattr(
        QDesktopServices,
        "openUrl",
        staticmethod(lambda url: seen.append(os.environ.get("LD_LIBRARY_PATH")) or True),
    )
    assert open_externally(tmp_path / "通知书.pdf")
    return seen[0]


def test_frozen_build_gives_the_viewer_the_users_library_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/kaoping/_internal")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/home/li/lib")
    assert _library_path_seen_by_viewer(monkeypatch, tmp_path) == "/home/li/lib"
    assert os.environ["LD_LIBRARY_PATH"] == "/opt/kaoping/_internal"  # Kaoping keeps its own

    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG")  # the user had none
    assert _library_path_seen_by_viewer(monkeypatch, tmp_path) is None
    assert os.environ["LD_LIBRARY_PATH"] == "/opt/kaoping/_internal"


def test_from_source_nothing_changes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/lib")
    assert _library_path_seen_by_viewer(monkeypatch, tmp_path) == "/usr/local/lib"
