"""Evidence at an office's scale (issue 19): import the units' packages (default 80 units × 150
indicators × 2 files of 1 MB: 24 GB; smaller with the options when the disk is short) and open
one indicator's evidence. Prints figures; never passes or fails on time.

    python -m benchmarks.bench_evidence --units 80 --leaves 150 --files 2 --mb 1 --dir /big/disk

Targets: all packages imported in under 2 minutes with memory bounded (the peak resident size
of the importing process is printed; it must not grow with the package size), one indicator's
evidence opened in under 0.3 s. The packages are made in a child process (so the importing
process's peak is the import's own) and stored uncompressed, as scans and PDFs barely compress.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import tempfile
import time
import zipfile
from pathlib import Path


def _areas(leaves: int) -> list[tuple[str, str, str]]:
    return [(f"领域{i}", f"事项{i}", f"指标{i}内容") for i in range(1, leaves + 1)]


def make_year(folder: Path, units: int, leaves: int) -> Path:
    from app.models.opening import open_database
    from tests.small_round import build_small_round

    db = open_database(folder / "year.db")
    build_small_round(
        db, folder, [f"单位{n:02d}" for n in range(1, units + 1)], areas=_areas(leaves)
    )
    db.dispose()
    return folder / "year.db"


def make_packages(db_path: Path, out: Path, files: int, megabytes: float) -> None:
    """As the units return them: the exported workbook, ``files`` distinct files per leaf."""
    from app.models.opening import open_database
    from app.services.evidence.package_export import export_packages
    from tests.small_round import ROUND

    db = open_database(db_path)
    exported = export_packages(db, ROUND, out / "exported")
    db.dispose()
    size = int(megabytes * 1024 * 1024)
    block = os.urandom(size)
    serial = 0
    for package in exported:
        target = out / "returned" / package.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(package.path) as source, zipfile.ZipFile(target, "w") as archive:
            for info in source.infolist():
                archive.writestr(info, source.read(info))
                if not info.is_dir():
                    continue
                for number in range(files):
                    serial += 1
                    tag = f"%PDF-1.7 {serial:012d}\n".encode()
                    content = tag + block[len(tag) :]
                    archive.writestr(f"{info.filename}材料{number + 1}.pdf", content)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=80)
    parser.add_argument("--leaves", type=int, default=150)
    parser.add_argument("--files", type=int, default=2)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--dir", default=None, help="where to work (needs 2 × the evidence size)")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="packages checked side by side, as the window imports them (0: one by one, "
        "each checked and applied in turn, as `evidence package import` does)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kaoping-bench-evidence-", dir=args.dir))
    try:
        _run(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(folder: Path, args: argparse.Namespace) -> None:
    import app.services  # noqa: F401  (registers the change-log and sealing events)
    from app.models.opening import open_database
    from app.services.evidence.listing import copy_to_open, leaf_evidence
    from app.services.evidence.package_import import import_package
    from tests.small_round import ROUND

    started = time.perf_counter()
    db_path = make_year(folder, args.units, args.leaves)
    maker = multiprocessing.get_context("spawn").Process(
        target=make_packages, args=(db_path, folder, args.files, args.mb)
    )
    maker.start()
    maker.join()
    packages = sorted((folder / "returned").glob("*.zip"))
    total = sum(p.stat().st_size for p in packages)
    print(
        f"{len(packages)} 个材料包，每包 {args.leaves} 个指标 × {args.files} 个文件"
        f" × {args.mb} MB，"
        f"共 {total / 1024**3:.2f} GB（准备 {time.perf_counter() - started:.0f} 秒）"
    )
    db = open_database(db_path)
    before = peak_mb()
    started = time.perf_counter()
    slowest = 0.0
    if args.workers:
        from app.services.evidence.package_batch import apply_packages, check_packages

        checked = check_packages(db, ROUND, packages, workers=args.workers)
        checking = time.perf_counter() - started
        assert all(o.applied for o in apply_packages(db, checked).value)
        how = f"{args.workers} 个包同时检查 {checking:.1f} 秒，再逐包写入"
    else:
        for package in packages:
            one = time.perf_counter()
            assert import_package(db, ROUND, package).applied
            slowest = max(slowest, time.perf_counter() - one)
        how = f"逐包检查并写入，最慢一包 {slowest:.1f} 秒"
    seconds = time.perf_counter() - started
    print(
        f"导入：{seconds:.1f} 秒（{total / 1024**2 / seconds:.0f} MB/秒；{how}）；"
        f"导入进程内存峰值 {peak_mb():.0f} MB（导入前 {before:.0f} MB）"
    )
    started = time.perf_counter()
    again = sum(import_package(db, ROUND, p).applied for p in packages[:3])
    print(f"同一材料包再导入（3 包）：{time.perf_counter() - started:.1f} 秒，变化 {again} 包")
    timings = []
    for n in range(20):
        one = time.perf_counter()
        shown = leaf_evidence(
            db, ROUND, f"单位{n % args.units + 1:02d}", f"{n % args.leaves + 1}.1.1"
        )
        timings.append(time.perf_counter() - one)
    one = time.perf_counter()
    copy_to_open(db, shown.files[0].sha256, shown.files[0].name, folder / "open")
    opened = time.perf_counter() - one
    print(
        f"打开一个指标的佐证材料：中位 {statistics.median(timings) * 1000:.0f} ms，"
        f"最慢 {max(timings) * 1000:.0f} ms；"
        f"取出一个 {args.mb} MB 文件的临时副本 {opened * 1000:.0f} ms"
    )
    from app.services.access.evidence_verify import verify_evidence

    report = verify_evidence(db)
    print(
        f"校验全部材料：{report.files} 个文件 {report.size / 1024**3:.2f} GB，"
        f"{report.seconds:.1f} 秒"
    )
    db.dispose()


if __name__ == "__main__":
    main()
