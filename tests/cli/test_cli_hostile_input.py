"""What the attack of issue 15 §2 typed at the command line: a million rows, Ctrl-C, numbers
and dates out of range, no password, output cut off — each a clear message and exit code,
never a traceback, never data cut short or half written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli_workflow import SCORES
from tests.workbooks import many_rows, small_framework, small_scores, small_units

Cli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[2]
ROUND = "R"


@pytest.fixture
def ready(run_cli: Cli, tmp_path: Path) -> Cli:
    run_cli("units", "import", str(small_units(tmp_path / "units.xlsx")))
    run_cli("framework", "import", str(small_framework(tmp_path / "fw.xlsx")), "--name", "小体系")
    code, _, err = run_cli(
        "round", "create", "--name", ROUND, "--framework", "小体系", "--year", "2025"
    )
    assert code == 0, err
    for name in ("甲组", "乙组"):  # imports never create assessors
        assert run_cli("assessor", "add", name)[0] == 0
    code, _, err = run_cli(
        "scores", "import", str(small_scores(tmp_path / "ok.xlsx", SCORES)), "--round", ROUND
    )
    assert code == 0, err
    return run_cli


def state(cli: Cli) -> tuple[str, int]:
    """The results and the length of the change log: what an import would change."""
    log = json.loads(cli("audit", "list", "--json")[1])
    return cli("results", "--round", ROUND, "--json")[1], len(log)


def command(db_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--db", str(db_path), *args]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def test_a_million_rows_are_refused_whole_not_cut_short(ready: Cli, tmp_path: Path) -> None:
    """It read "读取 199999 行" and exited 0; now the file is refused, naming the limit,
    counted without being loaded."""
    before = state(ready)
    big = many_rows(
        tmp_path / "百万行.xlsx",
        ("单位名称", "指标编码", "扣分"),
        ("市司法局", "1.1.1", 0.5),
        1_000_000,
    )
    start = time.perf_counter()
    code, out, err = ready("scores", "import", str(big), "--round", ROUND)
    took = time.perf_counter() - start
    assert code == 2, out
    assert "百万行.xlsx" in err and "工作表“Sheet1”" in err
    assert "1000001 行" in err and "上限 200000 行" in err and "未写入任何数据" in err
    assert state(ready) == before
    assert took < 15, took  # counted by streaming, not loaded (loading took 10 s and 500 MB)


def test_a_big_import_shows_progress_and_reads_every_row(ready: Cli, tmp_path: Path) -> None:
    from app.cli.main import _ReadingProgress

    rows = _ReadingProgress.QUIET_BELOW  # the fewest that show progress (30,000 took 5 s)
    big = many_rows(
        tmp_path / "big.xlsx", ("单位名称", "指标编码", "扣分"), ("市司法局", "1.1.1", 0.5), rows
    )
    code, out, err = ready("scores", "import", str(big), "--round", ROUND)
    assert code == 0, err
    assert f"读取 {rows} 行" in out
    assert f"读取 0/{rows} 行" in err and f"读取 {rows}/{rows} 行" in err


def test_ctrl_c_during_an_import_ends_cleanly_and_writes_nothing(
    ready: Cli, tmp_path: Path, db_path: Path
) -> None:
    before = state(ready)
    big = many_rows(
        tmp_path / "big.xlsx",
        ("单位名称", "指标编码", "扣分"),
        ("市司法局", "1.1.1", 0.5),
        60_000,
    )
    process = subprocess.Popen(
        command(db_path, "scores", "import", str(big), "--round", ROUND),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        cwd=ROOT,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: it is reading now
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert "读取 0/60000 行" in first
    assert process.returncode == 130, (out, err)
    assert "已取消，未写入任何数据" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert state(ready) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--year", "99999999999999999999"), "2000 到 2100"),
        (("--year", "-5"), "2000 到 2100"),
        (("--year", "2025", "--satisfaction-weight", "NaN"), "不是有限的数字"),
        (("--year", "2025", "--top-quota", "Infinity"), "不是有限的数字"),
        (("--year", "2025", "--bottom-n", "99999999999999999999"), "超出范围"),
        (("--year", "2025", "--scoring-due", "9999-12-31"), "2000 到 2100"),
    ],
)
def test_out_of_range_arguments_are_refused_plainly(
    ready: Cli, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    try:
        code, _, err = ready("round", "create", "--name", "新批次", "--framework", "小体系", *args)
    except SystemExit as exit_:  # argparse refuses a value before any command runs
        code, err = int(exit_.code or 0), capsys.readouterr().err
    assert code == 2 and fragment in err and "Traceback" not in err
    assert "新批次" not in ready("round", "list")[1]


def test_a_far_date_for_notices_is_refused(ready: Cli, tmp_path: Path) -> None:
    code, _, err = ready(
        "notices", "--round", ROUND, "--out", str(tmp_path / "n"), "--date", "9999-12-31"
    )
    assert code == 2 and "2000 到 2100" in err
    code, _, err = ready(
        "satisfaction",
        "import",
        str(tmp_path / "x.xlsx"),
        "--round",
        ROUND,
        "--weights",
        "NaN,60,0",
    )
    assert code == 2 and "有限的数字" in err


def test_end_of_input_at_the_password_prompt(run_cli: Cli, db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "admin-pw-1")
    assert run_cli("account", "add", "admin", "--role", "管理员")[0] == 0
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "staff-pw-1")
    assert run_cli("account", "add", "wang", "--role", "考核办")[0] == 0
    env = environment()
    env.pop("KAOPING_PASSWORD", None)
    done = subprocess.run(
        command(db_path, "--user", "wang", "units", "list"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,  # no terminal to ask on: the prompt reads the closed input
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "输入已结束" in done.stderr and "KAOPING_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr and "EOFError" not in done.stderr


def test_output_piped_into_a_program_that_stops_reading(demo_db_file: Path, tmp_path: Path) -> None:
    """`kaoping audit list | head -1`: the reader goes away; the program stops quietly."""
    import shutil

    db = tmp_path / "demo.db"
    shutil.copy(demo_db_file, db)
    process = subprocess.Popen(
        command(db, "audit", "list"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", errors="replace")
    process.wait(timeout=120)
    assert process.returncode == 141, err
    assert "BrokenPipeError" not in err and "Traceback" not in err


def test_a_reset_password_must_be_changed_before_anything_else(run_cli: Cli, monkeypatch) -> None:
    def as_user(user: str, password: str, *args: str, new: str | None = None):  # type: ignore[no-untyped-def]
        monkeypatch.setenv("KAOPING_PASSWORD", password)
        if new is not None:
            monkeypatch.setenv("KAOPING_NEW_PASSWORD", new)
        return run_cli("--user", user, *args)

    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "admin-pw-1")
    assert run_cli("account", "add", "admin", "--role", "管理员")[0] == 0
    monkeypatch.setenv("KAOPING_NEW_PASSWORD", "staff-pw-1")
    assert run_cli("account", "add", "wang", "--role", "考核办")[0] == 0
    code, _, err = as_user(
        "admin", "admin-pw-1", "account", "reset-password", "wang", new="1234567"
    )
    assert code == 2 and "至少 8 位" in err
    code, _, err = as_user(
        "admin", "admin-pw-1", "account", "reset-password", "wang", new="temp-pw-1"
    )
    assert code == 0, err
    code, _, err = as_user("wang", "temp-pw-1", "units", "list")
    assert code == 2 and "须先修改密码" in err and "account passwd" in err
    code, _, err = as_user("wang", "temp-pw-1", "account", "passwd", new="own-pass-1")
    assert code == 0, err
    code, _, err = as_user("wang", "own-pass-1", "units", "list")
    assert code == 0, err
