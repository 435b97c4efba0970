"""A returned package checked against the round before anything is written: the signature
(round, unit, leaf list), the self-scores, every file (type by its first bytes, size limits)
and, per leaf, what is new, replaced, kept or withdrawn since what the program holds. Every
problem is collected, so the unit hears of all of them at once; a package with any is refused
whole. The files are copied out of the package while hashed (staged): the import stores these
very copies, so what was checked is what is kept."""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import UserError, os_reason
from app.io.evidence.file_types import check_file, needs_whole
from app.io.evidence.package_source import (
    Entry,
    EntryTooLarge,
    PackageRefused,
    Staged,
    open_package,
    stage_entry,
    strip_common_folder,
)
from app.io.evidence.package_workbook import (
    NOTE_COLUMN,
    SCORE_COLUMN,
    WORKBOOK_NAME,
    PackageWorkbookError,
    leaves_digest,
    read_package_workbook,
)
from app.models import Round
from app.models.evidence_store import ContentStore
from app.services.evidence.limits import EvidenceLimits, limits_in
from app.services.evidence.unit_leaves import UnitLeaf, applicable_leaves
from app.services.evidence.unit_state import NOT_APPLICABLE, HeldLeaf, held_state, sent_back
from app.services.names import StoredNames
from app.services.progress import Cancelled, Progress
from app.services.rounds.participants import units_taking_part

NEW, REPLACED, KEPT, WITHDRAWN = "新增", "替换", "不变", "撤回"
MAX_WORKBOOK = 20 * 1024 * 1024
NOT_APPLICABLE_WORDS = ("不适用", "/", "／", "—", "N/A", "n/a")


@dataclass(frozen=True)
class FileInPackage:
    name: str
    size: int
    sha256: str
    kind: str
    status: str  # 新增 / 替换 / 不变 / 撤回
    staged: Path | None = None  # the checked copy (None: withdrawn, or only previewed)


@dataclass(frozen=True)
class LeafInPackage:
    node_id: int
    code: str
    name: str
    points: Decimal
    score_before: str
    score: str
    note_before: str
    note: str
    files: tuple[FileInPackage, ...]
    returned: str  # what was sent back for this leaf, if anything

    @property
    def changed(self) -> bool:
        return (
            self.score != self.score_before
            or self.note != self.note_before
            or any(f.status != KEPT for f in self.files)
        )


@dataclass
class CheckedPackage:
    """A package as checked: whose, what it holds per leaf, and its problems."""

    source: Path
    round_id: int = 0
    round_name: str = ""
    unit_id: int = 0
    unit: str = ""
    leaves: list[LeafInPackage] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def changed(self) -> list[LeafInPackage]:
        return [leaf for leaf in self.leaves if leaf.changed]

    def count(self, status: str) -> int:
        return sum(1 for leaf in self.leaves for f in leaf.files if f.status == status)

    @property
    def size(self) -> int:
        return sum(f.size for leaf in self.leaves for f in leaf.files if f.status != WITHDRAWN)

    def staged(self) -> Iterator[Path]:
        for leaf in self.leaves:
            for f in leaf.files:
                if f.staged is not None:
                    yield f.staged

    def discard(self) -> None:
        for path in self.staged():
            path.unlink(missing_ok=True)


def parse_self_score(text: str, points: Decimal) -> str:
    """The self-score as stored text ("" none, 不适用, a number within 0..points)."""
    if not text:
        return ""
    if text in NOT_APPLICABLE_WORDS:
        return NOT_APPLICABLE
    try:
        value = Decimal(text.replace("分", ""))
    except InvalidOperation:
        raise ValueError(
            f"“{text}”不是分数（填 0 到 {points.normalize():f} 之间的数，或“不适用”）"
        ) from None
    if not value.is_finite() or not Decimal(0) <= value <= points:
        raise ValueError(f"自评分 {text} 应在 0 到 {points.normalize():f} 之间")
    return f"{value.normalize():f}"


def check_package(
    session: Session,
    round_: Round,
    source: Path,
    store: ContentStore,
    *,
    unit: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CheckedPackage:
    """``unit``: the unit the office expects the package from (refused when it is another's).
    The caller discards the staged copies (``discard``) unless it stores them. The session's
    transaction is ended once the database has been read, before the files are checked."""
    checked = CheckedPackage(source, round_.id, round_.name)
    limits = limits_in(session)
    try:
        with open_package(source, limits.package_bytes) as entries:
            _check_entries(
                session, round_, checked, entries, store, limits, unit, progress, cancelled
            )
    except PackageRefused as refused:
        checked.problems += refused.problems
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        # A damaged package (or a disk that filled while staging) is this package's problem,
        # named, not the batch's: the others are still offered.
        checked.discard()
        why = os_reason(error) if isinstance(error, OSError) else str(error)
        checked.problems.append(f"{source.name}：无法完整读出（{why}），请单位重新打包后交回")
    except BaseException:
        checked.discard()
        raise
    if checked.problems:
        checked.discard()
        checked.leaves = [_without_staged(leaf) for leaf in checked.leaves]
    return checked


def _without_staged(leaf: LeafInPackage) -> LeafInPackage:
    files = tuple(FileInPackage(f.name, f.size, f.sha256, f.kind, f.status) for f in leaf.files)
    return LeafInPackage(**{**leaf.__dict__, "files": files})


def _check_entries(
    session: Session,
    round_: Round,
    checked: CheckedPackage,
    entries: list[Entry],
    store: ContentStore,
    limits: EvidenceLimits,
    expected_unit: str | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    entries = strip_common_folder(entries, WORKBOOK_NAME)
    workbook = next((e for e in entries if e.parts == (WORKBOOK_NAME,)), None)
    if workbook is None:
        checked.problems.append(f"材料包中没有 {WORKBOOK_NAME}（请用导出的材料包填写后交回）")
        return
    if workbook.size > MAX_WORKBOOK:
        checked.problems.append(f"{WORKBOOK_NAME} 过大，不是导出的自评表")
        return
    with contextlib.closing(workbook.opener()) as stream:
        content = stream.read()
    try:
        signature, rows = read_package_workbook(content)
    except PackageWorkbookError as error:
        checked.problems += error.problems
        return
    if signature.round_name != round_.name:
        checked.problems.append(
            f"此材料包属于考核批次“{signature.round_name}”，不是“{round_.name}”，不能导入"
        )
        return
    taking_part = units_taking_part(session, round_.id)
    unit = StoredNames(taking_part).find(signature.unit)
    if unit is None:
        checked.problems.append(f"此材料包的单位“{signature.unit}”不是本批次的考核对象")
        return
    if expected_unit is not None and StoredNames([unit]).find(expected_unit) is None:
        checked.problems.append(f"此材料包是“{unit}”的，不是“{expected_unit}”的，不能导入")
        return
    checked.unit, checked.unit_id = unit, taking_part[unit]
    leaves = applicable_leaves(session, round_.id, checked.unit_id)
    expected = leaves_digest(
        round_.name, unit, [leaf.code for leaf in leaves], [leaf.folder for leaf in leaves]
    )
    if expected != signature.digest:
        checked.problems.append(
            "材料包的指标与本批次当前的指标不一致（导出后指标或适用类别有调整），"
            "请重新导出材料包，把材料放入新包后交回"
        )
        return
    held = held_state(session, round_.id, checked.unit_id)
    # Everything the check needs from the database is read: the transaction ends here. The
    # files take seconds to check, and a SQLite transaction (BEGIN IMMEDIATE) held that long
    # would keep every other write, and the other packages' checks, waiting.
    session.rollback()
    by_folder = {leaf.folder: leaf for leaf in leaves}
    by_code = {leaf.code: leaf for leaf in leaves}
    files = _files_by_leaf(entries, by_folder, by_code, checked)
    staging = store.staging()
    total = sum(e.size for found in files.values() for e in found)
    done = 0
    staged_by_leaf: dict[int, list[FileInPackage]] = {}
    for leaf in leaves:
        mine = held.get(leaf.node_id, HeldLeaf())
        staged_by_leaf[leaf.node_id] = []
        for entry in files.get(leaf.node_id, []):
            if cancelled is not None and cancelled():
                raise UserError("已取消，未写入任何数据")
            name = entry.path.split("/", 1)[1].replace("/", "_")
            staged = _stage(entry, name, staging, limits, checked)
            done += entry.size
            if progress is not None:
                progress(done, total)
            if staged is None:
                continue
            stage, kind = staged
            before = mine.files.get(name)
            status = NEW if before is None else KEPT if before.sha256 == stage.sha256 else REPLACED
            staged_by_leaf[leaf.node_id].append(
                FileInPackage(name, stage.size, stage.sha256, kind, status, stage.path)
            )
    for row in rows:
        leaf = by_code[row.code]
        mine = held.get(leaf.node_id, HeldLeaf())
        try:
            score = parse_self_score(row.score, leaf.points)
        except ValueError as error:
            checked.problems.append(
                f"{WORKBOOK_NAME} 第 {row.row} 行 {SCORE_COLUMN} 列（指标 {leaf.code}）：{error}"
            )
            score = mine.score
        if len(row.note) > 2000:
            checked.problems.append(
                f"{WORKBOOK_NAME} 第 {row.row} 行 {NOTE_COLUMN} 列：自评说明超过 2000 字"
            )
        present = staged_by_leaf[leaf.node_id]
        names = {f.name for f in present}
        withdrawn = [
            FileInPackage(f.name, f.size, f.sha256, f.kind, WITHDRAWN)
            for f in mine.files.values()
            if f.name not in names
        ]
        checked.leaves.append(
            LeafInPackage(
                leaf.node_id,
                leaf.code,
                leaf.name,
                leaf.points,
                mine.score,
                score,
                mine.note,
                row.note,
                tuple(present + withdrawn),
                sent_back(mine),
            )
        )


def _files_by_leaf(
    entries: list[Entry],
    by_folder: dict[str, UnitLeaf],
    by_code: dict[str, UnitLeaf],
    checked: CheckedPackage,
) -> dict[int, list[Entry]]:
    """Each file under its leaf's folder (found by its name, or by the code it starts with if
    the unit shortened the name); files elsewhere are problems."""
    found: dict[int, list[Entry]] = {}
    seen: dict[tuple[int, str], str] = {}
    for entry in entries:
        if entry.parts == (WORKBOOK_NAME,):
            continue
        if len(entry.parts) == 1:
            checked.problems.append(
                f"“{entry.path}”不在任何指标文件夹中：请放入它所证明的指标的文件夹"
            )
            continue
        folder = entry.parts[0]
        leaf = by_folder.get(folder) or by_code.get(folder.split(" ")[0])
        if leaf is None:
            checked.problems.append(f"文件夹“{folder}”不是本材料包的指标文件夹（“{entry.path}”）")
            continue
        name = "_".join(entry.parts[1:])
        key = (leaf.node_id, name.casefold())
        if key in seen:
            checked.problems.append(f"指标 {leaf.code} 中有两个同名文件“{name}”")
            continue
        seen[key] = name
        found.setdefault(leaf.node_id, []).append(entry)
    return found


def _stage(
    entry: Entry, name: str, staging: Path, limits: EvidenceLimits, checked: CheckedPackage
) -> tuple[Staged, str] | None:
    if entry.size > limits.file_bytes:
        checked.problems.append(
            f"“{entry.path}”有 {entry.size / 1024 / 1024:.1f} MB，超过单个文件的上限 "
            f"{limits.file_mb} MB"
        )
        return None
    try:
        staged = stage_entry(entry, staging, limits.file_bytes)
    except EntryTooLarge as error:
        checked.problems.append(str(error))
        return None
    verdict = check_file(name, staged.head, staged.path if needs_whole(staged.head) else None)
    if not verdict.ok:
        staged.path.unlink(missing_ok=True)
        checked.problems.append(f"“{entry.path}”：{verdict.problem}")
        return None
    return staged, verdict.kind
