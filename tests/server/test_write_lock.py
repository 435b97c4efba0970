"""Writers on a server go one at a time (issue 18): concurrent transactions neither fork the
change log's chain nor give one 文号 twice; a serialization failure or deadlock is run again;
a write that cannot get its turn is refused clearly, having written nothing."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from app.errors import StorageError
from app.models import ChangeLog
from app.models import database as database_module
from app.models.database import Database
from app.models.document_numbers import DocumentNumber
from app.services.access.audit import log_change, verify_chain
from app.services.publishing.document_numbers import new_number, register_number

WRITERS = 6
EACH = 15


def _logged_write(db: Database, writer: int, n: int) -> None:
    with db.transaction() as session:
        log_change(session, entity="测试", key=f"{writer}/{n}", action="新增", old=None, new=n)
        session.flush()
        time.sleep(0.002)  # widen the window between reading the chain head and committing


def test_concurrent_writers_keep_one_chain(pg_db: Database) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        for future in [
            pool.submit(_logged_write, pg_db, w, n) for w in range(WRITERS) for n in range(EACH)
        ]:
            future.result()
    report = verify_chain(pg_db)
    assert report.first_broken is None, report.problem
    with pg_db.reading() as session:
        keys = session.scalars(select(ChangeLog.entity_key).where(ChangeLog.entity == "测试"))
        assert sorted(keys) == sorted(f"{w}/{n}" for w in range(WRITERS) for n in range(EACH))


def _numbered(db: Database) -> str:
    with db.transaction() as session:
        _serial, number = new_number(session, "通报", 2026, "云法办")
        time.sleep(0.01)  # another clerk allocating meanwhile
        register_number(
            session, number, kind="通报", title="通报", issued_on=date(2026, 3, 1), round_id=None
        )
        return number


def test_concurrent_numbering_gives_each_number_once(pg_db: Database) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        numbers = list(pool.map(lambda _: _numbered(pg_db), range(WRITERS * 2)))
    assert sorted(numbers) == sorted(f"云法办〔2026〕{n}号" for n in range(1, WRITERS * 2 + 1))


def _fail_as(session, sqlstate: str) -> None:  # type: ignore[no-untyped-def]
    """The server itself raises the failure (no mock): a DO block with that SQLSTATE."""
    session.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '{sqlstate}'; END $$"))


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_serialization_failure_and_deadlock_are_run_again(pg_db: Database, sqlstate: str) -> None:
    attempts = []

    def write(session) -> int:  # type: ignore[no-untyped-def]
        attempts.append(1)
        register_number(
            session,
            f"云法办〔2026〕{len(attempts)}号",
            kind="通报",
            title="通报",
            issued_on=date(2026, 3, 1),
            round_id=None,
        )
        if len(attempts) < 3:
            session.flush()
            _fail_as(session, sqlstate)
        return len(attempts)

    assert pg_db.retrying(write) == 3
    with pg_db.reading() as session:  # the failed attempts left nothing
        assert session.scalars(select(DocumentNumber.number)).all() == ["云法办〔2026〕3号"]


def test_other_failures_are_not_retried(pg_db: Database) -> None:
    attempts = []

    def write(session) -> None:  # type: ignore[no-untyped-def]
        attempts.append(1)
        _fail_as(session, "23505")

    with pytest.raises(DBAPIError):
        pg_db.retrying(write)
    assert len(attempts) == 1


def test_a_write_that_cannot_get_its_turn_is_refused_clearly(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "WAIT_FOR_LOCK", "200ms")
    holder = create_engine(pg_db.engine.url)
    with holder.connect() as other:  # an import holding its turn
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": database_module.WRITE_LOCK})
        with pytest.raises(StorageError, match="服务器正忙"):
            _logged_write(pg_db, 0, 0)
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": database_module.WRITE_LOCK})
    holder.dispose()
    with pg_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChangeLog)) == 0
    _logged_write(pg_db, 0, 1)  # its turn comes once the other is done
    assert verify_chain(pg_db).records == 1


def test_a_grid_edit_waiting_for_its_turn_sees_the_round_published_meanwhile(
    pg_db: Database, tmp_path
) -> None:
    """A grid edit reads the round's tree before its turn (so clients prepare side by side);
    whatever happened meanwhile is read again in its turn."""
    from decimal import Decimal

    from app.services.entry.cells import CellValue
    from app.services.entry.grid import NamedChange, apply_changes
    from app.services.rounds.definition import PUBLISHED, ReadOnlyRound
    from tests.cells import by_ids
    from tests.small_round import ASSESSOR, ROUND, build_small_round

    build_small_round(pg_db, tmp_path, ["市公安局"])
    value = CellValue(deduction=Decimal(2), reason="制度未及时更新")
    change = by_ids(pg_db, ROUND, NamedChange("市公安局", "1.1.1", ASSESSOR, value))
    holder = create_engine(pg_db.engine.url, isolation_level="AUTOCOMMIT")
    with holder.connect() as other, ThreadPoolExecutor(1) as pool:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": database_module.WRITE_LOCK})
        edit = pool.submit(apply_changes, pg_db, ROUND, change)
        time.sleep(0.5)  # the edit has read the round and waits for its turn
        other.execute(text("UPDATE rounds SET status = :s"), {"s": PUBLISHED})
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": database_module.WRITE_LOCK})
        with pytest.raises(ReadOnlyRound):
            edit.result(timeout=10)
    holder.dispose()


def test_an_assessors_edit_waiting_for_its_turn_sees_scoring_closed_meanwhile(
    pg_db: Database, tmp_path
) -> None:
    """An 评分人 scores only while the round is 评分中: a clerk closing scoring while the
    assessor's edit waits for its turn refuses the edit, by name, with nothing written."""
    from decimal import Decimal

    from app.models.accounts import ROLE_ASSESSOR
    from app.services.access.actor import Actor, acting_as
    from app.services.entry.cell_changes import CellRefused
    from app.services.entry.cells import CellValue
    from app.services.entry.grid import NamedChange, apply_changes, load_grid
    from tests.cells import by_ids
    from tests.small_round import ASSESSOR, ROUND, build_small_round

    build_small_round(pg_db, tmp_path, ["市公安局"])
    before = load_grid(pg_db, ROUND).cells
    value = CellValue(deduction=Decimal(2), reason="制度未及时更新")
    change = by_ids(pg_db, ROUND, NamedChange("市公安局", "1.1.1", ASSESSOR, value))
    assessor = Actor("li", ROLE_ASSESSOR, assessor_name=ASSESSOR, signed_in=True)
    holder = create_engine(pg_db.engine.url, isolation_level="AUTOCOMMIT")
    with acting_as(assessor), holder.connect() as other, ThreadPoolExecutor(1) as pool:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": database_module.WRITE_LOCK})
        edit = pool.submit(apply_changes, pg_db, ROUND, change)
        time.sleep(0.5)  # the edit has checked the round and waits for its turn
        other.execute(text("UPDATE rounds SET status = '审核中'"))
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": database_module.WRITE_LOCK})
        with pytest.raises(CellRefused, match="评分人只能在“评分中”阶段评分"):
            edit.result(timeout=10)
    holder.dispose()
    assert load_grid(pg_db, ROUND).cells == before
