"""Every file made from a name (a unit's, a round's, an assessor's, a notice number) is named by
app/filenames.py, on the rules of Windows and of Linux at once (issue 17 §1)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.filenames import MAX_PART_BYTES, FileNames, file_part
from app.models.opening import open_database
from app.services.publishing.unit_sheets import write_unit_sheets
from tests.small_round import ROUND, build_small_round

WINDOWS_REFUSED = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$", re.I)
STAGING = len(".{name}.4194304.staged") - len("{name}")  # what write_atomically adds
NAMES = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, exclude_categories=()),  # surrogates and controls too
        st.sampled_from('\\/:*?"<>|. \u3000\u202e\u200b（）CONULPT1'),
    ),
    max_size=120,
) | st.sampled_from(["CON", "con.txt", "Nul ", "COM¹", "LPT9.pdf", "CONIN$", "..", " . "])


def check_part(part: str) -> None:
    """What Windows and Linux both accept as one component of a path."""
    assert part and part not in (".", "..")
    assert len(part.encode("utf-8")) <= MAX_PART_BYTES
    assert not WINDOWS_REFUSED.search(part)
    assert not part.endswith((".", " "))
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in part)
    assert not DEVICES.match(part.split(".")[0].rstrip(" "))


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("市住建局/市人防办", "市住建局_市人防办"),
        ("市司法局（市政府法制办）", "市司法局（市政府法制办）"),  # full width is kept
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
        ("局\x00名\x1f", "局名"),
        ("名称. . .", "名称"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("COM¹", "_COM¹"),
        ("CONOUT$", "_CONOUT$"),
        ("\u202e局法司", "局法司"),
        ("\ud800局", "局"),  # a lone surrogate from a command line in an unknown encoding
        ("", "_"),
        ("..", "_"),
    ],
)
def test_names_become_safe_file_names(name: str, part: str) -> None:
    assert file_part(name) == part
    check_part(file_part(name))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES)
def test_any_name_makes_a_file_both_systems_accept(name: str, tmp_path: Path) -> None:
    part = file_part(name)
    check_part(part)
    path = tmp_path / f"{part}.pdf"
    path.write_bytes(b"%PDF")  # Linux takes it
    assert path.read_bytes() == b"%PDF"
    path.unlink()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=NAMES, second=NAMES)
def test_a_batch_names_every_file_apart_and_short(first: str, second: str, tmp_path: Path) -> None:
    names = FileNames(tmp_path)
    paths = [
        names.path(r, u, "初步结果", suffix=".xlsx")
        for r in (first, second)
        for u in (first, second)
    ]
    assert len({p.name.casefold() for p in paths}) == len(paths)
    for path in paths:
        assert len(path.name.encode("utf-8")) + STAGING <= 255


def test_unit_sheets_of_units_whose_names_clean_alike_are_two_files(
    db_path: Path, tmp_path: Path
) -> None:
    """Seen: each unit's sheet was named by its cleaned name only, so "市住建局/市人防办" and
    "市住建局_市人防办" wrote one file, the second over the first."""
    db = open_database(db_path)
    build_small_round(db, tmp_path, ["市住建局/市人防办", "市住建局_市人防办"])
    written = write_unit_sheets(db, ROUND, tmp_path / "明细")
    db.dispose()
    assert len(written) == len({p.name for p in written}) == 4
    assert sorted(p.name for p in (tmp_path / "明细").iterdir()) == sorted(p.name for p in written)
