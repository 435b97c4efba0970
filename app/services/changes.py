"""What a write changed, so that the window refreshes exactly what shows it.

Every service that writes returns a ``Changes`` value (alone, or as the ``changes`` of its
result), and the window broadcasts it to every page (the model is Anki's ``OpChanges``).
The value is not written by hand in each service: session events record every row the
transaction flushes and every bulk statement it runs, so a write cannot forget to say what
it touched. ``changes_of(session)`` reads them at the end of the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

RECORDED = "kaoping.changes"  # session.info: (topics, round ids) flushed in this transaction
QUEUED_LOG = "kaoping.change_log"  # session.info: change-log records added at commit (audit.py)
T = TypeVar("T")
ScoreCell = tuple[int, int, int, int]  # round, unit, leaf, assessor
CELL_COLUMNS = ("round_id", "unit_id", "node_id", "assessor_id")


class Topic(StrEnum):
    """What a page may show; a write touches one or more."""

    UNITS = "考核对象"
    FRAMEWORKS = "指标体系"
    ROUNDS = "考核批次"  # a round, its rules, units, tree, assessors, assignments, status
    SCORES = "评分"  # scores, satisfaction, exemptions, self-assessment, stage scores
    OBJECTIONS = "申辩"
    EVIDENCE = "佐证材料"  # files attached, reviews, packages (issue 19)
    PROBLEMS = "整改台账"
    NOTICES = "文书"
    SETTINGS = "设置"
    ACCOUNTS = "账户"
    CHANGE_LOG = "变更记录"
    BACKUPS = "备份"
    DATABASE = "整个数据库"  # replaced whole (a restore): everything


TOPIC_OF_TABLE: dict[str, Topic] = {
    "units": Topic.UNITS,
    "unit_categories": Topic.UNITS,
    "frameworks": Topic.FRAMEWORKS,
    "framework_nodes": Topic.FRAMEWORKS,
    "rounds": Topic.ROUNDS,
    "round_nodes": Topic.ROUNDS,
    "round_units": Topic.ROUNDS,
    "assessors": Topic.ROUNDS,
    "assignments": Topic.ROUNDS,
    "score_entries": Topic.SCORES,
    "satisfaction_results": Topic.SCORES,
    "satisfaction_exemptions": Topic.SCORES,
    "self_assessments": Topic.SCORES,
    "stage_scores": Topic.SCORES,
    "objections": Topic.OBJECTIONS,
    "objection_files": Topic.OBJECTIONS,
    "evidence_files": Topic.EVIDENCE,
    "evidence_chunks": Topic.EVIDENCE,
    "evidence_packages": Topic.EVIDENCE,
    "evidence_attachments": Topic.EVIDENCE,
    "evidence_reviews": Topic.EVIDENCE,
    "problem_event_files": Topic.PROBLEMS,
    "problems": Topic.PROBLEMS,
    "problem_events": Topic.PROBLEMS,
    "notices": Topic.NOTICES,
    "document_numbers": Topic.NOTICES,
    "office_settings": Topic.SETTINGS,
    "review_settings": Topic.SETTINGS,
    "accounts": Topic.ACCOUNTS,
    "change_log": Topic.CHANGE_LOG,
}


@dataclass(frozen=True)
class Changes:
    """Which kinds of data a write changed, and in which rounds. ``rounds`` empty while a
    round topic is touched means "not known which": every round counts as touched."""

    topics: frozenset[Topic] = frozenset()
    rounds: frozenset[int] = frozenset()
    # The score cells written, when every score change was rows of score_entries with known
    # keys: a page may read just those cells (another client's edit on a server). None: not
    # known which (a survey import, a bulk statement, a Changes made by hand).
    cells: frozenset[ScoreCell] | None = None

    @classmethod
    def of(cls, *topics: Topic, rounds: Iterable[int] = ()) -> Changes:
        return cls(frozenset(topics), frozenset(rounds))

    def __or__(self, other: Changes) -> Changes:
        unknown = any(c.cells is None and Topic.SCORES in c.topics for c in (self, other))
        cells = None if unknown else (self.cells or frozenset()) | (other.cells or frozenset())
        return Changes(self.topics | other.topics, self.rounds | other.rounds, cells)

    def __bool__(self) -> bool:
        return bool(self.topics)

    def touches(self, *topics: Topic) -> bool:
        return Topic.DATABASE in self.topics or any(t in self.topics for t in topics)

    def touches_round(self, round_id: int | None) -> bool:
        """Whether what shows round ``round_id`` must be read again."""
        if Topic.DATABASE in self.topics:
            return True
        if not self.touches(Topic.ROUNDS, Topic.SCORES, Topic.OBJECTIONS, Topic.EVIDENCE):
            return False
        return not self.rounds or round_id in self.rounds

    def only_cells(self, round_id: int) -> frozenset[tuple[int, int, int]] | None:
        """(unit, leaf, assessor) of round ``round_id``'s cells, when written cells are all
        this changed that a score grid shows; None: the round must be read again."""
        if self.cells is None or self.topics - {Topic.SCORES, Topic.CHANGE_LOG}:
            return None
        return frozenset((u, leaf, a) for r, u, leaf, a in self.cells if r == round_id)


NOTHING = Changes()
EVERYTHING = Changes.of(Topic.DATABASE)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A write's answer (a count, a new id or number) with what it changed."""

    value: T
    changes: Changes = field(default=NOTHING)


@dataclass
class _Recorded:
    topics: set[Topic] = field(default_factory=set)
    rounds: set[int] = field(default_factory=set)
    any_round: bool = False  # a bulk statement: which rounds is not known
    cells: set[ScoreCell] = field(default_factory=set)
    cells_known: bool = True  # every score change so far was a score_entries row


def changes_of(session: Session) -> Changes:
    """What this transaction has changed so far (flushing what is still pending)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    recorded: _Recorded | None = session.info.get(RECORDED)
    queued = session.info.get(QUEUED_LOG) or []
    if recorded is None and not queued:
        return NOTHING
    recorded = recorded or _Recorded()
    topics = set(recorded.topics) | ({Topic.CHANGE_LOG} if queued else set())
    rounds = set(recorded.rounds) | {r.round_id for r in queued if r.round_id is not None}
    cells = frozenset(recorded.cells) if recorded.cells_known and Topic.SCORES in topics else None
    return Changes(
        frozenset(topics), frozenset() if recorded.any_round else frozenset(rounds), cells
    )


def _recorded(session: Session) -> _Recorded:
    return session.info.setdefault(RECORDED, _Recorded())


def _note(recorded: _Recorded, obj: Any) -> None:
    table = getattr(obj, "__tablename__", "")
    topic = TOPIC_OF_TABLE.get(table)
    if topic is None:
        return
    recorded.topics.add(topic)
    round_id = obj.id if table == "rounds" else getattr(obj, "round_id", None)
    if isinstance(round_id, int):  # a new row has its id here: the flush has run
        recorded.rounds.add(round_id)
    if topic is Topic.SCORES:
        _note_cell(recorded, obj, table)


def _note_cell(recorded: _Recorded, obj: Any, table: str) -> None:
    """The cell a score row belongs to, before and after the flush (a row may move)."""
    if table != "score_entries":
        recorded.cells_known = False
        return
    state = inspect(obj)
    before = {k: v for k, v in state.committed_state.items() if isinstance(v, int)}
    for values in (state.dict, {**state.dict, **before}):
        key = tuple(values.get(column) for column in CELL_COLUMNS)
        if all(isinstance(part, int) for part in key):
            recorded.cells.add(key)  # type: ignore[arg-type]
        else:
            recorded.cells_known = False


def _after_flush(session: Session, _context: Any) -> None:
    recorded = _recorded(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        _note(recorded, obj)


def _bulk_statement(state: ORMExecuteState) -> None:
    """An INSERT/UPDATE/DELETE statement: its table's topic, every round (not known which)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    topic = TOPIC_OF_TABLE.get(getattr(table, "name", ""))
    if topic is not None:
        recorded = _recorded(state.session)
        recorded.topics.add(topic)
        recorded.any_round = True
        recorded.cells_known = recorded.cells_known and topic is not Topic.SCORES


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(RECORDED, None)


def install() -> None:
    """Register the events once per process (importing app.services does it)."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _bulk_statement)
    event.listen(Session, "after_transaction_end", _transaction_ended)


def all_changes(results: Iterable[object]) -> Changes:
    """What several writes changed together (their Changes, or anything with ``changes``)."""
    combined = NOTHING
    for result in results:
        combined |= changes_in(result)
    return combined


def changes_in(result: object) -> Changes:
    """What a service's answer says it changed (a Changes, or anything with ``changes``)."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", NOTHING)
    return found if isinstance(found, Changes) else NOTHING


def value_of(result: object) -> object:
    """A write's answer without its changes."""
    return result.value if isinstance(result, Done) else result
