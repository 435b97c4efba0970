"""Every figure of issue 22 with its target, in one command (prints; never passes or fails).

Run: python benchmarks/run_all.py [--quick] [--work DIR]
  --quick  Kaoping's results at 80x155x5 and 1000x200x3 only, without LibreOffice and the
           window, grid and document benchmarks (a minute instead of several)

What it runs, each as whole processes where the issue says so:
- results --json at each size against LibreOffice (compare_office.py; 5,000 units without it);
- the modules each everyday command imports (python -X importtime) and the bare start;
- the window's start (startup.py), the grid and an edit (bench_grid.py), the notices and the
  通报 (bench_documents.py), the 100,000-row scores import (bench_scores_import.py), each
  printed as it prints its own figures, under the issue's target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import compare_office  # noqa: E402  (after the path above: benchmarks/ is not a package)

HEAVY = ("openpyxl", "reportlab", "matplotlib", "numpy", "alembic", "PySide6")
EVERYDAY = (
    ("results --json", ["results", "--round", "2025年度法治政府建设考核", "--json"]),
    ("round list", ["round", "list"]),
    ("units list", ["units", "list"]),
)
OTHERS = (
    ("window start on the demo: usable under 0.7 s", "startup.py"),
    ("grid of 80x155x5 painted under 0.2 s; an edit to new ranks under 10 ms", "bench_grid.py"),
    ("80 整改通知书 under 2 s; the full 通报 under 3 s", "bench_documents.py"),
    ("100,000-row scores workbook imported under 10 s, bounded memory", "bench_scores_import.py"),
)


def demo_database(work: Path) -> Path:
    path = work / "demo.db"
    if not path.exists():
        partial = work / "demo.partial.db"
        partial.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "app", "--db", str(partial), "demo"],
            cwd=ROOT,
            env=compare_office.python_env(),
            check=True,
            capture_output=True,
        )
        partial.rename(path)
    return path


def heavy_imports(db: Path, command: list[str]) -> list[str]:
    """The heavy packages a command imported, from python -X importtime."""
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app", "--db", str(db), *command],
        cwd=ROOT,
        env=compare_office.python_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    found = set()
    for line in trace.splitlines():
        parts = line.split("|")
        if len(parts) == 3:
            top = parts[2].strip().split(".")[0]
            if top in HEAVY:
                found.add(top)
    return sorted(found)


def median_run(command: list[str], runs: int = 5) -> compare_office.Run:
    env = compare_office.python_env()
    compare_office.run_process(command, ROOT, env)  # warm
    found = [compare_office.run_process(command, ROOT, env) for _ in range(runs)]
    seconds = statistics.median(r.seconds for r in found)
    cpu = statistics.median(r.cpu for r in found)
    return compare_office.Run(seconds, cpu, max(r.peak_mb for r in found), b"")


def imports_and_start(work: Path) -> None:
    db = demo_database(work)
    print(
        "\n== Every command imports only what it uses (no openpyxl, reportlab, matplotlib, "
        "numpy, alembic); the bare start under 0.15 s"
    )
    for label, command in EVERYDAY:
        heavy = heavy_imports(db, command)
        run = median_run([sys.executable, "-m", "app", "--db", str(db), *command])
        print(
            f"  {label:<16} heavy imports: {', '.join(heavy) or 'none':<28} "
            f"{run.seconds:.2f} s (CPU {run.cpu:.2f} s), {run.peak_mb:.0f} MB (demo database)"
        )
    run = median_run([sys.executable, "-m", "app", "--help"])
    verdict = "met" if run.seconds < 0.15 else "NOT met"
    print(f"  bare start (kaoping --help): {run.seconds:.3f} s (CPU {run.cpu:.3f} s): {verdict}")


def others() -> None:
    env = {**compare_office.python_env(), "QT_QPA_PLATFORM": "offscreen"}
    for target, script in OTHERS:
        print(f"\n== {target}  ({script})", flush=True)
        if not (ROOT / "benchmarks" / script).exists():
            print("  not measured: no benchmark yet")
            continue
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / script)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        for line in (done.stdout + (done.stderr if done.returncode else "")).splitlines():
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", type=Path, default=compare_office.WORK)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    print(
        "== results --json as a whole process (targets: 80x155x5 < 0.3 s; 1000x200x3 < 1 s; "
        "5000x200x3 < 4 s and < 600 MB)"
    )
    sizes = compare_office.SIZES[:2] if args.quick else compare_office.SIZES
    compare_office.main(
        [
            "--sizes",
            ",".join(compare_office.size_name(s) for s in sizes),
            "--work",
            str(args.work),
            *(["--no-office"] if args.quick else []),
        ]
    )
    imports_and_start(args.work)
    if not args.quick:
        others()


if __name__ == "__main__":
    main()
