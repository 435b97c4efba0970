"""Exports appear whole or not at all, and a file held open by Excel/WPS gets a message the
clerk can act on instead of a traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND
from app.io.atomic import FileInUse, FolderNotWritable, write_atomically


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "排名.xlsx"
    target.write_bytes(b"old")

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_target_open_elsewhere_says_close_it_and_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "排名.xlsx"
    target.write_bytes(b"old")

    def refused(source: str | Path, destination: str | Path) -> None:  # what Windows does
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(FileInUse) as raised:
        write_atomically(target, lambda path: path.write_bytes(b"new"))
    assert str(target) in str(raised.value) and "关闭" in str(raised.value)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FolderNotWritable) as raised:
        write_atomically(tmp_path / "无此文件夹" / "a.xlsx", lambda path: path.write_bytes(b"x"))
    assert "文件夹不存在" in str(raised.value)


def test_cli_export_to_a_file_in_use_exits_2_with_the_message(
    demo_db_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.__main__ import main

    db = tmp_path / "demo.db"
    shutil.copy(demo_db_file, db)
    target = tmp_path / "结果.xlsx"
    target.write_bytes(b"open in WPS")
    real_replace = os.replace

    def refused(source: str | Path, destination: str | Path) -> None:
        if Path(destination) == target:
            raise PermissionError(13, "Permission denied", str(destination))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", refused)
    code = main(["--db", str(db), "results", "--round", DEMO_ROUND, "--xlsx", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert "请关闭它后重试" in err and "Traceback" not in err
    assert target.read_bytes() == b"open in WPS"


def test_what_a_killed_write_left_is_removed_by_the_next_write_into_the_folder(
    tmp_path: Path,
) -> None:
    """Seen: kills while notices were written left
    `..云法办〔2026〕15号-….pdf.22316.part.22316.part` in the output folder for good (on Windows
    a dot does not hide a file)."""
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    killed = tmp_path / f"..云法办〔2026〕15号-市司法局.pdf.{gone.pid}.staged.{gone.pid}.part"
    killed.write_bytes(b"%PDF-1.4 half")
    writing = tmp_path / f".通报.pdf.{os.getpid()}.part"  # a write under way in this process
    writing.write_bytes(b"")
    write_atomically(tmp_path / "排名.xlsx", lambda path: path.write_bytes(b"new"))
    assert not killed.exists()
    assert writing.exists()
    assert (tmp_path / "排名.xlsx").read_bytes() == b"new"
