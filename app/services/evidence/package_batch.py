"""Several returned packages at once, as the office receives them (a USB stick with a zip per
unit): every package checked first — several side by side, since hashing and copying release
the GIL and the packages have nothing in common — then the good ones applied one by one, each
all or nothing in its own transaction, with one backup before the batch. A package with a
problem is named with its problems and held back; it never holds back the others.

The files staged while checking are the ones stored: each file is read once from the package."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.io.evidence.package_workbook import WORKBOOK_NAME
from app.models.database import Database
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, Done
from app.services.evidence.package_check import CheckedPackage
from app.services.evidence.package_import import apply_checked, checked_for_import
from app.services.maintenance.backups import backup_before
from app.services.progress import Cancelled, Progress

KIB = 1024


def default_workers() -> int:
    """One package per core, at most four: the work is reading one disk and writing another
    (on a 2-core machine shared with other work, two threads checked no faster than one:
    the disks set the pace; more threads would only make them seek)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class PackageOutcome:
    """What became of one package of the batch."""

    package: CheckedPackage
    applied: bool = False  # its changes are in the database
    problem: str = ""  # why it was not applied (besides the package's own problems)

    @property
    def refused(self) -> bool:
        return self.package.refused or bool(self.problem)


class _Progress:
    """The packages' progress summed (in KiB: a year's packages pass 2³¹ bytes, which a Qt
    signal's int cannot carry); each package's total is known once it is opened."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.lock = threading.Lock()
        self.parts: dict[int, tuple[int, int]] = {}

    def of(self, index: int) -> Progress | None:
        if self.progress is None:
            return None

        def report(done: int, total: int) -> None:
            with self.lock:
                self.parts[index] = (done, total)
                done_all = sum(d for d, _ in self.parts.values())
                total_all = sum(t for _, t in self.parts.values())
            assert self.progress is not None
            self.progress(-(-done_all // KIB), -(-total_all // KIB))

        return report


def check_packages(
    db: Database,
    round_: int | str,
    sources: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> list[CheckedPackage]:
    """Each package checked (nothing written), in the order given; a good one keeps its staged
    files for apply_packages, which the caller must call (or discard_packages). Two packages
    of one unit in the same batch are both refused: which one is meant cannot be guessed."""
    require(Permission.IMPORT)
    summed = _Progress(progress)
    paths = [Path(s) for s in sources]

    def check(index: int) -> CheckedPackage:
        if cancelled is not None and cancelled():
            return CheckedPackage(paths[index], problems=["已取消"])
        return checked_for_import(db, round_, paths[index], None, summed.of(index), cancelled)

    with ThreadPoolExecutor(max_workers=workers or default_workers()) as pool:
        futures = [pool.submit(check, i) for i in range(len(paths))]
        checked: list[CheckedPackage] = []
        failure: BaseException | None = None
        for future in futures:
            try:
                checked.append(future.result())
            except BaseException as error:  # kept, raised once every check has ended
                failure = failure or error
    if cancelled is not None and cancelled():
        discard_packages(checked)
        raise UserError("已取消，未写入任何数据")
    if failure is not None:  # the round cannot take packages, or a bug: the same for all
        discard_packages(checked)
        raise failure
    _refuse_twins(checked)
    return checked


def _refuse_twins(checked: list[CheckedPackage]) -> None:
    by_unit: dict[str, list[CheckedPackage]] = {}
    for package in checked:
        if package.unit:
            by_unit.setdefault(package.unit, []).append(package)
    for unit, twins in by_unit.items():
        if len(twins) < 2:
            continue
        names = "、".join(p.source.name for p in twins)
        for package in twins:
            package.discard()
            package.problems.append(
                f"本次选择了“{unit}”的 {len(twins)} 个材料包（{names}）：请只选其中一个"
            )


def discard_packages(checked: Sequence[CheckedPackage]) -> None:
    """The staged copies go (the batch was cancelled, or the preview closed)."""
    for package in checked:
        package.discard()


def apply_packages(
    db: Database, checked: Sequence[CheckedPackage], *, progress: Progress | None = None
) -> Done[list[PackageOutcome]]:
    """The good packages applied, each in its own transaction (checked again against what is
    held now: another client may have changed a unit's evidence since); one backup before
    the batch. Every package's outcome, and what they changed together."""
    require(Permission.IMPORT)
    outcomes: list[PackageOutcome] = []
    changes: Changes = NOTHING
    try:
        with backup_before(db, "导入材料包前"):
            for number, package in enumerate(checked, start=1):
                if progress is not None:
                    progress(number - 1, len(checked))
                if package.refused or not package.changed:
                    package.discard()
                    outcomes.append(PackageOutcome(package))
                    continue
                try:
                    done = apply_checked(db, package)
                except UserError as error:
                    outcomes.append(PackageOutcome(package, problem=str(error)))
                    continue
                changes = changes | done.changes
                outcomes.append(PackageOutcome(package, applied=done.applied))
    finally:
        discard_packages(checked)
    return Done(outcomes, changes)


def packages_in_folder(folder: Path) -> list[Path]:
    """What a chosen folder holds: one package (the workbook at its top), else every zip and
    package folder in it (a USB stick with all the units' packages; a unit's unzipped package
    whose workbook sits one folder down)."""
    if (folder / WORKBOOK_NAME).is_file():
        return [folder]
    return [
        child
        for child in sorted(folder.iterdir())
        if (child.is_file() and child.suffix.lower() == ".zip")
        or (child.is_dir() and _holds_package(child))
    ]


def _holds_package(folder: Path) -> bool:
    if (folder / WORKBOOK_NAME).is_file():
        return True
    inner = [c for c in folder.iterdir() if c.is_dir()]
    return len(inner) == 1 and (inner[0] / WORKBOOK_NAME).is_file()
