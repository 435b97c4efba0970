"""A command whose output goes to a file with a code page that has no Chinese (an English
Windows) still runs to the end: its output is written as UTF-8 instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_chinese_output_into_a_latin_1_pipe(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(tmp_path / "k.db"), "units", "list"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    help_text = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert help_text.returncode == 0
    assert "法治建设考核评分系统" in help_text.stdout.decode("utf-8")
