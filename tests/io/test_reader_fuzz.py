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

from app.errors import WorkbookError
from app.io.readers.framework_reader import read_framework
from app.io.readers.satisfaction_reader import read_satisfaction
from app.io.readers.scores_reader import read_scores
from app.io.readers.units_reader import read_units
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


def test_a_zip_bomb_is_refused_before_it_unpacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.io.readers import sheet_table

    monkeypatch.setattr(sheet_table, "MAX_UNPACKED_BYTES", 5 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    workbook = Workbook()
    workbook.active.append(list(UNITS_HEADER))  # type: ignore[union-attr]
    workbook.save(bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 200 * 1024  # small on disk, large unpacked
    with pytest.raises(WorkbookError) as error:
        read_units(bomb)
    assert "bomb.xlsx" in str(error.value) and "解压后" in str(error.value)


def test_an_encrypted_workbook_says_remove_the_password(tmp_path: Path) -> None:
    encrypted = tmp_path / "加密.xlsx"  # Office saves password-protected files as OLE containers
    encrypted.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
    )
    with pytest.raises(WorkbookError) as error:
        read_units(encrypted)
    assert "密码" in str(error.value)


def test_a_real_xls_saved_under_an_xlsx_name_is_read(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("单位")
    for column, text in enumerate(("单位名称", "单位类别")):
        sheet.write(0, column, text)
    sheet.write(1, 0, "市司法局")
    sheet.write(1, 1, "政府部门")
    misnamed = tmp_path / "units.xlsx"
    book.save(str(misnamed))
    units = read_units(misnamed)
    assert [u.name for u in units] == ["市司法局"]


def test_a_zip_with_an_unsupported_feature_is_refused_not_crashed() -> None:
    """Found by benchmarks/fuzz_readers.py: damage that makes zipfile raise
    NotImplementedError ("zip file version 20.1")."""
    damaged = Path(__file__).parent / "fixtures" / "damaged-zip-version.xlsx"
    with pytest.raises(WorkbookError) as error:
        read_scores(damaged)
    assert "damaged-zip-version.xlsx" in str(error.value)
