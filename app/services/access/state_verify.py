"""Is the current state the state the change log describes? (issue 15 §1)

Every group is recomputed from the database, one pass per table, and compared with its seal;
the seals' digest is compared with the one the chain's last record carries. A difference is
named (state_differences); the state is resealed here once an administrator accepts it.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, inspect, select

from app.errors import UserError
from app.models import ChangeLog
from app.models.accounts import ROLE_ASSESSOR
from app.models.database import Database, make_database
from app.services.access import state_seal
from app.services.access.actor import current_actor
from app.services.access.audit import ChainReport, log_change, verify_chain
from app.services.access.evidence_verify import EvidenceReport, verify_evidence
from app.services.access.permissions import Permission, require
from app.services.access.state_differences import (
    Difference,
    Names,
    score_differences,
    snapshot_differences,
)
from app.services.access.state_seal import Group
from app.services.access.state_tables import (
    ACCOUNTS,
    KINDS,
    ROUND_KINDS,
    SCORES,
    Prefix,
    key_parts,
)


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


def _under_kept_unit_seals(
    lines: dict[str, list[str]], seals: dict[str, Group]
) -> dict[str, list[str]]:
    """A unit's score seal kept from before 0013 (its rows had been edited outside the
    program) covers all of the unit's assessors: compare it with their rows together, so the
    edit is named once, under the seal that was broken."""
    whole = {k for k in seals if len(key_parts(k)[1]) == 2}
    if not whole:
        return lines
    found: dict[str, list[str]] = {k: [] for k in whole}
    for key, rows in lines.items():
        unit = key.rsplit("/", 1)[0]
        if unit in whole:
            found[unit] += rows
        else:
            found[key] = rows
    return {k: v for k, v in found.items() if v}


def state_report(connection: Connection, round_id: int | None = None) -> StateReport:
    """Over one connection: every group (or one round's groups and the accounts)."""
    started = time.perf_counter()
    seals = state_seal.sealed(connection)
    digest = state_seal.whole_digest(connection)
    problems = _chain_problems(connection, seals, digest)
    names: Names | None = None
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
        if kind == SCORES:
            lines = _under_kept_unit_seals(lines, before)
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
                names = names or Names(connection)
                for rid in sorted({key_parts(k)[1][0] for k in lines}):
                    keys = [k for k in lines if key_parts(k)[1][0] == rid]
                    differences += score_differences(connection, rid, keys, lines, names, True)
            continue
        names = names or Names(connection)
        if kind == SCORES:
            by_round: dict[int, list[str]] = defaultdict(list)
            for key in differing:
                by_round[key_parts(key)[1][0]].append(key)
            for rid, keys in sorted(by_round.items()):
                differences += score_differences(connection, rid, keys, lines, names)
            continue
        for key in differing:
            now_group = None
            if key in lines:
                found_digest, body = state_seal.digest_of(lines[key])
                now_group = Group(key, found_digest, len(lines[key]), body)
            differences += snapshot_differences(kind, key, before.get(key), now_group, names)
    return StateReport(groups, rows, digest, differences, problems, time.perf_counter() - started)


def verify_state(db: Database, round_id: int | None = None) -> StateReport:
    with db.reading() as session:
        return state_report(session.connection(), round_id)


@dataclass(frozen=True)
class Verification:
    """`audit verify`: the chain of records, and the state against it."""

    chain: ChainReport
    state: StateReport | None  # None: a file from before the state was sealed (before 0011)
    evidence: EvidenceReport | None = None  # the evidence files' content, when it was checked

    @property
    def ok(self) -> bool:
        return (
            self.chain.first_broken is None
            and (self.state is None or self.state.ok)
            and (self.evidence is None or self.evidence.ok)
        )

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
            "evidence": None if self.evidence is None else self.evidence.as_json(),
        }


def sees_whole_state(db: Database) -> bool:
    """Whether the signed-in person can read every row the seals cover. On a server an 评分人
    reads only their own scores and change-log records (row-level security): a check made as
    them would report everyone else's share as changed. The office's accounts check instead."""
    return not (db.engine.dialect.name == "postgresql" and current_actor().role == ROLE_ASSESSOR)


def verify_database(
    db: Database, round_id: int | None = None, *, evidence: bool = False
) -> Verification:
    """``evidence``: also read back and hash every evidence file (`audit verify` does; the
    checks before a document or at start do not: seconds per GB)."""
    return Verification(
        verify_chain(db), verify_state(db, round_id), verify_evidence(db) if evidence else None
    )


class StateDiffers(UserError):
    """The data differs from what the change log describes: a check code printed now would
    vouch for data nobody logged."""

    def __init__(self, verification: Verification, doing: str) -> None:
        self.verification = verification
        state = verification.state
        lines = [verification.chain.problem] if verification.chain.first_broken else []
        lines += state.summary(limit=5) if state is not None else []
        found = verification.evidence
        lines += [p.message for p in (found.problems if found else [])][:5]
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
