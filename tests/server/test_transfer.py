"""Moving data between a file and a server (issue 18): `server import`, the snapshot a server
backup is, and a snapshot restored into a new server database — all against a real PostgreSQL."""

from __future__ import annotations

import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from app.models.database import Database
from app.models.opening import open_database
from app.services.access.audit import verify_chain
from app.services.access.state_verify import verify_database
from app.services.entry.assignment_admin import add_assessor
from app.services.review.results import results_json, visible_round_results
from app.services.rounds.definition import list_rounds
from app.services.server.fingerprint import fingerprint
from app.services.server.snapshots import (
    import_file,
    restore_to_file,
    restore_to_server,
    snapshot_to_file,
)
from app.services.server.transfer import TransferFailed
from tests.postgres import database_url, drop_database, new_database
from tests.small_round import build_small_round


@pytest.fixture
def empty_server(pg_server: str, pg_template: str):
    """A new, empty server database at head: its URL (dropped after the test)."""
    name, url = new_database(pg_server, pg_template)
    yield url
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small office file built through the services: units, a framework, a round, scores."""
    folder = tmp_path_factory.mktemp("small")
    database = open_database(folder / "small.db")
    build_small_round(database, folder, ["市司法局", "市公安局", "市住建局/市人防办"])
    database.dispose()
    return folder / "small.db"


def _figures(db: Database):
    with db.engine.connect() as connection, connection.begin():
        return fingerprint(connection)


def _results(db: Database) -> dict[str, object]:
    return {r.name: results_json(visible_round_results(db, r.name)) for r in list_rounds(db)}


def test_an_office_file_comes_into_an_empty_server_database_whole(small_file, empty_server):
    report = import_file(empty_server, small_file)
    source, server = open_database(small_file), open_database(empty_server)
    try:
        before, after = _figures(source), _figures(server)
        assert before.differences(after) == []
        assert after.total_rows == report.total_rows > 0
        assert after.chain.head == report.chain_head == before.chain.head
        v = verify_database(server)
        assert v.ok, v.state.differences[:3]
        assert _results(server) == _results(source)
        # the id sequences continue after the copied ids: the program writes on at once
        add_assessor(server, "市审计局考核组")
        assert verify_database(server).ok
    finally:
        source.dispose()
        server.dispose()


def test_a_server_database_that_holds_data_is_refused_and_left_as_it_was(small_file, empty_server):
    server = open_database(empty_server)
    try:
        add_assessor(server, "已有的考核组")
        before = _figures(server)
        with pytest.raises(TransferFailed, match="不是空的"):
            import_file(empty_server, small_file)
        assert _figures(server) == before
    finally:
        server.dispose()


def test_a_file_changed_outside_the_program_is_not_imported(small_file, empty_server, tmp_path):
    edited = tmp_path / "edited.db"
    shutil.copy(small_file, edited)
    database = open_database(edited)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE score_entries SET deduction = '9' WHERE id = 1"))
    database.dispose()
    with pytest.raises(TransferFailed, match="未通过校验"):
        import_file(empty_server, edited)
    server = open_database(empty_server)
    assert _figures(server).total_rows == 0
    server.dispose()


def test_a_snapshot_of_a_server_opens_as_a_file_and_verifies(small_file, empty_server, tmp_path):
    import_file(empty_server, small_file)
    server = open_database(empty_server)
    snapshot = tmp_path / "snapshot.db"
    try:
        snapshot_to_file(server, snapshot)
        copy = open_database(snapshot)
        try:
            assert verify_database(copy).ok
            assert _figures(server).differences(_figures(copy)) == []
            assert _results(copy) == _results(server)
        finally:
            copy.dispose()
        with pytest.raises(Exception, match="已存在"):
            snapshot_to_file(server, snapshot)
    finally:
        server.dispose()
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.db"]  # no temporary left


def test_a_snapshot_is_restored_into_a_new_server_database_never_over_the_live_one(
    small_file, empty_server, pg_server, tmp_path
):
    import_file(empty_server, small_file)
    server = open_database(empty_server)
    snapshot = tmp_path / "snapshot.db"
    name = f"restored_{int(time.time() * 1000)}"
    try:
        snapshot_to_file(server, snapshot)
        live_before = _figures(server)
        with pytest.raises(Exception, match="正在使用"):
            restore_to_server(server, snapshot, server.engine.url.database or "", "测试")
        restored = restore_to_server(server, snapshot, name, "误导入后撤回")
        assert name in restored.where and "***" not in restored.where.split("@")[-1]
        assert _figures(server) == live_before  # the live database was not touched
        copy = open_database(database_url(pg_server, name))
        try:
            assert verify_database(copy).ok
            assert _results(copy) == _results(server)
            assert verify_chain(copy).records == live_before.chain.records + 1  # the 恢复 record
        finally:
            copy.dispose()
        with pytest.raises(Exception, match="已有名为"):
            restore_to_server(server, snapshot, name, "再次")
        local = restore_to_file(snapshot, tmp_path / "local.db", "本机查看")
        assert Path(local.where).is_file()
    finally:
        server.dispose()
        drop_database(pg_server, name)


def test_the_demo_year_moves_to_a_server_and_back(demo_db_file, empty_server, tmp_path, capsys):
    """The demo (about 20,000 rows): the figures are printed (pytest -s) for the report."""
    started = time.perf_counter()
    report = import_file(empty_server, demo_db_file)
    imported = time.perf_counter() - started
    server, source = open_database(empty_server), open_database(demo_db_file)
    try:
        assert _results(server) == _results(source)
        started = time.perf_counter()
        snapshot_to_file(server, tmp_path / "demo-snapshot.db")
        snapshot = time.perf_counter() - started
        print(f"\n演示数据 {report.total_rows} 行：导入 {imported:.1f} 秒，快照 {snapshot:.1f} 秒")
        copy = open_database(tmp_path / "demo-snapshot.db")
        try:
            assert verify_database(copy).ok
            assert _results(copy) == _results(source)
        finally:
            copy.dispose()
    finally:
        server.dispose()
        source.dispose()
    _the_year_goes_on(empty_server, tmp_path, capsys)


def _the_year_goes_on(url: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On the server the year goes on as on a file (issue 18, "everything else keeps
    working"): offline workbooks out and back, the round moved on, notices numbered, the
    ledger, and the change log and the sealed state still verify."""
    from app.__main__ import main
    from app.demo.build import DEMO_ROUND

    def run(*args: str) -> str:
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    run("sheets", "export", "--round", DEMO_ROUND, "--out", str(folder / "评分表"))
    returned = sorted(str(p) for p in (folder / "评分表").glob("*.xlsx"))
    assert "0 格有变化" in run("sheets", "import", "--round", DEMO_ROUND, returned[0])
    run("round", "status", "--round", DEMO_ROUND, "--to", "审核中")
    units = [u for u in run("units", "list").split() if u.startswith("云州市")][:2]
    issued = run(
        "notices",
        "--round",
        DEMO_ROUND,
        "--out",
        str(folder / "文书"),
        "--type",
        "整改通知书",
        *(x for unit in units for x in ("--unit", unit)),
    )
    numbers = [
        line.split()[0]
        for line in issued.splitlines()
        if line.split()[:1] and line.split()[0].endswith("号")
    ]
    assert len(numbers) == 2 and len(set(numbers)) == 2
    run("problems", "from-round", "--round", DEMO_ROUND)
    assert "变更记录链完整" in run("audit", "verify")


def test_a_tree_row_whose_parent_has_a_larger_id_is_copied_after_its_parent(tmp_path, empty_server):
    """A node moved under a later one: the copy orders rows by parent, not by id alone; the
    decimal and JSON text comes through exactly as stored ("1.50", not re-rendered)."""
    from app.models import Framework, FrameworkNode
    from app.services.server.transfer import copy_database

    source = open_database(tmp_path / "tree.db")
    with source.sessions.begin() as session:  # a bare tree: frameworks are not sealed state
        framework = Framework(name="指标")
        session.add(framework)
        session.flush()
        for node_id, parent in ((2, None), (1, 2)):
            session.add(
                FrameworkNode(
                    id=node_id,
                    framework_id=framework.id,
                    parent_id=parent,
                    code=str(node_id),
                    name=f"节点{node_id}",
                    level=1,
                    points=Decimal("1.5"),
                    tiers=[[1, "0.5"]],
                )
            )
            session.flush()
    with source.engine.begin() as connection:
        connection.execute(text("UPDATE framework_nodes SET points = '1.50'"))
    server = open_database(empty_server)
    try:
        copy_database(source.engine, server.engine, require_sound=False)
        with server.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, parent_id, points, tiers FROM framework_nodes ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, 2, "1.50", '[[1, "0.5"]]'),
            (2, None, "1.50", '[[1, "0.5"]]'),
        ]
    finally:
        source.dispose()
        server.dispose()
