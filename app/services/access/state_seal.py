"""The sealed state (issue 15 §1): what the results and the published record are made of, as
groups of rows with a SHA-256 digest each, kept in ``state_seals``; the digest of all of them is
carried by the change log's last record (app.services.access.sealing writes both at every commit).

A group's digest is taken over its rows in a canonical text form: each row the literal (repr)
of a tuple of the values exactly as the database holds them (no ORM conversion, so a value the
program would refuse to read still digests, and is reported), rows sorted, joined by newlines.
Row ids are left out where another column names the row, so deleting and re-adding the same
rows (as an import does) leaves a digest unchanged. Volatile columns (when a row was entered, failed
sign-ins, a lock-out) are left out: they change without changing any result. Which tables and
columns make each kind's groups is defined in state_tables; this module computes the groups'
digests and writes the seals.
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from app.models import StateSeal
from app.services.access.state_tables import (
    KINDS,
    PASSWORD,
    SCORES,
    SNAPSHOT_KINDS,
    TABLE_OF,
    TABLES,
    Prefix,
    Table,
    group_key,
    key_parts,
)

EMPTY_STATE = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Group:
    key: str
    digest: str
    rows: int
    snapshot: str | None


def _text(value: Any) -> Any:
    """A value as PostgreSQL's driver hands it back, written as SQLite stores it: a row must
    seal to the same line on both engines, or a database copied from one to the other (a file
    moved to a server, a server's backup file) would no longer match its change log."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _plain(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        v
        if v is None or (isinstance(v, (str, int, float, bytes)) and not isinstance(v, bool))
        else _text(v)
        for v in values
    )


def _line(table: Table, values: tuple[Any, ...], plain: bool = True) -> str:
    """A row as the literal of its values (SQLite hands back only str, int, float and None:
    repr is exact, unambiguous, and two to three times faster than JSON)."""
    if not plain:
        values = _plain(values)
    if table.name == "accounts":  # the hash of a hash: enough to see a password replaced
        row = list(values)
        index = table.columns.index(PASSWORD)
        row[index] = hashlib.sha256(str(row[index]).encode()).hexdigest()[:16]
        values = tuple(row)
    return repr((table.name, *values) if table.tagged else values)


def parse_line(line: str) -> tuple[Table, list[Any]]:
    row = list(ast.literal_eval(line))
    if row and isinstance(row[0], str) and row[0] in TABLE_OF and TABLE_OF[row[0]].tagged:
        return TABLE_OF[row[0]], row[1:]
    return TABLES[SCORES][0], row


def _where(table: Table, prefixes: list[Prefix]) -> str:
    """The WHERE clause that reads exactly the groups under ``prefixes`` (any () reads all):
    prefixes sharing their leading parts become one IN on their last part. The key parts are
    integers, written into the statement as such (int() on each)."""
    if not prefixes or any(not p for p in prefixes) or not table.scope:
        return ""

    def listed(values: Iterable[int]) -> str:
        return ", ".join(str(int(v)) for v in sorted(values))

    kept = sorted(set(prefixes), key=len)
    covered: list[Prefix] = []
    for prefix in kept:  # a prefix under a shorter one already read adds nothing
        if not any(prefix[: len(c)] == c for c in covered):
            covered.append(prefix)
    by_lead: dict[Prefix, set[int]] = defaultdict(set)
    for prefix in covered:
        by_lead[prefix[:-1]].add(prefix[-1])
    conditions = []
    for lead, lasts in sorted(by_lead.items()):
        parts = [f"{table.scope[i]} = {int(v)}" for i, v in enumerate(lead)]
        parts.append(f"{table.scope[len(lead)]} IN ({listed(lasts)})")
        conditions.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
    return " WHERE " + " OR ".join(conditions)


def read_lines(
    connection: Connection, kind: str, prefixes: list[Prefix] | None = None
) -> dict[str, list[str]]:
    """Each group's canonical rows, one query per table of the kind, through the driver's own
    cursor (a third faster than result rows) in the connection's transaction."""
    lines: dict[str, list[str]] = defaultdict(list)
    plain = connection.dialect.name == "sqlite"
    for table in TABLES[kind]:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(table.sql(_where(table, prefixes or [()])))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        width = len(table.scope)
        keys: dict[tuple[Any, ...], list[str]] = {}
        for row in rows:
            scope = tuple(row[:width])
            found = keys.get(scope)
            if found is None:
                found = keys[scope] = lines[group_key(kind, scope)]
            found.append(_line(table, tuple(row[width:]), plain))
    return lines


def digest_of(lines: list[str]) -> tuple[str, str]:
    body = "\n".join(sorted(lines))
    return hashlib.sha256(body.encode("utf-8")).hexdigest(), body


def compute(
    connection: Connection, kind: str, prefixes: list[Prefix] | None = None
) -> dict[str, Group]:
    """The groups under ``prefixes`` as the database holds them now (absent: no rows)."""
    groups = {}
    for key, lines in read_lines(connection, kind, prefixes).items():
        digest, body = digest_of(lines)
        groups[key] = Group(key, digest, len(lines), body if kind in SNAPSHOT_KINDS else None)
    return groups


def depth(kind: str) -> int:
    """How many parts a group's key has after its kind (3 for scores: round, unit, assessor)."""
    return len(TABLES[kind][0].scope)


def sealed(
    connection: Connection, kind: str | None = None, prefixes: list[Prefix] | None = None
) -> dict[str, Group]:
    """The seals under ``prefixes`` (all of the kind, or every seal when kind is None)."""
    table = StateSeal.__table__
    query = select(table.c.group_key, table.c.digest, table.c.rows, table.c.snapshot)
    if kind is not None and (not prefixes or any(not p for p in prefixes)):
        query = query.where(
            (table.c.group_key == kind) | table.c.group_key.startswith(kind + "/", autoescape=True)
        )
    elif kind is not None:
        assert prefixes is not None
        exact = [group_key(kind, p) for p in prefixes if len(p) == depth(kind)]
        under = [group_key(kind, p) + "/" for p in prefixes if len(p) < depth(kind)]
        conditions = [table.c.group_key.startswith(u, autoescape=True) for u in under]
        for start in range(0, len(exact), 500):
            conditions.append(table.c.group_key.in_(exact[start : start + 500]))
        query = query.where(or_(*conditions))
    return {
        key: Group(key, digest, rows, snapshot)
        for key, digest, rows, snapshot in connection.execute(query)
    }


def groups_under(
    connection: Connection, kind: str, prefixes: list[Prefix]
) -> tuple[dict[str, Group], dict[str, Group]]:
    """(now, sealed) for the groups under ``prefixes``."""
    return compute(connection, kind, prefixes), sealed(connection, kind, prefixes)


def write_seals(connection: Connection, groups: list[Group], removed: list[str]) -> None:
    table = StateSeal.__table__
    keys = [g.key for g in groups] + removed
    for start in range(0, len(keys), 500):
        connection.execute(delete(table).where(table.c.group_key.in_(keys[start : start + 500])))
    if groups:
        connection.execute(
            insert(table),
            [
                {"group_key": g.key, "digest": g.digest, "rows": g.rows, "snapshot": g.snapshot}
                for g in groups
            ],
        )


def reseal(
    connection: Connection, kind: str, prefixes: list[Prefix], keep: set[str] = frozenset()
) -> list[str]:
    """Seal the groups under ``prefixes`` as they are now, except those in ``keep`` (found
    changed behind the program's back before this transaction touched them: their seal stays,
    so a later write never launders an edit made outside). Returns the keys whose seal changed."""
    now, before = groups_under(connection, kind, prefixes)
    changed = [g for key, g in now.items() if key not in keep and before.get(key, None) != g]
    removed = [key for key in before if key not in now and key not in keep]
    write_seals(connection, changed, removed)
    return sorted([g.key for g in changed] + removed)


def whole_digest(connection: Connection) -> str:
    """The state's digest: SHA-256 over every (group, digest) pair in key order."""
    table = StateSeal.__table__
    pairs = sorted(map(tuple, connection.execute(select(table.c.group_key, table.c.digest))))
    body = "".join(f"{key}\t{digest}\n" for key, digest in pairs)
    return hashlib.sha256(body.encode("utf-8")).hexdigest() if pairs else EMPTY_STATE


def seal_everything(connection: Connection) -> list[str]:
    """Seal every group as it is (a migration's first sealing, an administrator's reseal)."""
    changed: list[str] = []
    for kind in KINDS:
        changed += reseal(connection, kind, [()])
    return changed


def all_lines(connection: Connection) -> Iterator[tuple[str, dict[str, list[str]]]]:
    for kind in KINDS:
        yield kind, read_lines(connection, kind)


def split_unit_score_seals(connection: Connection) -> tuple[int, list[str]]:
    """Migration 0013: a unit's scores were one group; they are now one group per assessor.
    Each old seal whose rows are still exactly as sealed is replaced by the new groups' seals;
    one that no longer matches (rows edited outside the program before the upgrade) is kept
    as it was, so the edit is still reported after the upgrade. Returns (replaced, kept)."""
    old = {k: g for k, g in sealed(connection, SCORES).items() if len(key_parts(k)[1]) == 2}
    if not old:
        return 0, []
    by_unit: dict[Prefix, dict[str, list[str]]] = defaultdict(dict)
    for key, lines in read_lines(connection, SCORES, [key_parts(k)[1] for k in old]).items():
        by_unit[key_parts(key)[1][:2]][key] = lines
    replaced, kept, groups = [], [], []
    for key, seal in sorted(old.items()):
        shares = by_unit.get(key_parts(key)[1], {})
        whole = [line for lines in shares.values() for line in lines]
        if digest_of(whole)[0] != seal.digest:
            kept.append(key)
            continue
        replaced.append(key)
        groups += [Group(k, digest_of(v)[0], len(v), None) for k, v in shares.items()]
    write_seals(connection, groups, replaced)
    return len(replaced), kept
