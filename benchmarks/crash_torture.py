"""Kill the program (SIGKILL) at random moments of each long write, again and again, and see
what the next start finds: the data as before the action or as after it, never in between.

Run: python benchmarks/crash_torture.py [KILLS_PER_ACTION] [ACTION ...]
     (default 30 kills each for: import notices report backup restore migration from-round)

For every action it first runs the action to the end on a copy, to know its duration and the
state "after"; then, for each kill, it copies the starting file, starts the action, kills it
after a time spread over the whole run (start-up included), and then starts the program again:
`check` must pass, `audit verify` must pass, and the state must be exactly "before" or "after"
(every table, timestamps aside, and the number of change-log records). Then the clerk runs the
action again to the end; after that no temporary file may be left in any folder the program
wrote to, every output file must be whole, every numbered notice must have its record and no
文号 may be given twice. It prints, per action:
kills / before / after / part (notices: the first ones of the batch, each whole) / other,
audit failures, leftovers, numbering faults. Exit 1 on any fault.
Uses SIGKILL: Linux and macOS only.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo.build import DEMO_ROUND  # noqa: E402
from tests.workbooks import write_area_one_deductions, write_sheet  # noqa: E402

ISSUED_ON = "2026-01-31"
VOLATILE = re.compile(r"(^|_)(at|created|entered|recorded|updated|modified)(_at)?$|pdf_sha256")
HIDDEN_LEFTOVER = re.compile(r"(^\.|\.part$|\.tmp$|-journal$|-wal$|-shm$)")
NOT_STATE = {"change_log", "state_seals", "sqlite_sequence"}
SEALED = {"state_seals"}  # compared apart: its digests cover the state, not timestamps


def cli(db: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(db, *args), capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=ENV
    )


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--db", str(db), *args]


def fingerprint(db: Path) -> str:
    """Every table's rows (timestamps and file digests aside) and the log's length, hashed."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            if table in NOT_STATE:
                continue
            columns = [
                r[1]
                for r in connection.execute(f'PRAGMA table_info("{table}")')
                if not VOLATILE.search(r[1])
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = sorted(repr(r) for r in connection.execute(f'SELECT {listed} FROM "{table}"'))
            digest.update(f"{table}:{columns}:{rows}\n".encode())
        if "change_log" in tables:
            count = connection.execute("SELECT count(*) FROM change_log").fetchone()[0]
            digest.update(f"log:{count}\n".encode())
    return digest.hexdigest()


def at_rest(db: Path, scratch: Path) -> Path:
    """The file as SQLite itself sees it after the kill (a hot journal rolled back), before the
    program starts again (which would, e.g., finish a migration)."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for companion in (db, db.with_name(db.name + "-journal"), db.with_name(db.name + "-wal")):
        if companion.exists():
            shutil.copy(companion, scratch / companion.name)
    copy = scratch / db.name
    with sqlite3.connect(copy) as connection:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return copy


def visible_leftovers(folder: Path) -> list[str]:
    """Temporary files a user would see in the folders the program writes to."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and HIDDEN_LEFTOVER.search(path.name) and not path.name.endswith(".lock"):
            found.append(str(path.relative_to(folder)))
    return found


def broken_outputs(folder: Path) -> list[str]:
    """A file under its final name must be whole: a PDF ends with %%EOF, a workbook is a zip,
    a database copy passes its integrity check."""
    broken = []
    for path in folder.rglob("*"):
        if not path.is_file() or HIDDEN_LEFTOVER.search(path.name):
            continue
        if path.suffix == ".pdf":
            whole = b"%%EOF" in path.read_bytes()[-1024:]
        elif path.suffix == ".xlsx":
            whole = zipfile.is_zipfile(path)
        elif path.suffix == ".db" and path.parent.name == "backups":
            whole = sqlite_is_whole(path)
        else:
            continue
        if not whole:
            broken.append(f"{path.relative_to(folder)} 不完整")
    return broken


def sqlite_is_whole(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def notice_count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT count(*) FROM notices").fetchone()[0]


def notice_faults(db: Path, out: Path) -> list[str]:
    """A numbered PDF must have its record, and no 文号 may belong to two documents."""
    listed = cli(db, "notice", "list", "--json")
    if listed.returncode != 0:
        return [f"notice list: {listed.stderr.strip()[-200:]}"]
    records = json.loads(listed.stdout)
    numbers = [r["number"] for r in records]
    faults = [f"{n} 重复登记" for n in sorted({n for n in numbers if numbers.count(n) > 1})]
    on_files: dict[str, list[str]] = {}
    for pdf in out.rglob("*.pdf"):
        match = re.match(r"(.+?号)", pdf.name)
        if match:
            on_files.setdefault(match.group(1), []).append(pdf.name)
    for number, names in on_files.items():
        if number not in numbers:
            faults.append(f"{names[0]} 无登记")
        if len(names) > 1:
            faults.append(f"{number} 用于 {len(names)} 份文件")
    return faults


@dataclass
class Action:
    """One long write: how to prepare its starting file and what to run on it."""

    name: str
    args: Callable[[Path], list[str]]
    prepare: Callable[[Path], None] = lambda folder: None
    numbered: bool = False  # one transaction per notice: a kill may keep the first ones


@dataclass
class Tally:
    kills: int = 0
    before: int = 0
    after: int = 0
    part: int = 0
    other: int = 0
    audit_failed: int = 0
    start_failed: int = 0
    leftovers: list[str] = field(default_factory=list)
    numbering: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def faults(self) -> int:
        return (
            self.other
            + self.audit_failed
            + self.start_failed
            + len(self.leftovers)
            + len(self.numbering)
        )


class Torture:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.demo = work / "demo.db"
        self.old = work / "old.db"
        self.big_import = work / "big.xlsx"
        self.satisfaction = work / "satisfaction.xlsx"
        self.issued_after = 0

    def build_inputs(self) -> None:
        done = cli(self.demo, "demo")
        assert done.returncode == 0, done.stderr
        write_area_one_deductions(self.demo, self.big_import)
        connection = sqlite3.connect(self.demo)
        try:
            units = [r[0] for r in connection.execute("SELECT name FROM units ORDER BY id")]
        finally:
            connection.close()
        write_sheet(self.satisfaction, ("单位名称", "满意度得分"), [(u, 70.0) for u in units])
        self.build_old_file()

    def build_old_file(self) -> None:
        """A populated file of the first released schema, for the migration."""
        from sqlalchemy import text

        from app.models.database import make_engine
        from app.models.migrate import upgrade_database
        from tests.models.test_migrations import POPULATE_0001

        engine = make_engine(self.old)
        upgrade_database(engine, self.old, "0001")
        with engine.begin() as connection:
            for statement in POPULATE_0001:
                connection.execute(text(statement))
        engine.dispose()

    def starting_file(self, action: Action, folder: Path) -> Path:
        folder.mkdir(parents=True)
        db = folder / "kaoping.db"
        shutil.copy(self.old if action.name == "migration" else self.demo, db)
        action.prepare(folder)
        return db

    def prepare_restore(self, folder: Path) -> None:
        """A backup of the demo, then a change after it: the restore goes back to the backup."""
        db = folder / "kaoping.db"
        made = cli(db, "backup", "create", "--out", str(folder / "old-backup.db"))
        assert made.returncode == 0, made.stderr
        changed = cli(db, "satisfaction", "import", str(self.satisfaction), "--round", DEMO_ROUND)
        assert changed.returncode == 0, changed.stderr
        shutil.rmtree(folder / "backups", ignore_errors=True)

    def actions(self) -> list[Action]:
        return [
            Action(
                "import",
                lambda f: ["scores", "import", str(self.big_import), "--round", DEMO_ROUND],
            ),
            Action(
                "notices",
                lambda f: [
                    "notices",
                    "--round",
                    DEMO_ROUND,
                    "--out",
                    str(f / "文书"),
                    "--select",
                    "deducted",
                    "--date",
                    ISSUED_ON,
                ],
                numbered=True,
            ),
            Action(
                "report",
                lambda f: [
                    "report",
                    "--round",
                    DEMO_ROUND,
                    "--pdf",
                    str(f / "通报.pdf"),
                    "--xlsx",
                    str(f / "通报.xlsx"),
                    "--date",
                    ISSUED_ON,
                ],
            ),
            Action("backup", lambda f: ["backup", "create"]),
            Action(
                "restore",
                lambda f: ["backup", "restore", str(f / "old-backup.db"), "--reason", "演练"],
                prepare=self.prepare_restore,
            ),
            Action("migration", lambda f: ["check"]),
            Action(
                "from-round",
                lambda f: ["problems", "from-round", "--round", DEMO_ROUND, "--date", ISSUED_ON],
            ),
        ]

    def run(self, action: Action, kills: int, rng: random.Random) -> Tally:
        tally = Tally()
        started = time.perf_counter()
        reference = self.starting_file(action, self.work / action.name / "reference")
        before = fingerprint(reference)
        clock = time.perf_counter()
        done = cli(reference, *action.args(reference.parent))
        duration = time.perf_counter() - clock
        assert done.returncode == 0, f"{action.name}: {done.stderr}"
        after = fingerprint(reference)
        self.issued_after = notice_count(reference) if action.numbered else 0
        for attempt in range(kills):
            folder = self.work / action.name / f"kill{attempt}"
            victim = self.starting_file(action, folder)
            process = subprocess.Popen(
                command(victim, *action.args(folder)),
                cwd=ROOT,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(duration * (attempt + rng.random()) / kills)
            process.send_signal(signal.SIGKILL)
            process.wait()
            tally.kills += 1
            self.judge(action, victim, folder, before, after, tally)
            shutil.rmtree(folder, ignore_errors=True)
        tally.seconds = time.perf_counter() - started
        return tally

    def judge(
        self, action: Action, victim: Path, folder: Path, before: str, after: str, tally: Tally
    ) -> None:
        state = fingerprint(at_rest(victim, self.work / "at-rest"))
        check = cli(victim, "check")  # the next start: takes over the stale lock, cleans up
        if check.returncode != 0:
            tally.start_failed += 1
            print(f"  {action.name}: check failed: {check.stderr.strip()[-300:]}")
        if state == before:
            tally.before += 1
        elif state == after:
            tally.after += 1
        elif action.numbered and 0 < notice_count(victim) < self.issued_after:
            tally.part += 1  # the notices committed before the kill, each a whole document
        else:
            tally.other += 1
            print(f"  {action.name}: state neither before nor after ({folder})")
        audit = cli(victim, "audit", "verify")
        if audit.returncode != 0:
            tally.audit_failed += 1
            print(f"  {action.name}: audit verify failed: {audit.stdout.strip()[-300:]}")
        rerun = cli(victim, *action.args(folder))  # the clerk does it again
        if rerun.returncode != 0:
            tally.start_failed += 1
            print(f"  {action.name}: rerun failed: {rerun.stderr.strip()[-300:]}")
        tally.leftovers += [f"{folder.name}/{p}" for p in visible_leftovers(folder)]
        tally.leftovers += [f"{folder.name}/{p}" for p in broken_outputs(folder)]
        if action.numbered:
            tally.numbering += notice_faults(victim, folder / "文书")


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def main(argv: list[str]) -> int:
    kills = int(argv[0]) if argv and argv[0].isdigit() else 30
    wanted = [a for a in argv if not a.isdigit()]
    work = Path(tempfile.mkdtemp(prefix="kaoping-torture-"))
    ENV["KAOPING_SETTINGS"] = str(work / "settings.json")
    torture = Torture(work)
    torture.build_inputs()
    faults = 0
    print(
        f"{'action':<11}{'kills':>6}{'before':>7}{'after':>6}{'part':>5}{'other':>6}"
        f"{'audit✗':>7}{'start✗':>7}{'leftover':>9}{'文号✗':>6}{'seconds':>9}"
    )
    for action in torture.actions():
        if wanted and action.name not in wanted:
            continue
        tally = torture.run(action, kills, random.Random(f"{action.name}-20261203"))
        faults += tally.faults()
        print(
            f"{action.name:<11}{tally.kills:>6}{tally.before:>7}{tally.after:>6}{tally.part:>5}{tally.other:>6}"
            f"{tally.audit_failed:>7}{tally.start_failed:>7}{len(tally.leftovers):>9}"
            f"{len(tally.numbering):>6}{tally.seconds:>9.0f}",
            flush=True,
        )
        for line in (tally.leftovers + tally.numbering)[:10]:
            print(f"    {line}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if faults else 0


if __name__ == "__main__":
    if sys.platform == "win32":
        raise SystemExit("crash_torture uses SIGKILL: run it on Linux or macOS")
    raise SystemExit(main(sys.argv[1:]))
