"""Evidence copied out to be viewed does not linger in the PC's temporary folder (issue 19):
opened copies go after a week, another run's preview folder after two days, a run's own
preview folder at its exit; nothing else there is touched."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from app.services.evidence import listing


def _folder(root: Path, name: str, age_days: float, now: float) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "通知.pdf").write_bytes(b"%PDF-1.4")
    stamp = now - age_days * 24 * 3600
    os.utime(folder, (stamp, stamp))
    return folder


def test_old_copies_are_swept_and_nothing_else(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    now = time.time()
    old_opened = _folder(tmp_path, "kaoping-evidence-abc", 8, now)
    new_opened = _folder(tmp_path, "kaoping-evidence-def", 1, now)
    old_preview = _folder(tmp_path, "kaoping-preview-999999", 3, now)
    own_preview = _folder(tmp_path, f"kaoping-preview-{os.getpid()}", 30, now)
    cluster = _folder(tmp_path, "kaoping-pg-xyz", 30, now)  # not a copy of evidence
    gone = listing.sweep_old_copies(now=now)
    assert sorted(gone) == sorted([old_opened, old_preview])
    assert all(f.exists() for f in (new_opened, own_preview, cluster))
    assert not old_opened.exists() and not old_preview.exists()


def test_a_run_removes_its_own_preview_folder_at_exit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    own = _folder(tmp_path, f"kaoping-preview-{os.getpid()}", 0, time.time())
    listing._remove_own_previews()
    assert not own.exists()


def test_a_file_is_swept_only_as_a_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stray = tmp_path / "kaoping-evidence-x"
    stray.write_text("x")
    os.utime(stray, (0, 0))
    assert listing.sweep_old_copies(now=time.time()) == [] and stray.exists()
