"""A longer fuzz run of every importer than CI affords: random cells, byte-level damage, and
the hostile names and numbers an attacker tried (formulas, NUL and other control characters,
bidirectional overrides, 10,002-character names, 1e-61, 1e1000000, NaN).

Run: python benchmarks/fuzz_readers.py [SECONDS]
Prints inputs tried, read, refused, crashes and hostile values let through. A crash is any
exception other than WorkbookError; "let through" is an accepted record holding a control
character, an invisible format character in a name, a name over its length limit, or a number
that is not finite, has more than 4 decimal places or is 1,000,000 or more. Each is printed
with its input file; either makes the run exit 1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
import resource
import sys
import tempfile
import time
import traceback
import unicodedata
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook

from app.errors import WorkbookError
from app.io.readers.framework_reader import read_framework
from app.io.readers.satisfaction_reader import read_satisfaction
from app.io.readers.scores_reader import read_scores
from app.io.readers.units_reader import read_units
from app.io.text_rules import CONTROL
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
HOSTILE = [
    '=HYPERLINK("http://example.invalid","点此查看")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
    "_x0000_",
    "市司法局_x0007_",
    "市_x0000_司法局",  # a workbook's escape for NUL: openpyxl itself refuses a raw one
    "市司法局_x001B_[31m",
    "\u202e局法司市州云",
    "云州\u200b市司法局",
    "\ufeff市司法局",
    "\u2066市公安局\u2069",
    "局" * 10_002,
    "1e-61",
    "1e1000000",
    "1e999999",
    "NaN",
    "inf",
    "-Infinity",
    "0.00001",
    "0.12345",
    "１e5",
    "999999.99",
    "1000000",
    1e-61,
    1e300,
    float("nan"),
    float("inf"),
    0.00001,
]
NAME_FIELDS = {"name", "unit", "assessor", "short_name", "category", "code", "leaf_code"}
NAME_LIMIT = 500  # the longest limit of any name (指标名称)


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
    if kind == 7 and rng.random() < 0.5:
        return rng.choice(HOSTILE)
    return rng.choice(WORDS)


def let_through(record: object, path: str = "") -> list[str]:
    """Hostile values an accepted record still holds (see the module's docstring)."""
    found: list[str] = []
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            found += let_through(value, f"{path}.{field.name}")
            if field.name in NAME_FIELDS and isinstance(value, str):
                if any(unicodedata.category(c) == "Cf" for c in value):
                    found.append(f"{path}.{field.name}: 名称含不可见格式字符 {value[:20]!r}")
                if len(value) > NAME_LIMIT:
                    found.append(f"{path}.{field.name}: 名称长 {len(value)} 字")
    elif isinstance(record, (list, tuple)):
        for index, item in enumerate(record):
            found += let_through(item, f"{path}[{index}]")
    elif isinstance(record, str):
        if CONTROL.search(record):
            found.append(f"{path}: 含控制字符 {record[:20]!r}")
    elif isinstance(record, (Decimal, float)) and not isinstance(record, bool):
        number = Decimal(record) if isinstance(record, float) else record
        if not number.is_finite() or (isinstance(record, float) and math.isnan(record)):
            found.append(f"{path}: 非有限数 {record!r}")
        elif abs(number) >= 1_000_000:
            found.append(f"{path}: 数值过大 {record!r}")
        elif number.as_tuple().exponent < -4 and number != number.quantize(Decimal("0.0001")):  # type: ignore[operator]
            found.append(f"{path}: 小数超过 4 位 {record!r}")
    return found


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
    through: list[str] = []
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
            records = reader(path)
        except WorkbookError:
            refused += 1
            path.unlink()
            continue
        except Exception:
            crashes.append(f"{path}: {traceback.format_exc(limit=3)}")
            continue
        accepted += 1
        problems = let_through(records)
        if problems:
            through.append(f"{path}: {'; '.join(problems[:3])}")
            continue
        path.unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"fuzz {seconds:.0f} s: {tried} inputs, {accepted} read, {refused} refused with a "
        f"message, {len(crashes)} crashes, {len(through)} with hostile values let through; "
        f"peak RSS {peak:.0f} MB"
    )
    for crash in crashes[:10] + through[:10]:
        print(crash)
    return 1 if crashes or through else 0


if __name__ == "__main__":
    raise SystemExit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 120))
