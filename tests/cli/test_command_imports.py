"""Every command imports only what it uses (issue 22): reading a round's results or listing
rounds and units loads no workbook, PDF, chart, array or migration library, and the parser
alone (`kaoping --help`) not even the database's. Each command runs in a fresh interpreter,
as a user starts it; what it imported is read from sys.modules after it ran."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.models.opening import open_database
from tests.small_round import ROUND, build_small_round

HEAVY = ("openpyxl", "reportlab", "matplotlib", "numpy", "alembic", "PySide6")
RUN = """
import contextlib, io, json, sys
from app.__main__ import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
tops = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "modules": tops, "out": out.getvalue()}))
"""


def run_fresh(*argv: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("imports")
    db = open_database(folder / "small.db")
    build_small_round(db, folder, ["市公安局", "市财政局"])
    db.dispose()
    return folder / "small.db"


@pytest.mark.parametrize(
    "command",
    [["results", "--round", ROUND, "--json"], ["round", "list"], ["units", "list"]],
    ids=["results", "round list", "units list"],
)
def test_everyday_commands_load_no_heavy_library(small_db: Path, command: list[str]) -> None:
    found = run_fresh("--db", str(small_db), *command)
    assert found["code"] == 0
    assert found["out"]  # the command did its work (the results, the lists)
    assert sorted(set(HEAVY) & set(found["modules"])) == []  # type: ignore[arg-type]


def test_the_parser_alone_loads_no_database_library() -> None:
    found = run_fresh("--help")
    assert found["code"] == 0 and "kaoping" in found["out"]  # type: ignore[operator]
    assert sorted({*HEAVY, "sqlalchemy"} & set(found["modules"])) == []  # type: ignore[arg-type]
