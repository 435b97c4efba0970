"""The self-test a support person asks an office to run: every step OK here, and a failing
step is reported as FAIL with its reason and a non-zero exit while the others still run."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import selftest


def test_every_step_passes_on_this_machine(tmp_path: Path) -> None:
    lines: list[str] = []
    assert selftest.run_self_test(tmp_path, lines.append) == 0
    assert sum(line.startswith("OK") for line in lines) == 7
    assert (tmp_path / "主窗口.png").stat().st_size > 0
    assert list((tmp_path / "文书").glob("*.pdf"))


def test_a_wrong_total_fails_its_step_and_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(selftest.EXPECTED, "甲局", ("94.49", 1, "优秀"))
    lines: list[str] = []
    assert selftest.run_self_test(tmp_path, lines.append) == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 1 and "手算" in failed[0] and "94.50" in failed[0]
    assert sum(line.startswith("OK") for line in lines) == 6  # the rest still ran


def test_command_line_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.__main__ import main

    assert main(["--self-test", str(tmp_path)]) == 0
    assert "自检通过" in capsys.readouterr().out


def test_a_page_that_cannot_load_fails_the_window_step_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages load their code when first shown: a package missing one must fail the self-test."""
    from app.ui import main_window

    pages = [
        (*page[:2], "no_such_page", "Missing", page[4]) if page[0] == "ledger" else page
        for page in main_window.PAGES
    ]
    monkeypatch.setattr(main_window, "PAGES", pages)
    lines: list[str] = []
    assert selftest.run_self_test(tmp_path, lines.append) == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 1 and "ledger" in failed[0]
