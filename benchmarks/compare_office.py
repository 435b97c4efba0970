"""Kaoping against the spreadsheet it replaces, as whole processes (issue 22).

At each size (units x leaves x assessors) this builds a Kaoping database with one scored round
(benchmarks/large_round.py) and the office's status-quo workbook holding the same scores: one
sheet per 考核组 with each unit's score on each leaf, and a 汇总 sheet that averages the
assessors per leaf (one top and one bottom dropped from five on, as the round's rules say),
sums, mixes in the satisfaction survey, rounds and ranks with AVERAGE/SUM/ROUND/RANK. Then it
times, alternating A B A B, `python -m app --db X results --round R --json` against a headless
LibreOffice opening the workbook and recalculating it (converted to CSV, so every formula is
evaluated), and prints medians, peak memory (the child's maximum resident set) and the ratio.

Checks: LibreOffice's rounded finals equal Kaoping's (the workbook is the same round); with
``--baseline REV`` the same command of an earlier commit is timed too (Kaoping before and after)
and its JSON output must be byte-identical to today's.

Run: python benchmarks/compare_office.py [--sizes 80x155x5,1000x200x3,5000x200x3]
     [--runs 3] [--work DIR] [--baseline REV] [--no-office]
Targets: results --json 80x155x5 < 0.3 s; 1000x200x3 < 1 s; 5000x200x3 < 4 s and < 600 MB.
Built databases and workbooks are kept in --work (default /tmp/kaoping-compare) and reused.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZES = ((80, 155, 5), (1000, 200, 3), (5000, 200, 3))
TARGETS = {(80, 155, 5): (0.3, None), (1000, 200, 3): (1.0, None), (5000, 200, 3): (4.0, 600)}
ROUND = "大批次考核"  # large_round.LARGE_ROUND, without importing the app here
WORK = Path(tempfile.gettempdir()) / "kaoping-compare"
SUMMARY = "汇总"


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the child: the steadier figure on a busy machine
    peak_mb: float
    output: bytes


def python_env() -> dict[str, str]:
    """The environment a user's process has: bytecode cached (an installed copy ships it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("PYTHONPATH", None)
    return env


def run_process(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time from fork to exit and the peak resident memory of the child (and of the
    children it waited for: LibreOffice's launcher starts soffice.bin)."""
    import time

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read() if process.stderr else b""
        if process.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({process.returncode}): {errors.decode()[-2000:]}"
            )
        out.seek(0)
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read())


def size_name(size: tuple[int, int, int]) -> str:
    return "x".join(map(str, size))


def ensure_database(work: Path, size: tuple[int, int, int]) -> Path:
    """The Kaoping database of this size (built once, in its own process, then reused)."""
    path = work / f"round-{size_name(size)}.db"
    if path.exists():
        return path
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/benchmarks']\n"
        "from large_round import build_large_round\n"
        "from app.models.opening import open_database\n"
        "db = open_database(sys.argv[2])\n"
        "build_large_round(db, units=int(sys.argv[3]), leaves=int(sys.argv[4]),"
        " assessors=int(sys.argv[5]))\n"
        "db.dispose()\n"
    )
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    print(f"building the {size_name(size)} round (once) …", flush=True)
    subprocess.run(
        [sys.executable, "-c", script, str(ROOT), str(partial), *map(str, size)],
        check=True,
        cwd=ROOT,
    )
    partial.rename(path)
    return path


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ensure_workbook(work: Path, size: tuple[int, int, int], db_path: Path) -> Path:
    """The office's workbook of the same round: each assessor's leaf scores as values (what
    the 考核组 send back), the 汇总 sheet as formulas over them."""
    path = work / f"office-{size_name(size)}.xlsx"
    if path.exists():
        return path
    print(f"writing the office's workbook {path.name} (once) …", flush=True)
    from openpyxl import Workbook

    from app.models.opening import open_database
    from app.scoring.leaf_scores import each_assessor
    from app.scoring.types import Method
    from app.services.rounds.definition import find_round
    from app.services.rounds.round_data import load_round_data
    from app.services.rounds.rules_storage import rules_of

    db = open_database(db_path)
    with db.reading() as session:
        round_ = find_round(session, ROUND)
        data = load_round_data(session, round_)
        rules = rules_of(round_)
    db.dispose()
    assessors = sorted({e.assessor for e in data.entries})
    leaves = [leaf for leaf in data.leaves if leaf.method is not Method.VETO]
    # scores[assessor][unit][leaf] = that assessor's score (absent: not given)
    grouped: dict[str, dict[str, list]] = {}
    for entry in data.entries:
        grouped.setdefault(entry.unit, {}).setdefault(entry.leaf, []).append(entry)
    scores: dict[str, dict[str, dict[str, Decimal]]] = {a: {} for a in assessors}
    for unit, by_leaf in grouped.items():
        for leaf in leaves:
            found = by_leaf.get(leaf.code)
            if found:
                for assessor, value in each_assessor(leaf, found):
                    scores[assessor].setdefault(unit, {})[leaf.code] = value
    book = Workbook(write_only=True)
    summary = book.create_sheet(SUMMARY)
    sheets = [book.create_sheet(a) for a in assessors]
    header = ["单位", "类别", *(leaf.code for leaf in leaves)]
    for sheet, assessor in zip(sheets, assessors, strict=True):
        sheet.append(header)
        for unit in data.units:
            mine = scores[assessor].get(unit.name, {})
            sheet.append(
                [unit.name, unit.category, *(_number(mine.get(leaf.code)) for leaf in leaves)]
            )
    weight = rules.satisfaction_weight or Decimal(0)
    trim = rules.trim_from
    first_bonus = next(i for i, leaf in enumerate(leaves) if leaf.method is Method.BONUS)
    last = len(data.units) + 1
    scored_end = _column(2 + first_bonus)
    bonus_start, bonus_end = _column(3 + first_bonus), _column(2 + len(leaves))
    tail = len(leaves) + 3
    assessment, bonus, survey, final = (_column(tail + i) for i in range(4))
    summary.append([*header, "考核得分", "加分", "满意度", "最终得分", "名次"])
    for row, unit in enumerate(data.units, start=2):
        cells = [unit.name, unit.category]
        for index in range(len(leaves)):
            cell = f"{_column(3 + index)}{row}"
            refs = ",".join(f"'{a}'!{cell}" for a in assessors)
            mean = f"IF(COUNT({refs})=0,0,AVERAGE({refs}))"
            if len(assessors) >= trim:
                mean = (
                    f"IF(COUNT({refs})>={trim},(SUM({refs})-MAX({refs})-MIN({refs}))"
                    f"/(COUNT({refs})-2),{mean})"
                )
            cells.append(f"={mean}")
        cells += [
            f"=SUM(C{row}:{scored_end}{row})",
            f"=SUM({bonus_start}{row}:{bonus_end}{row})",
            _number(data.satisfaction.get(unit.name)),
            f"=ROUND(({assessment}{row}+{bonus}{row})*{1 - weight}+{survey}{row}*{weight},2)",
            f"=RANK({final}{row},${final}$2:${final}${last})",
        ]
        summary.append(cells)
    partial = path.with_suffix(".partial.xlsx")
    book.save(partial)
    partial.rename(path)
    return path


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def office_command(workbook: Path, out_dir: Path, profile: Path) -> list[str]:
    from tools.libreoffice import install

    return [
        install(),
        "--headless",
        "--norestore",
        f"-env:UserInstallation=file://{profile}",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",  # comma, quote, UTF-8, first row
        "--outdir",
        str(out_dir),
        str(workbook),
    ]


def office_finals(csv_path: Path) -> dict[str, str]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("最终得分")
    return {row[0]: row[column] for row in rows[1:]}


def kaoping_command(db_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app",
        "--db",
        str(db_path),
        "results",
        "--round",
        ROUND,
        "--json",
    ]


def baseline_tree(work: Path, revision: str) -> Path:
    """The app as it was at ``revision`` (git archive), to time and compare with."""
    kept = work / f"baseline-{revision}"
    if kept.exists():  # already extracted (e.g. when run from a copy without .git)
        return kept
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tree = work / f"baseline-{commit}"
    if not tree.exists():
        partial = work / f"baseline-{commit}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit, "app"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        (partial / "resources").symlink_to(ROOT / "resources")
        partial.rename(tree)
    return tree


def compare(size: tuple[int, int, int], args: argparse.Namespace) -> dict[str, float]:
    work: Path = args.work
    db_path = ensure_database(work, size)
    sides: dict[str, tuple[list[str], Path, dict[str, str] | None]] = {
        "Kaoping": (kaoping_command(db_path), ROOT, python_env())
    }
    if args.baseline:
        sides["Kaoping at " + args.baseline] = (
            kaoping_command(db_path),
            baseline_tree(work, args.baseline),
            python_env(),
        )
    office_out = work / f"office-out-{size_name(size)}"
    if not args.no_office and size[0] <= args.office_max:
        workbook = ensure_workbook(work, size, db_path)
        office_out.mkdir(exist_ok=True)
        profile = work / "libreoffice-profile"
        sides["LibreOffice"] = (office_command(workbook, office_out, profile), work, None)
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    for command, cwd, env in sides.values():  # warm: page cache, bytecode, profile
        run_process(command, cwd, env)
    for _ in range(args.runs):
        for name, (command, cwd, env) in sides.items():
            runs[name].append(run_process(command, cwd, env))
    print(f"\nresults --json, {size_name(size)} (median of {args.runs}, alternated):")
    medians = {}
    for name, found in runs.items():
        seconds = statistics.median(r.seconds for r in found)
        peak = max(r.peak_mb for r in found)
        medians[name] = seconds
        cpu = statistics.median(r.cpu for r in found)
        print(
            f"  {name:<24} {seconds:6.2f} s  (CPU {cpu:5.2f} s)  {peak:7.0f} MB peak  "
            f"(runs: {', '.join(f'{r.seconds:.2f}' for r in found)})"
        )
        medians[name + " MB"] = peak
    target, memory = TARGETS.get(size, (None, None))
    ours = medians["Kaoping"]
    if target is not None:
        verdict = (
            "met"
            if ours < target and (memory is None or medians["Kaoping MB"] < memory)
            else "NOT met"
        )
        limit = f" and {memory} MB" if memory else ""
        print(f"  target: under {target} s{limit}: {verdict}")
    if "LibreOffice" in medians:
        print(f"  LibreOffice / Kaoping: {medians['LibreOffice'] / ours:.1f}x")
        check_office(office_out / f"office-{size_name(size)}.csv", runs["Kaoping"][0].output)
    if args.baseline:
        before = medians["Kaoping at " + args.baseline]
        print(f"  before / after: {before / ours:.1f}x")
        same = all(
            r.output == runs["Kaoping"][0].output
            for name in runs
            if name != "LibreOffice"
            for r in runs[name]
        )
        print(f"  JSON byte-identical to {args.baseline}: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit(f"results --json differs from {args.baseline} at {size_name(size)}")
    return medians


def check_office(csv_path: Path, kaoping_json: bytes) -> None:
    """LibreOffice's finals against Kaoping's: the same round, so the same figures (a float
    workbook may miss by a cent where the exact final ends in 5 past the cent)."""
    import json

    office = office_finals(csv_path)
    ours = {u["unit"]: Decimal(u["final"]) for u in json.loads(kaoping_json)["units"]}
    off = [
        name
        for name, final in ours.items()
        if abs(Decimal(office.get(name) or "NaN") - final) > Decimal("0.01")
    ]
    cents = sum(1 for name, final in ours.items() if Decimal(office[name]) != final)
    print(
        f"  LibreOffice's finals equal Kaoping's: {len(ours) - cents} of {len(ours)} units to "
        f"the cent, {len(off)} off by more than a cent"
    )


def parse_sizes(text: str) -> list[tuple[int, int, int]]:
    sizes = []
    for part in text.split(","):
        units, leaves, assessors = (int(n) for n in part.lower().split("x"))
        sizes.append((units, leaves, assessors))
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--baseline", help="also time this commit's results --json and compare")
    parser.add_argument("--no-office", action="store_true", help="Kaoping only")
    parser.add_argument(
        "--office-max",
        type=int,
        default=1000,
        help="largest unit count LibreOffice is timed at (5,000 units take it minutes)",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        compare(size, args)


if __name__ == "__main__":
    main()
