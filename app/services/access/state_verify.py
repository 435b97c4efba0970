"""Is the current state the state the change log describes? (issue 15 §1)

Every group is recomputed from the database, one pass per table, and compared with its seal;
the seals' digest is compared with the one the chain's last record carries. A difference is
named: the kind, round and unit, and for a score the cell (leaf, assessor) with the value the
change log gives beside the value stored; for the other kinds the row and field, with the
value when it was sealed beside the value now.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, inspect, select, text

from app.errors import UserError
from app.models import ChangeLog
from app.models.database import Database, make_database
from app.services.access import logged_scores, state_seal
from app.services.access.audit import ChainReport, log_change, verify_chain
from app.services.access.permissions import Permission, require
from app.services.access.state_seal import (
    ACCOUNTS,
    KINDS,
    ROUND_KINDS,
    SCORES,
    Group,
    Prefix,
    Table,
    key_parts,
)

EMPTY = "（空）"


@dataclass(frozen=True)
class Difference:
    kind: str
    group: str
    message: str
    round: str | None = None
    unit: str | None = None
    leaf: str | None = None
    assessor: str | None = None
    item: str | None = None  # the row otherwise: an account, a notice's number, a problem
    field: str | None = None
    logged: str | None = None  # as the change log (scores) or the seal (the rest) has it
    stored: str | None = None  # as the database holds it now

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class StateReport:
    groups: int
    rows: int
    digest: str  # the digest of the seals as they are
    differences: list[Difference] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the seals against the chain
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.differences and not self.problems

    @property
    def short_code(self) -> str:
        return self.digest[:12].upper()

    def summary(self, limit: int = 20) -> list[str]:
        lines = list(self.problems)
        counts = Counter(d.kind for d in self.differences)
        if counts:
            lines.append("与变更记录不符：" + "，".join(f"{k} {n} 处" for k, n in counts.items()))
        lines += [f"  · {d.message}" for d in self.differences[:limit]]
        if len(self.differences) > limit:
            lines.append(f"  … 另有 {len(self.differences) - limit} 处")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "groups": self.groups,
            "rows": self.rows,
            "digest": self.digest,
            "problems": self.problems,
            "differences": [d.as_json() for d in self.differences],
            "seconds": round(self.seconds, 3),
        }


class _Names:
    """Ids as a person reads them, read once when a difference has to be named."""

    def __init__(self, connection: Connection) -> None:
        def pairs(sql: str) -> dict[Any, str]:
            return {k: str(v) for k, v in connection.execute(text(sql))}

        self.rounds = pairs("SELECT id, name FROM rounds")
        self.units = pairs("SELECT id, name FROM units")
        self.nodes = pairs("SELECT id, code FROM round_nodes")
        self.assessors = pairs("SELECT id, name FROM assessors")

    def of(self, names: dict[Any, str], value: Any) -> str:
        return names.get(value, f"（编号 {value}）") if value is not None else EMPTY


def _shown(value: Any) -> str:
    return EMPTY if value is None or value == "" else str(value)


def _where(kind: str, parts: Prefix, names: _Names) -> dict[str, str]:
    if kind in ROUND_KINDS and parts:
        found = {"round": names.of(names.rounds, parts[0])}
        if kind == SCORES and len(parts) > 1:
            found["unit"] = names.of(names.units, parts[1])
        return found
    return {}  # notices and problems are named by their rows (文号, 问题编号)


def _place(where: dict[str, str | None]) -> str:
    return " ".join(f"“{v}”" for v in where.values() if v)


def _row_names(table: Table, row: list[Any], names: _Names) -> dict[str, str]:
    """The row as names: its unit, leaf and assessor wherever the row holds them, and the
    rest of its identity as its own label and value."""
    found: dict[str, str] = {}
    items = []
    for position, (column, label, value) in enumerate(
        zip(table.columns, table.labels, row, strict=False)
    ):
        column = column.split(".")[-1].strip('"')
        if column == "unit_id":
            found["unit"] = names.of(names.units, value)
        elif column == "node_id":
            found["leaf"] = names.of(names.nodes, value)
        elif table.name == "round_nodes" and column == "code":
            found["leaf"] = str(value)
        elif column == "assessor_id" and table.name != "accounts":
            found["assessor"] = names.of(names.assessors, value)
        elif position < table.identity and table.name != "rounds":
            items.append(f"{label} {_shown(value)}")  # a round's own row: named by its group
    if items:
        found["item"] = " ".join(items)
    return found


def _snapshot_differences(
    kind: str, key: str, before: Group | None, now: Group | None, names: _Names
) -> list[Difference]:
    """Row by row, field by field, between the seal's snapshot and the rows now."""
    where: dict[str, str | None] = dict(_where(kind, key_parts(key)[1], names))

    def rows(group: Group | None) -> dict[tuple[str, str], list[list[Any]]]:
        found: dict[tuple[str, str], list[list[Any]]] = defaultdict(list)
        for line in (group.snapshot or "").splitlines() if group else []:
            table, row = state_seal.parse_line(line)
            found[(table.name, repr(row[: table.identity]))].append(row)
        return found

    old, new = rows(before), rows(now)
    found = []
    for identity in sorted(old.keys() | new.keys()):
        table = state_seal.TABLE_OF[identity[0]]
        was, is_ = old.get(identity, []), new.get(identity, [])
        sample = (was or is_)[0]
        place = {**where, **_row_names(table, sample, names)}
        if len(was) == 1 and len(is_) == 1:
            for label, a, b in zip(table.labels, was[0], is_[0], strict=True):
                if a != b:
                    logged, stored = ("（已改）", "（已改）") if label == "密码" else (a, b)
                    found.append(
                        Difference(
                            kind,
                            key,
                            f"{kind}：{_place(place)} 的“{label}”封存时为 {_shown(logged)}，"
                            f"现在为 {_shown(stored)}",
                            field=label,
                            logged=_shown(logged),
                            stored=_shown(stored),
                            **place,
                        )
                    )
            continue
        gone = [r for r in was if r not in is_]
        added = [r for r in is_ if r not in was]
        for row, what in [(r, "被删除") for r in gone] + [(r, "在程序外被添加") for r in added]:
            found.append(
                Difference(
                    kind,
                    key,
                    f"{kind}：{_place(place)} 的一行{what}（{table.name}：{_shown(row)}）",
                    logged=_shown(row) if what == "被删除" else EMPTY,
                    stored=_shown(row) if what != "被删除" else EMPTY,
                    **place,
                )
            )
    if not found:  # the rows are the same as sealed, yet the digests differ: the seal changed
        found.append(
            Difference(kind, key, f"{kind}：{_place(where)} 的封存记录在程序外被改动", **where)
        )
    return found


def _score_differences(
    connection: Connection,
    round_id: int,
    keys: list[str],
    lines: dict[str, list[str]],
    names: _Names,
    only_logged: bool = False,
) -> list[Difference]:
    """Cell by cell, against the change log's latest record of each cell."""
    round_name = names.of(names.rounds, round_id)
    units = {key: names.of(names.units, key_parts(key)[1][1]) for key in keys}
    codes = set(
        connection.execute(
            text("SELECT code FROM round_nodes WHERE round_id = :r"), {"r": round_id}
        ).scalars()
    )
    logged = logged_scores.logged_cells(connection, round_id, set(names.units.values()), codes)
    found = []
    for key in keys:
        unit = units[key]
        stored = logged_scores.stored_cells(
            (
                (unit, names.of(names.nodes, row[0]), names.of(names.assessors, row[1])),
                row[2:],
            )
            for row in (state_seal.parse_line(line)[1] for line in lines.get(key, []))
        )
        cells = set(stored) | {c for c in logged.cells if c[0] == unit}
        unlogged = 0
        named = []
        for cell in sorted(cells):
            was, now = logged.get(cell), stored.get(cell, [])
            if was is None:
                unlogged += 1
                continue
            if logged_scores.same(was, now):
                continue
            shown_was, shown_now = logged_scores.describe(was), logged_scores.describe(now)
            named.append(
                Difference(
                    SCORES,
                    key,
                    f"评分：“{round_name}” “{unit}” 指标 {cell[1]} 评分人“{cell[2]}”："
                    f"变更记录为 {shown_was}，库中为 {shown_now}",
                    round=round_name,
                    unit=unit,
                    leaf=cell[1],
                    assessor=cell[2],
                    logged=shown_was,
                    stored=shown_now,
                )
            )
        found += named
        if not named and not only_logged:
            more = f"；{unlogged} 格在变更记录中没有逐格记录，无法逐格比对" if unlogged else ""
            found.append(
                Difference(
                    SCORES,
                    key,
                    f"评分：“{round_name}” “{unit}” 的评分与封存不符{more}",
                    round=round_name,
                    unit=unit,
                )
            )
    return found


def _head(connection: Connection) -> tuple[int | None, str | None, bool]:
    """The chain's last record: its id, its state digest, and whether any record has one."""
    table = ChangeLog.__table__
    last = connection.execute(
        select(table.c.id, table.c.state_digest).order_by(table.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return None, None, False
    if last[1] is not None:
        return last[0], last[1], True
    any_digest = connection.execute(
        select(table.c.id).where(table.c.state_digest.is_not(None)).limit(1)
    ).first()
    return last[0], None, any_digest is not None


def _chain_problems(connection: Connection, seals: dict[str, Group], digest: str) -> list[str]:
    problems = [
        f"封存记录“{key}”在程序外被改动（其内容与摘要不符）"
        for key, seal in sorted(seals.items())
        if seal.snapshot is not None
        and hashlib.sha256(seal.snapshot.encode("utf-8")).hexdigest() != seal.digest
    ]
    record, carried, any_digest = _head(connection)
    if record is None:
        if seals:
            problems.append("变更记录为空，却有封存记录：变更记录可能被整体删除")
    elif carried is None:
        problems.append(
            f"变更记录链末条（第 {record} 条）没有状态摘要：它不是本程序写入的"
            if any_digest
            else "数据尚未封存：变更记录中没有状态摘要"
        )
    elif carried != digest:
        problems.append(
            f"封存记录与变更记录链不符：第 {record} 条记录的状态摘要为 {carried[:12].upper()}，"
            f"封存记录的摘要为 {digest[:12].upper()}（封存表在程序外被改动）"
        )
    return problems


def state_report(connection: Connection, round_id: int | None = None) -> StateReport:
    """Over one connection: every group (or one round's groups and the accounts)."""
    started = time.perf_counter()
    seals = state_seal.sealed(connection)
    digest = state_seal.whole_digest(connection)
    problems = _chain_problems(connection, seals, digest)
    names: _Names | None = None
    differences: list[Difference] = []
    groups = rows = 0
    for kind in KINDS:
        if round_id is not None and kind not in (*ROUND_KINDS, ACCOUNTS):
            continue
        prefixes: list[Prefix] = (
            [(round_id,)] if round_id is not None and kind != ACCOUNTS else [()]
        )
        lines = state_seal.read_lines(connection, kind, prefixes)
        before = {
            k: g
            for k, g in seals.items()
            if key_parts(k)[0] == kind and any(key_parts(k)[1][: len(p)] == p for p in prefixes)
        }
        groups += len(lines)
        rows += sum(len(v) for v in lines.values())
        differing = []
        for key in sorted(lines.keys() | before.keys()):
            now = lines.get(key, [])
            if (state_seal.digest_of(now)[0] if now else None) != (
                before[key].digest if key in before else None
            ):
                differing.append(key)
        if not differing:
            if kind == SCORES and problems:  # the seals may have been edited to match
                names = names or _Names(connection)
                for rid in sorted({key_parts(k)[1][0] for k in lines}):
                    keys = [k for k in lines if key_parts(k)[1][0] == rid]
                    differences += _score_differences(connection, rid, keys, lines, names, True)
            continue
        names = names or _Names(connection)
        if kind == SCORES:
            by_round: dict[int, list[str]] = defaultdict(list)
            for key in differing:
                by_round[key_parts(key)[1][0]].append(key)
            for rid, keys in sorted(by_round.items()):
                differences += _score_differences(connection, rid, keys, lines, names)
            continue
        for key in differing:
            now_group = None
            if key in lines:
                found_digest, body = state_seal.digest_of(lines[key])
                now_group = Group(key, found_digest, len(lines[key]), body)
            differences += _snapshot_differences(kind, key, before.get(key), now_group, names)
    return StateReport(groups, rows, digest, differences, problems, time.perf_counter() - started)


def verify_state(db: Database, round_id: int | None = None) -> StateReport:
    with db.reading() as session:
        return state_report(session.connection(), round_id)


@dataclass(frozen=True)
class Verification:
    """`audit verify`: the chain of records, and the state against it."""

    chain: ChainReport
    state: StateReport | None  # None: a file from before the state was sealed (before 0011)

    @property
    def ok(self) -> bool:
        return self.chain.first_broken is None and (self.state is None or self.state.ok)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "chain": {
                "ok": self.chain.first_broken is None,
                "records": self.chain.records,
                "head": self.chain.head,
                "code": self.chain.short_code,
                "first_broken": self.chain.first_broken,
                "problem": self.chain.problem,
            },
            "state": None if self.state is None else self.state.as_json(),
        }


def verify_database(db: Database, round_id: int | None = None) -> Verification:
    return Verification(verify_chain(db), verify_state(db, round_id))


class StateDiffers(UserError):
    """The data differs from what the change log describes: a check code printed now would
    vouch for data nobody logged."""

    def __init__(self, verification: Verification, doing: str) -> None:
        self.verification = verification
        state = verification.state
        lines = [verification.chain.problem] if verification.chain.first_broken else []
        lines += state.summary(limit=5) if state is not None else []
        super().__init__(
            f"数据与变更记录不一致，不能{doing}：\n"
            + "\n".join(lines)
            + "\n请管理员核查（audit verify），从备份恢复或确认后重新封存（audit reseal）。"
        )


def require_verified(db: Database, doing: str, round_id: int | None = None) -> None:
    """Before a document carries the chain's check code: the chain is whole and the state
    (the round's, or all of it) is the state its last record's digest describes."""
    verification = verify_database(db, round_id)
    if not verification.ok:
        raise StateDiffers(verification, doing)


def verify_file(path: str | Path) -> Verification:
    """Verify a database file without changing it (read-only), e.g. a backup before it is
    restored; a file from before the state was sealed has its chain verified only."""
    engine = create_engine(f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true")
    try:
        db = make_database(engine, Path(path))
        with engine.connect() as connection:
            sealed = inspect(connection).has_table("state_seals")
        return Verification(verify_chain(db), verify_state(db) if sealed else None)
    finally:
        engine.dispose()


def reseal_state(db: Database, reason: str) -> StateReport:
    """An administrator accepts the state as it is (e.g. after checking an edit made outside):
    every group is sealed again and the differences accepted are logged with the reason.
    Returns what was accepted. A broken chain stays broken: records cannot be repaired."""
    require(Permission.RESEAL)
    if not reason.strip():
        raise UserError("重新封存须说明理由（例如：核实后确认为经批准的更正）")
    with db.transaction() as session:
        connection = session.connection()
        found = state_report(connection)
        if found.ok:
            return found
        resealed = state_seal.seal_everything(connection)
        log_change(
            session,
            entity="状态",
            key="全部数据",
            action="确认并重新封存",
            old={
                "不一致": [d.as_json() for d in found.differences[:500]],
                "封存问题": found.problems,
            },
            new={"重新封存数据组": resealed},
            reason=reason.strip(),
        )
        return found
