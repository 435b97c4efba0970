"""Other clients' writes reach a client as they commit (issue 18): NOTIFY at commit, the
same Changes the writing service returned; a client is not told of its own; a rolled-back
write tells nobody."""

from __future__ import annotations

import queue
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from app.models.database import Database
from app.models.opening import open_database
from app.services.access.audit import log_change
from app.services.changes import Changes, Topic
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes
from app.services.live_changes import LIMIT, listen, parse, payload
from app.services.rounds.definition import find_round
from tests.cells import by_ids
from tests.small_round import ASSESSOR, ROUND, build_small_round


class Listening:
    """``listen`` on a thread, what it yields in a queue."""

    def __init__(self, db: Database) -> None:
        self.heard: queue.Queue[Changes] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(db,), daemon=True)
        self._thread.start()
        time.sleep(0.5)  # LISTEN issued

    def _run(self, db: Database) -> None:
        for changes in listen(db, self._stop.is_set):
            self.heard.put(changes)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=3)
        assert not self._thread.is_alive()


@pytest.fixture
def two_clients(pg_db: Database, tmp_path: Path):
    build_small_round(pg_db, tmp_path, ["市公安局"])
    other = open_database(pg_db.engine.url.render_as_string(hide_password=False))
    yield pg_db, other
    other.dispose()


def _write(db: Database, n: int) -> Changes:
    value = CellValue(deduction=Decimal(n), reason="制度未及时更新")
    change = by_ids(db, ROUND, NamedChange("市公安局", "1.1.1", ASSESSOR, value))
    return apply_changes(db, ROUND, change).changes


def test_a_write_through_one_client_reaches_the_other(two_clients) -> None:
    writer, reader = two_clients
    listening = Listening(reader)
    try:
        started = time.monotonic()
        written = _write(writer, 3)
        heard = listening.heard.get(timeout=2)
        assert time.monotonic() - started < 2
        with reader.reading() as session:
            round_id = find_round(session, ROUND).id
        assert heard == written
        assert heard.touches(Topic.SCORES) and heard.rounds == {round_id}
    finally:
        listening.stop()


def test_a_password_with_spaces_and_chinese_still_listens(pg_db: Database, tmp_path) -> None:
    """Seen at the merge (issue 18): the listener turned the URL back into a conninfo string,
    and a password such as "秘密 p@ss" stopped its thread — that client never heard of another's
    write again. (The test cluster trusts loopback: the password is carried, not checked.)"""
    build_small_round(pg_db, tmp_path, ["市公安局"])
    url = pg_db.engine.url.set(password="秘密 p@ss/1")
    reader = open_database(url.render_as_string(hide_password=False))
    listening = Listening(reader)
    try:
        written = _write(pg_db, 2)
        assert listening.heard.get(timeout=3) == written
    finally:
        listening.stop()
        reader.dispose()


def test_a_client_is_not_told_of_its_own_writes_nor_of_a_rolled_back_one(two_clients) -> None:
    writer, reader = two_clients
    listening = Listening(reader)
    try:
        _write(reader, 2)  # its own
        with pytest.raises(RuntimeError), writer.transaction() as session:
            log_change(session, entity="测试", key="x", action="新增", old=None, new=1)
            raise RuntimeError("撤销")
        _write(writer, 4)
        heard = listening.heard.get(timeout=2)
        assert heard.touches(Topic.SCORES)  # the writer's committed edit, and only it
        time.sleep(0.5)
        assert listening.heard.empty()
    finally:
        listening.stop()


def test_the_payload_stays_small_and_unknown_topics_count_as_everything() -> None:
    many = Changes.of(Topic.SCORES, rounds=range(5000))
    text = payload(many, "pc:1:2")
    assert len(text.encode("utf-8")) <= LIMIT
    assert parse(text) == ("pc:1:2", Changes.of(Topic.SCORES))  # every round, then
    _origin, changes = parse('{"o":"x","t":["评分","将来的主题"],"r":[3]}')
    assert changes.touches_round(3) and changes.touches(Topic.NOTICES)
