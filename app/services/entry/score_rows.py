"""A score workbook's rows checked against the round before anything is written: each row's
unit, leaf and assessor (issue 14 §4: never created, never one's own unit), its values, and each
cell's rows together (one valued row, not 不适用 beside a value); what is accepted with a note
(代录, a deduction above the points, the round's new default assessor) comes back as notes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import SheetIssue, WorkbookError
from app.io.records import ScoreRecord
from app.models import Round, RoundNode
from app.services.entry.assignments import ScoreScope, score_scope
from app.services.entry.checks import check_value, has_value
from app.services.entry.entry_rows import value_of
from app.services.names import StoredNames
from app.services.rounds.participants import units_taking_part

DEFAULT_ASSESSOR = "默认评分人"
Key = tuple[int, int, str]  # unit id, node id, assessor name


@dataclass
class CheckedRows:
    """What the rows may write: grouped by cell, and what is accepted with a note."""

    grouped: dict[Key, list[ScoreRecord]]
    skipped: list[int]
    warnings: list[str]
    proxied: dict[Key, str]  # cells entered for an assessor they are not assigned to (代录)
    new_default: bool  # the round's default assessor is created for rows without a name


def _assessor_problem(
    record: ScoreRecord, scope: ScoreScope, unit_id: int | None
) -> SheetIssue | None:
    """Issue 14 §4: the name must be an assessor of the round, never created; a
    blank name is the round's default assessor, only where the round has no assignments."""
    where = record.source.at("assessor")
    name = record.assessor or DEFAULT_ASSESSOR
    assessor_id = scope.assessor_ids.get(name)
    if assessor_id is not None and unit_id is not None and scope.own_units[assessor_id] == unit_id:
        return SheetIssue(where, f"评分人“{name}”不能给本单位评分（回避）")
    if record.assessor is None:
        default_of_round = assessor_id is not None and scope.of_round(assessor_id)
        if default_of_round or (not scope.has_assignments and assessor_id is None):
            return None
        return SheetIssue(where, "未填写评分人：本批次已分工，每行须写明评分人")
    problem = scope.name_problem(name)
    return None if problem is None else SheetIssue(where, problem)


def _round_targets(
    session: Session, round_: Round
) -> tuple[dict[str, int], dict[str, RoundNode], set[int | None]]:
    """The round's units by name, its nodes by code, and the ids of the nodes with children."""
    units = units_taking_part(session, round_.id)
    nodes = {
        n.code: n for n in session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id))
    }
    parents = {n.parent_id for n in nodes.values()}
    return units, nodes, parents


def _placement_problems(
    record: ScoreRecord, unit_id: int | None, node: RoundNode | None, parents: set[int | None]
) -> list[SheetIssue]:
    """The row's unit is in the round and its code names a leaf of the round's tree."""
    problems = []
    if unit_id is None:
        problems.append(
            SheetIssue(record.source.at("unit"), f"单位“{record.unit}”不在本考核批次的考核对象中")
        )
    if node is None:
        problems.append(
            SheetIssue(
                record.source.at("leaf_code"),
                f"指标编码“{record.leaf_code}”在本批次的指标体系中不存在",
            )
        )
    elif node.id in parents:
        problems.append(
            SheetIssue(
                record.source.at("leaf_code"), f"指标 {node.code} 不是末级指标，不能直接评分"
            )
        )
    return problems


def _cell_problems(
    grouped: dict[Key, list[ScoreRecord]], nodes: dict[str, RoundNode]
) -> list[SheetIssue]:
    """A cell's rows together: one row with a value (except 扣分 leaves), and 不适用 only alone."""
    problems = []
    nodes_by_id = {n.id: n for n in nodes.values()}
    for (_, node_id, assessor), rows in grouped.items():
        node = nodes_by_id[node_id]
        valued = [
            r for r in rows if r.score is not None or r.answer is not None or r.measured is not None
        ]
        if node.method != "扣分" and len(valued) > 1:
            where = "、".join(str(r.source.row) for r in valued)
            problems.append(
                SheetIssue(
                    valued[1].source.at("unit"),
                    f"单位“{rows[0].unit}”指标 {node.code} 评分人“{assessor}”"
                    f"有多行分值（第 {where} 行），只能有一行",
                )
            )
        marked = [r for r in rows if r.not_applicable]
        if marked and len(marked) < len(rows):
            where = "、".join(str(r.source.row) for r in rows)
            problems.append(
                SheetIssue(
                    marked[0].source.at("not_applicable"),
                    f"单位“{rows[0].unit}”指标 {node.code} 评分人“{assessor}”"
                    f"既有“不适用”行又有分值行（第 {where} 行）：不适用的指标不评分，请只留一种",
                )
            )
    return problems


def _notes(warnings: list[SheetIssue], proxied: dict[Key, str], new_default: bool) -> list[str]:
    """What is accepted with a note: the values' warnings, 代录 by assessor, a new default."""
    notes = [str(w) for w in warnings]
    by_assessor: dict[str, list[str]] = defaultdict(list)
    for (_, _, assessor), cell in proxied.items():
        by_assessor[assessor].append(cell)
    for assessor, cells in by_assessor.items():
        more = "等" if len(cells) > 3 else ""
        notes.append(
            f"代录：{len(cells)} 格未分配给“{assessor}”，按代录记入（{'、'.join(cells[:3])}{more}）"
        )
    if new_default:
        notes.append(f"评分人一栏为空的行记在新建的评分人“{DEFAULT_ASSESSOR}”名下（本批次未分工）")
    return notes


def _as_stored(
    records: list[ScoreRecord], units: StoredNames, assessors: StoredNames
) -> list[ScoreRecord]:
    """Each row's unit and assessor by their stored names: a sheet that writes "(" scores the
    unit stored with "（" (and the other way round)."""
    return [
        replace(
            r,
            unit=units.stored(r.unit),
            assessor=None if r.assessor is None else assessors.stored(r.assessor),
        )
        for r in records
    ]


def validate(session: Session, round_: Round, records: list[ScoreRecord]) -> CheckedRows:
    """Every row checked; raises WorkbookError naming every problem, in the rows' order."""
    units, nodes, parents = _round_targets(session, round_)
    scope = score_scope(session, round_)
    records = _as_stored(records, StoredNames(units), StoredNames(scope.assessor_ids))
    problems: list[SheetIssue] = []
    warnings: list[SheetIssue] = []
    grouped: dict[Key, list[ScoreRecord]] = defaultdict(list)
    proxied: dict[Key, str] = {}
    skipped: list[int] = []
    for record in records:
        unit_id = units.get(record.unit)
        node = nodes.get(record.leaf_code)
        assessor = record.assessor or DEFAULT_ASSESSOR
        wrong_name = _assessor_problem(record, scope, unit_id)
        if wrong_name is not None:
            problems.append(wrong_name)
        problems.extend(_placement_problems(record, unit_id, node, parents))
        if unit_id is None or node is None or node.id in parents:
            continue
        check = check_value(value_of(record), node)
        problems.extend(SheetIssue(record.source.at(p.part), p.message) for p in check.problems)
        warnings.extend(
            SheetIssue(record.source.at(w.part), w.message)
            for w in (*check.warnings, *check.pending)  # a 酌情 row without reason goes in, marked
        )
        if wrong_name is not None:
            continue
        if not has_value(check.value) and node.method != "扣分":
            skipped.append(record.source.row)
            continue
        key = (unit_id, node.id, assessor)
        grouped[key].append(record)
        if (
            record.assessor is not None
            and scope.has_assignments
            and not scope.assigned(scope.assessor_ids[assessor], node.id, unit_id)
        ):
            proxied[key] = f"{record.unit} {node.code}"
    problems.extend(_cell_problems(grouped, nodes))
    if problems:
        raise WorkbookError(problems)
    new_default = any(key[2] == DEFAULT_ASSESSOR for key in grouped) and (
        DEFAULT_ASSESSOR not in scope.assessor_ids
    )
    return CheckedRows(
        grouped, skipped, _notes(warnings, proxied, new_default), proxied, new_default
    )
