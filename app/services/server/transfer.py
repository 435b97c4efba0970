"""Copy a whole Kaoping database from one engine to another (a file into a server, a server into
a snapshot file): every table row for row with its ids, in foreign-key order, in one
transaction on the target that is committed only when both ends have the same counts, score
sums, chain head and state digest. Read from the source in one consistent transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, column, insert, select, table, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.errors import UserError
from app.models.base import Base
from app.models.migrate import head_revision
from app.services.server.fingerprint import Fingerprint, fingerprint, revision_of

BATCH = 2000
Progress = Callable[[int, int], None]


class TransferFailed(UserError):
    """The copy was not made; the target was left as it was (rolled back)."""


@dataclass(frozen=True)
class TransferReport:
    """What was copied and the figures both ends agreed on."""

    rows: dict[str, int]
    chain_records: int
    chain_head: str
    state_digest: str
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def summary(self) -> str:
        return (
            f"共 {len(self.rows)} 张表 {self.total_rows} 行；变更记录 {self.chain_records} 条，"
            f"链头校验码 {self.chain_head[:12].upper()}；"
            f"状态摘要 {self.state_digest[:12].upper()}（{self.seconds:.1f} 秒）"
        )


@contextmanager
def consistent_reading(engine: Engine) -> Iterator[Connection]:
    """One transaction that sees one state: REPEATABLE READ (read only) on a server; on SQLite
    the caller's engine should be a read-only one, whose deferred BEGIN holds a shared lock
    from the first read to the end."""
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def copy_database(
    source: Engine,
    target: Engine,
    *,
    require_sound: bool,
    progress: Progress | None = None,
) -> TransferReport:
    """Copy ``source`` into the empty ``target`` (both at this program's schema). With
    ``require_sound`` a source whose change log or state fails `audit verify` is refused
    (an office's file moving to a server); a backup copies what there is, flaws included."""
    started = time.perf_counter()
    head = head_revision()
    with consistent_reading(source) as reading:
        before = fingerprint(reading)
        if before.revision != head:
            raise TransferFailed(
                f"源数据库的版本（{before.revision}）与本程序（{head}）不同，须先升级后再复制"
            )
        if require_sound and not before.sound:
            raise TransferFailed(_unsound(before))
        with target.connect() as writing:
            transaction = writing.begin()
            try:
                _refuse_unready(writing, head)
                _copy_tables(reading, writing, before.total_rows, progress)
                _reset_sequences(writing)
                after = fingerprint(writing)
                differences = before.differences(after)
                if differences:
                    raise TransferFailed(
                        "复制后核对不一致，已撤销，目标数据库未改变：\n" + "\n".join(differences)
                    )
                transaction.commit()
            except SQLAlchemyError as exc:
                transaction.rollback()
                raise TransferFailed(
                    f"复制失败，已撤销，目标数据库未改变（{_reason(exc)}）"
                ) from exc
            except BaseException:
                transaction.rollback()
                raise
    return TransferReport(
        after.rows,
        after.chain.records,
        after.chain.head,
        after.state_digest,
        time.perf_counter() - started,
    )


def _unsound(found: Fingerprint) -> str:
    if found.chain.first_broken is not None:
        why = f"变更记录链断裂（{found.chain.problem}）"
    else:
        why = "数据与其变更记录不符（在程序之外被改动过）"
    return f"源数据库未通过校验：{why}，不能复制。请先核查（audit verify）或改用一份备份"


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).strip().splitlines()[0]


def _refuse_unready(connection: Connection, head: str) -> None:
    """The target must be at this program's schema and hold nothing: rows cannot be merged into
    another office's data, nor two change logs into one chain."""
    revision = revision_of(connection)
    if revision != head:
        raise TransferFailed(
            f"目标数据库的版本（{revision or '未建立'}）与本程序（{head}）不同，未写入任何数据"
        )
    filled = [
        t.name
        for t in Base.metadata.sorted_tables
        if connection.execute(select(text("1")).select_from(t).limit(1)).first() is not None
    ]
    if filled:
        raise TransferFailed(
            f"目标数据库不是空的（已有数据的表：{'、'.join(filled)}），未写入任何数据；"
            "请使用一个新建的空数据库"
        )


def _stored_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type as stored: decimals and JSON pass as their exact text, never re-rendered."""
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def _as_stored(model: Table) -> TableClause:
    return table(model.name, *[column(c.name, _stored_type(c.type)) for c in model.c])


def _copy_tables(
    reading: Connection, writing: Connection, total: int, progress: Progress | None
) -> None:
    done = 0
    for model in Base.metadata.sorted_tables:
        stored = _as_stored(model)
        order = [stored.c[c.name] for c in model.primary_key]
        rows = reading.execution_options(yield_per=BATCH).execute(select(stored).order_by(*order))
        batches: Iterator[list[dict[str, Any]]]
        if _parent_columns(model):  # a tree: each parent row before its children
            batches = iter([_parents_first(model, [dict(r._mapping) for r in rows])])
        else:
            batches = ([dict(r._mapping) for r in part] for part in rows.partitions(BATCH))
        for batch in batches:
            for start in range(0, len(batch), BATCH):
                part = batch[start : start + BATCH]
                writing.execute(insert(stored), part)
                done += len(part)
                if progress is not None:
                    progress(done, total)


def _parent_columns(model: Table) -> list[str]:
    return [fk.parent.name for fk in model.foreign_keys if fk.column.table is model]


def _parents_first(model: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows ordered so that every row's parent comes before it (a node moved under a later
    one has a larger parent id than its own)."""
    parents = _parent_columns(model)
    key = model.primary_key.columns.values()[0].name
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    waiting = rows
    while waiting:
        later = []
        for row in waiting:
            if all(row[p] is None or row[p] in placed or row[p] == row[key] for p in parents):
                ordered.append(row)
                placed.add(row[key])
            else:
                later.append(row)
        if len(later) == len(waiting):  # a parent that is missing: let the foreign key say so
            ordered += later
            break
        waiting = later
    return ordered


def _reset_sequences(connection: Connection) -> None:
    """On a server the ids were given, not drawn: each id sequence continues after the largest
    copied id, so the next row written by the program does not collide."""
    if connection.dialect.name != "postgresql":
        return
    for model in Base.metadata.sorted_tables:
        keys = list(model.primary_key.columns)
        if len(keys) != 1:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": model.name, "c": keys[0].name}
        ).scalar()
        if sequence is None:
            continue
        connection.execute(
            text(
                f'SELECT setval(:s, COALESCE((SELECT MAX("{keys[0].name}") '
                f'FROM "{model.name}"), 0) + 1, false)'
            ),
            {"s": sequence},
        )
