"""Evidence in the backups (issue 19), incrementally: every backup file names its evidence (its
``evidence_files`` rows), and the content lives once in the backup folder's ``evidence`` folder
(``ab/cd/<sha256>``, as beside the database), shared by all the backups of that folder: a backup
copies only the files that folder does not hold yet, so a daily backup of a year's tens of GB
copies the day's new files, not the year. Rotation never removes content (a content is small
next to the copies of it that would otherwise be kept, and a kept backup may name it).

A restore brings back exactly the files the restored database names: each is checked in the
live store and, when missing or not the recorded content, copied back from the backup folder
and checked again; what neither place holds intact is reported."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app.models.evidence_store import FolderStore, sha256_of_file
from app.models.sqlite_files import connection_to

EVIDENCE = "evidence"


def backup_store(backup_folder: Path) -> FolderStore:
    return FolderStore(backup_folder / EVIDENCE)


def named_files(database: Path) -> list[tuple[str, int]]:
    """(sha256, size) of every evidence file a database file names (none before 0013)."""
    try:
        with connection_to(database, "ro") as connection:
            return [
                (str(sha), int(size))
                for sha, size in connection.execute("SELECT sha256, size FROM evidence_files")
            ]
    except sqlite3.OperationalError:  # a file from before evidence existed
        return []


@dataclass
class EvidenceCopy:
    copied: int = 0
    size: int = 0
    missing: list[str] = field(default_factory=list)  # named but found nowhere intact


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, partial)
        partial.replace(target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def copy_into_backup(database: Path, live: FolderStore, backup_folder: Path) -> EvidenceCopy:
    """After ``database`` (a backup file) was written: the files it names that the backup
    folder lacks, copied from the live store. A file the live store has lost is reported, not
    invented (audit verify names it too)."""
    target = backup_store(backup_folder)
    done = EvidenceCopy()
    for sha, size in named_files(database):
        kept = target.path_of(sha)
        if kept.is_file() and kept.stat().st_size == size:
            continue
        source = live.path_of(sha)
        if not source.is_file() or source.stat().st_size != size:
            done.missing.append(sha)
            continue
        _copy(source, kept)
        done.copied += 1
        done.size += size
    return done


def bring_back(database: Path, live: FolderStore, backup_folder: Path) -> EvidenceCopy:
    """After a restore: every file ``database`` names is in the live store as recorded,
    copied back from the backup folder where it is missing or changed."""
    source_store = backup_store(backup_folder)
    done = EvidenceCopy()
    for sha, size in named_files(database):
        here = live.path_of(sha)
        if here.is_file() and here.stat().st_size == size and sha256_of_file(here) == sha:
            continue
        source = source_store.path_of(sha)
        if not source.is_file() or sha256_of_file(source) != sha:
            done.missing.append(sha)
            continue
        _copy(source, here)
        done.copied += 1
        done.size += size
    return done
