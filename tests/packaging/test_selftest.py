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


def test_against_a_server_it_checks_the_server_first(
    tmp_path: Path, pg_server: str, pg_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--db postgresql+psycopg://… --self-test`: connection, schema, the login's rights and a
    round trip that leaves nothing behind, then the usual steps."""
    from app.__main__ import main
    from tests.postgres import drop_database, new_database

    name, url = new_database(pg_server, pg_template)
    try:
        assert main(["--db", url, "--self-test", str(tmp_path)]) == 0
    finally:
        drop_database(pg_server, name)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("：")[0] for line in lines[:4]] == [
        "OK    连接服务器",
        "OK    服务器数据库结构版本",
        "OK    登录账户的权限",
        "OK    写入、读回并撤销",
    ]
    assert "编码 UTF8" in lines[0] and "超级用户" in lines[2] and "已撤销" in lines[3]
    assert sum(line.startswith("OK") for line in lines) == 11


def test_an_unreachable_server_fails_its_steps_and_the_run(tmp_path: Path) -> None:
    lines: list[str] = []
    url = "postgresql+psycopg://someone@127.0.0.1:1/kaoping"
    assert selftest.run_self_test(tmp_path, lines.append, server=url) == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 4 and "无法连接服务器 127.0.0.1:1" in failed[0]
    assert "未连上服务器" in failed[1]
    assert sum(line.startswith("OK") for line in lines) == 7  # the year on this computer
