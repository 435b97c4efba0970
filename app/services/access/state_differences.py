"""A difference between the state and its seals, named as a person reads it: the kind, round
and unit, and for a score the cell (leaf, assessor) with the value the change log gives beside
the value stored; for the other kinds the row and field, with the value when it was sealed
beside the value now. state_verify finds which groups differ; this module says how.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, text

from app.services.access import logged_scores, state_seal
from app.services.access.state_seal import Group
from app.services.access.state_tables import (
    ROUND_KINDS,
    SCORES,
    TABLE_OF,
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


class Names:
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


def _where(kind: str, parts: Prefix, names: Names) -> dict[str, str]:
    if kind in ROUND_KINDS and parts:
        found = {"round": names.of(names.rounds, parts[0])}
        if len(parts) > 1:  # scores and evidence: per round and unit
            found["unit"] = names.of(names.units, parts[1])
        if kind == SCORES and len(parts) > 2:
            found["assessor"] = names.of(names.assessors, parts[2])
        return found
    return {}  # notices and problems are named by their rows (文号, 问题编号)


def _place(where: dict[str, str | None]) -> str:
    return " ".join(f"“{v}”" for v in where.values() if v)


def _row_names(table: Table, row: list[Any], names: Names) -> dict[str, str]:
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


def snapshot_differences(
    kind: str, key: str, before: Group | None, now: Group | None, names: Names
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
        table = TABLE_OF[identity[0]]
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


def score_differences(
    connection: Connection,
    round_id: int,
    keys: list[str],
    lines: dict[str, list[str]],
    names: Names,
    only_logged: bool = False,
) -> list[Difference]:
    """Cell by cell, against the change log's latest record of each cell."""
    round_name = names.of(names.rounds, round_id)
    units = {key: names.of(names.units, key_parts(key)[1][1]) for key in keys}
    # A group is one assessor's share of a unit (a seal from before 0013: the whole unit's).
    assessors = {
        key: names.of(names.assessors, parts[2]) if len(parts) > 2 else None
        for key, parts in ((k, key_parts(k)[1]) for k in keys)
    }
    codes = set(
        connection.execute(
            text("SELECT code FROM round_nodes WHERE round_id = :r"), {"r": round_id}
        ).scalars()
    )
    logged = logged_scores.logged_cells(connection, round_id, set(names.units.values()), codes)
    found = []
    for key in keys:
        unit, assessor = units[key], assessors[key]
        stored = logged_scores.stored_cells(
            (
                (unit, names.of(names.nodes, row[0]), names.of(names.assessors, row[1])),
                row[2:],
            )
            for row in (state_seal.parse_line(line)[1] for line in lines.get(key, []))
        )
        cells = set(stored) | {c for c in logged.cells if c[0] == unit and assessor in (None, c[2])}
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
                    f"评分：“{round_name}” “{unit}”"
                    + (f" 评分人“{assessor}”" if assessor else "")
                    + f" 的评分与封存不符{more}",
                    round=round_name,
                    unit=unit,
                    **({"assessor": assessor} if assessor else {}),
                )
            )
    return found
