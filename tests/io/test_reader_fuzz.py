"""Random cells, types, merges and broken files: every reader answers with records or a clear
WorkbookError, never a crash."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.io.errors import WorkbookError
from app.io.framework_reader import read_framework
from app.io.satisfaction_reader import read_satisfaction
from app.io.scores_reader import read_scores
from app.io.units_reader import read_units
from tests.workbooks import FRAMEWORK_HEADER, SCORES_HEADER, UNITS_HEADER

READERS = [
    (read_units, UNITS_HEADER),
    (read_framework, FRAMEWORK_HEADER),
    (read_scores, SCORES_HEADER),
    (read_satisfaction, ("单位名称", "满意度得分")),
]
cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["#DIV/0!", "=1/0", "是", "否", "97%", "０.５", "合计", "　", "1.1.1"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.integers(0, len(READERS) - 1),
    rows=st.lists(st.lists(cell, min_size=0, max_size=10), max_size=12),
    merge=st.booleans(),
)
def test_random_cells_never_crash_a_reader(tmp_path: Path, which: int, rows, merge: bool) -> None:
    reader, header = READERS[which]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    if merge and len(rows) >= 2:
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    path = tmp_path / "fuzz.xlsx"
    workbook.save(path)
    try:
        reader(path)
    except WorkbookError as error:
        assert error.problems and all("fuzz.xlsx" in str(p) for p in error.problems)


def broken_files(folder: Path) -> list[Path]:
    files = []
    truncated = folder / "truncated.xlsx"
    workbook = Workbook()
    workbook.active.append(list(UNITS_HEADER))  # type: ignore[union-attr]
    workbook.save(truncated)
    truncated.write_bytes(truncated.read_bytes()[:300])
    files.append(truncated)
    not_zip = folder / "text.xlsx"
    not_zip.write_text("单位名称\n市司法局\n", encoding="utf-8")
    files.append(not_zip)
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    files.append(empty)
    wrong_zip = folder / "other.xlsx"
    with zipfile.ZipFile(wrong_zip, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    files.append(wrong_zip)
    renamed_xls = folder / "renamed.xls"
    renamed_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    files.append(renamed_xls)
    return files


@pytest.mark.parametrize("reader", [r for r, _ in READERS])
def test_broken_files_give_a_clear_message(tmp_path: Path, reader) -> None:
    for path in broken_files(tmp_path):
        with pytest.raises(WorkbookError) as error:
            reader(path)
        assert path.name in str(error.value)
