"""Every write transaction seals what it touched (issue 15 §1), through session events
registered here for every Session (app.models knows nothing of them).

- Before a flush writes, the groups its objects belong to are checked against their seals,
  once per transaction; a group already different (edited outside the program) keeps its old
  seal, so a later legitimate write to it can never launder the edit.
- Mapper events name the groups of every row a flush writes (cascades and orphans included);
  a bulk INSERT/UPDATE/DELETE statement on a protected table marks its whole kind.
- Before commit: the touched groups are resealed, the queued change-log records chained, the
  last carrying the whole state's digest; a transaction that changed sealed state without
  logging anything gets a record of its own (状态 / 封存).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from app.models import (
    Account,
    Assessor,
    Assignment,
    ChangeLog,
    EvidenceAttachment,
    EvidenceReview,
    Notice,
    Problem,
    ProblemEvent,
    Round,
    RoundNode,
    RoundUnit,
    SatisfactionExemption,
    SatisfactionResult,
    ScoreEntry,
)
from app.models import migrate as migrate_module
from app.models.base import utcnow
from app.models.review import Objection, StageScore
from app.services.access import audit, state_seal, state_tables
from app.services.access.state_tables import (
    ACCOUNTS,
    BUCKET,
    EVIDENCE,
    KIND_OF_TABLE,
    LEDGER,
    NOTICES,
    OBJECTIONS,
    ROUND,
    ROUND_KINDS,
    SATISFACTION,
    SCORES,
    STAGES,
    Prefix,
)

PENDING = "kaoping.seal"  # session.info: what this transaction touched and checked
Mark = tuple[str, Prefix]  # (kind, prefix of the group's key parts)
Values = Callable[[str], Any]


@dataclass
class Pending:
    touched: set[Mark] = field(default_factory=set)
    checked: set[Mark] = field(default_factory=set)
    differed: set[str] = field(default_factory=set)  # groups found changed behind our back


def _pending(session: Session) -> Pending:
    found = session.info.get(PENDING)
    if found is None:
        found = session.info[PENDING] = Pending()
    return found  # type: ignore[no-any-return]


def _marks(obj: Any, value: Values, deleted: bool) -> list[Mark | None]:
    """The groups a row of a protected class belongs to (None where a part is not known yet)."""

    def parts(*names: str) -> Prefix | None:
        found = tuple(value(n) for n in names)
        return found if all(isinstance(p, int) for p in found) else None  # type: ignore[return-value]

    def mark(kind: str, *names: str) -> Mark | None:
        found = parts(*names)
        return None if found is None else (kind, found)

    def bucket(kind: str, name: str) -> Mark | None:
        found = parts(name)
        return None if found is None else (kind, (found[0] // BUCKET,))

    match obj:
        case ScoreEntry():
            return [mark(SCORES, "round_id", "unit_id", "assessor_id")]
        case SatisfactionResult() | SatisfactionExemption():
            return [mark(SATISFACTION, "round_id")]
        case StageScore():
            return [mark(STAGES, "round_id")]
        case Objection():
            return [mark(OBJECTIONS, "round_id")]
        case RoundNode() | RoundUnit() | Assignment():
            return [mark(ROUND, "round_id")]
        case Round():
            # A deleted round takes its rows with it (some by the database's own cascade).
            kinds = ROUND_KINDS if deleted else (ROUND, SATISFACTION)
            return [mark(kind, "id") for kind in kinds]
        case Account():
            return [(ACCOUNTS, ())]
        case Assessor():  # deleting one clears accounts.assessor_id in the database
            return [(ACCOUNTS, ())] if deleted else []
        case Notice():
            return [bucket(NOTICES, "id")]
        case Problem():
            return [bucket(LEDGER, "id")]
        case ProblemEvent():
            return [bucket(LEDGER, "problem_id")]
        case EvidenceAttachment() | EvidenceReview():
            return [mark(EVIDENCE, "round_id", "unit_id")]
    return []


PROTECTED = (
    ScoreEntry,
    SatisfactionResult,
    SatisfactionExemption,
    StageScore,
    Objection,
    RoundNode,
    RoundUnit,
    Assignment,
    Round,
    Account,
    Assessor,
    Notice,
    Problem,
    ProblemEvent,
    EvidenceAttachment,
    EvidenceReview,
)


def _current(obj: Any) -> Values:
    values = inspect(obj).dict
    return values.get


def _before_change(obj: Any) -> Values:
    state = inspect(obj)
    committed, values = state.committed_state, state.dict

    def value(name: str) -> Any:
        return committed[name] if name in committed else values.get(name)

    return value


def _add(pending: Pending, marks: Iterable[Mark | None]) -> set[Mark]:
    found = {m for m in marks if m is not None}
    pending.touched |= found
    return found


def _checked(pending: Pending, mark: Mark) -> bool:
    kind, prefix = mark
    return any((kind, prefix[:size]) in pending.checked for size in range(len(prefix) + 1))


def _check_before_writing(connection: Connection, pending: Pending, marks: set[Mark]) -> None:
    """Compare each group with its seal before this transaction first writes it."""
    by_kind: dict[str, list[Prefix]] = defaultdict(list)
    for mark in marks:
        if not _checked(pending, mark):
            by_kind[mark[0]].append(mark[1])
    for kind, prefixes in by_kind.items():
        now, before = state_seal.groups_under(connection, kind, prefixes)
        for key in now.keys() | before.keys():
            if _checked(pending, (kind, state_tables.key_parts(key)[1])):
                continue  # compared before this transaction wrote it; it may differ by now
            ours, theirs = now.get(key), before.get(key)
            if ours is None or theirs is None or ours.digest != theirs.digest:
                pending.differed.add(key)
        pending.checked |= {(kind, p) for p in prefixes}


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending = _pending(session)
    marks: set[Mark] = set()
    for obj in session.new:
        if isinstance(obj, PROTECTED):
            marks |= _add(pending, _marks(obj, _current(obj), False))
    for obj in session.dirty:
        if isinstance(obj, PROTECTED):
            marks |= _add(pending, _marks(obj, _current(obj), False))
            marks |= _add(pending, _marks(obj, _before_change(obj), False))
    for obj in session.deleted:
        if isinstance(obj, PROTECTED):
            marks |= _add(pending, _marks(obj, _before_change(obj), True))
    if marks:
        _check_before_writing(session.connection(), pending, marks)
    if not pending.touched:
        session.info.pop(PENDING, None)


def _written(deleted: bool) -> Callable[[Any, Any, Any], None]:
    """A mapper event: name the groups of a row the flush has just written."""

    def listener(_mapper: Any, _connection: Any, target: Any) -> None:
        session = inspect(target).session
        if session is None:
            return
        pending = _pending(session)
        # Once written, a group can no longer be compared with its seal as it was before:
        # one first named here (a key set only by the flush) counts as checked.
        pending.checked |= _add(pending, _marks(target, _current(target), deleted))
        if not deleted:  # an UPDATE that moved the row: its old group changed too
            state = inspect(target)

            def old(name: str) -> Any:
                history = state.attrs[name].history if name in state.attrs else None
                return history.deleted[0] if history and history.deleted else state.dict.get(name)

            pending.checked |= _add(pending, _marks(target, old, deleted))

    return listener


def _bulk_statement(state: ORMExecuteState) -> None:
    """An INSERT/UPDATE/DELETE statement on a protected table touches its whole kind."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    kind = KIND_OF_TABLE.get(getattr(table, "name", ""))
    if kind is None:
        return
    pending = _pending(state.session)
    marks = _add(pending, [(kind, ())])
    _check_before_writing(state.session.connection(), pending, marks)


def _before_commit(session: Session) -> None:
    # The rows first (the commit's own flush comes after this event), so the seals are taken
    # over what this transaction leaves, and the flush names the groups it writes.
    if session.new or session.deleted or session.dirty:
        session.flush()
    if PENDING not in session.info and not session.info.get(audit.QUEUED):
        return
    pending = session.info.pop(PENDING, None) or Pending()
    records: list[ChangeLog] = session.info.pop(audit.QUEUED, [])
    connection = session.connection()
    by_kind: dict[str, list[Prefix]] = defaultdict(list)
    for kind, prefix in pending.touched:
        by_kind[kind].append(prefix)
    changed: list[str] = []
    for kind, prefixes in sorted(by_kind.items()):
        changed += state_seal.reseal(connection, kind, prefixes, pending.differed)
    if not records and not changed:
        return
    if not records:
        records = [_seal_record(changed)]
    audit.chain_records(session, records, state_seal.whole_digest(connection))


def _seal_record(changed: list[str]) -> ChangeLog:
    """What a transaction that changed sealed state without a record of its own leaves."""
    return ChangeLog(
        at=utcnow(),
        user=audit.current_user(),
        round_id=None,
        entity="状态",
        entity_key="、".join(changed[:5]) + (f" 等 {len(changed)} 组" if len(changed) > 5 else ""),
        action="封存",
        old=None,
        new={"数据组": changed},
        reason="",
        source="",
    )


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction, committed or rolled back
        session.info.pop(PENDING, None)
        session.info.pop(audit.QUEUED, None)


# From this revision a unit's scores are sealed per assessor (split_unit_score_seals).
SCORES_BY_ASSESSOR = "0013"


def seal_after_migration(connection: Connection, before: str | None, after: str) -> None:
    """Called by app.models.migrate inside the upgrade's transaction: a database sealed for the
    first time (upgraded from before 0011) has every group sealed as it is; every upgrade of an
    existing file is logged, carrying the digest. Later upgrades leave the seals as they are,
    so an edit made outside before the upgrade is still found after it (a migration that
    changes what a group holds must reseal those groups itself, and say so in its record)."""
    if before is None:  # a new, empty file: nothing to seal, nothing happened
        return
    table = ChangeLog.__table__
    first = (
        connection.execute(text("SELECT 1 FROM state_seals LIMIT 1")).first() is None
        and connection.execute(
            select(table.c.id).where(table.c.state_digest.is_not(None)).limit(1)
        ).first()
        is None
    )
    resealed = state_seal.seal_everything(connection) if first else []
    split: dict[str, object] = {}
    if not first and before < SCORES_BY_ASSESSOR <= after:
        replaced, kept = state_seal.split_unit_score_seals(connection)
        split = {"评分封存按评分人分组": replaced}
        if kept:
            split["与封存不符而保留原封存"] = kept
    head = connection.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()
    record = ChangeLog(
        at=utcnow(),
        user=audit.current_user(),
        round_id=None,
        entity="数据库",
        entity_key=f"{before} → {after}",
        action="迁移",
        old={"版本": before},
        new={"版本": after, "首次封存数据组": len(resealed)} if first else {"版本": after, **split},
        reason="",
        source="迁移",
        prev_hash=head or audit.GENESIS,
        state_digest=state_seal.whole_digest(connection),
    )
    record.hash = audit.record_hash(record)
    connection.execute(
        table.insert(), {c.name: getattr(record, c.key) for c in table.columns if c.name != "id"}
    )


def install() -> None:
    """Register the events once per process (importing app.services does it)."""
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _bulk_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_transaction_end", _transaction_ended)
    for cls in PROTECTED:
        event.listen(cls, "after_insert", _written(False))
        event.listen(cls, "after_update", _written(False))
        event.listen(cls, "after_delete", _written(True))
    migrate_module.AFTER_UPGRADE.append(seal_after_migration)
