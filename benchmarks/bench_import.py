"""Time the imports an office does first: a 5,000-row unit list and a 1,000-leaf framework,
each read, previewed and committed into a fresh database (prints figures).

Run: python benchmarks/bench_import.py   (targets: under 2 s each, preview + commit)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook

from app.models.opening import open_database
from app.services.setup.framework_import import commit_framework, preview_framework
from app.services.setup.unit_import import commit_units, preview_units

STANDARDS = (
    "每发现一例扣0.5分，扣完为止",
    "未建立的不得分",
    "工作不到位的，酌情扣0.5-1分",
    "完成率达到100%的得满分；95%-100%得80%",
)


def unit_list(path: Path, rows: int) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2025年度考核对象名单"])
    sheet.append(["序号", "单位名称", "单位类别", "简称"])
    for i in range(1, rows + 1):
        sheet.append([i, f"测试单位{i:05d}", f"类别{i % 8}", f"单位{i}"])
    workbook.save(path)
    return path


def framework(path: Path, leaves: int) -> Path:
    """10 areas x 10 groups x 10 leaves, merged level cells like an office's sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "牵头单位"])
    row = 2
    per_area = leaves // 10
    for area in range(10):
        first_area_row = row
        for group in range(10):
            first_group_row = row
            for leaf in range(per_area // 10):
                sheet.append(
                    [
                        f"领域{area + 1}",
                        f"事项{area + 1}.{group + 1}",
                        f"指标{area + 1}.{group + 1}.{leaf + 1}",
                        1,
                        STANDARDS[leaf % len(STANDARDS)],
                        "市司法局",
                    ]
                )
                row += 1
            sheet.merge_cells(
                start_row=first_group_row, end_row=row - 1, start_column=2, end_column=2
            )
        sheet.merge_cells(start_row=first_area_row, end_row=row - 1, start_column=1, end_column=1)
    sheet.append(["合计", None, None, leaves])
    workbook.save(path)
    return path


def timed(label: str, work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        units = unit_list(base / "units.xlsx", 5000)
        tree = framework(base / "framework.xlsx", 1000)
        db = open_database(base / "bench.db")
        start = time.perf_counter()
        preview = timed("  单位名单 5,000 行：读取与预览", lambda: preview_units(db, units))
        summary = timed("  单位名单 5,000 行：写入", lambda: commit_units(db, preview))
        print(f"单位名单合计 {time.perf_counter() - start:.2f} s（新增 {summary.added} 个）")
        start = time.perf_counter()
        found = timed("  指标体系 1,000 项：读取与预览", lambda: preview_framework(db, tree))
        info = timed("  指标体系 1,000 项：写入", lambda: commit_framework(db, found, "基准").value)
        print(
            f"指标体系合计 {time.perf_counter() - start:.2f} s（{info.leaves} 项，"
            f"识别评分规则 {len(found.rules)} 项，问题 {len(found.problems)} 处）"
        )
        db.dispose()


if __name__ == "__main__":
    main()
