"""A longer fuzz run of every importer than CI affords: random cells and byte-level damage.

Run: python benchmarks/fuzz_readers.py [SECONDS]   (prints inputs tried, refusals, crashes)
A crash is any exception other than WorkbookError: each one is printed with its input file.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook

from app.io.errors import WorkbookError
from app.io.framework_reader import read_framework
from app.io.satisfaction_reader import read_satisfaction
from app.io.scores_reader import read_scores
from app.io.units_reader import read_units
from tests.workbooks import FRAMEWORK_HEADER, SCORES_HEADER, UNITS_HEADER

READERS = [
    ("units", read_units, UNITS_HEADER),
    ("framework", read_framework, FRAMEWORK_HEADER),
    ("scores", read_scores, SCORES_HEADER),
    ("satisfaction", read_satisfaction, ("单位名称", "满意度得分")),
]
WORDS = [
    "#DIV/0!",
    "=1/0",
    "是",
    "否",
    "97%",
    "０.５",
    "合计",
    "　",
    "1.1.1",
    "扣5-10分",
    "市司法局",
]


def random_cell(rng: random.Random) -> object:
    kind = rng.randrange(8)
    if kind == 0:
        return None
    if kind == 1:
        return "".join(chr(rng.randrange(0x20, 0x9FFF)) for _ in range(rng.randrange(40)))
    if kind == 2:
        return rng.randint(-(10**9), 10**9)
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind == 4:
        return rng.random() < 0.5
    if kind == 5:
        return dt.datetime(2000, 1, 1) + dt.timedelta(days=rng.randrange(20000))
    if kind == 6:
        return "长" * rng.randrange(1, 40000)  # huge strings
    return rng.choice(WORDS)


def random_workbook(rng: random.Random, header: tuple[str, ...], path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(rng.randrange(4)):
        sheet.append([random_cell(rng)])  # title rows
    sheet.append(list(header) if rng.random() < 0.9 else [random_cell(rng) for _ in header])
    for _ in range(rng.randrange(30)):
        sheet.append([random_cell(rng) for _ in range(rng.randrange(len(header) + 3))])
    if rng.random() < 0.3 and sheet.max_row > 3:
        top = rng.randrange(1, sheet.max_row - 1)
        sheet.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=2)
    workbook.save(path)


def damage(rng: random.Random, path: Path) -> None:
    data = bytearray(path.read_bytes())
    action = rng.randrange(3)
    if action == 0:
        del data[rng.randrange(len(data)) :]  # truncated
    elif action == 1:
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)  # flipped bytes
    else:
        start = rng.randrange(len(data))
        data[start : start + rng.randrange(1, 500)] = b""  # a hole
    path.write_bytes(bytes(data))


def main(seconds: float) -> int:
    rng = random.Random(20261124)
    tried = refused = accepted = 0
    crashes: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="kaoping-fuzz-"))
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        name, reader, header = READERS[tried % len(READERS)]
        path = folder / f"{tried}-{name}.xlsx"
        random_workbook(rng, header, path)
        if rng.random() < 0.4:
            damage(rng, path)
        tried += 1
        try:
            reader(path)
            accepted += 1
        except WorkbookError:
            refused += 1
        except Exception:
            crashes.append(f"{path}: {traceback.format_exc(limit=3)}")
            continue
        path.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"fuzz {seconds:.0f} s: {tried} inputs, {accepted} read, {refused} refused with a "
        f"message, {len(crashes)} crashes; peak RSS {peak:.0f} MB"
    )
    for crash in crashes[:10]:
        print(crash)
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 120))
