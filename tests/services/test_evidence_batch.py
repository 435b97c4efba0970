"""Several returned packages at once (the window's import): checked side by side, each file read
once, the good ones applied each all or nothing, a bad one named and held back; the grid's
marks, the page's per-unit overview and the home page's list of what the units owe."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.models import EvidenceAttachment, EvidenceFile
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.evidence.overview import cell_marks, owed_in_open_rounds, unit_overview
from app.services.evidence.package_batch import apply_packages, check_packages
from app.services.evidence.package_export import export_packages
from app.services.evidence.reviews import review_evidence
from app.services.rounds.definition import round_of
from tests import evidence_packages as unit
from tests.small_round import ROUND, build_small_round

UNITS = ["市民政局", "市教育局", "市财政局"]


@pytest.fixture
def year(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    private = tmp_path / "tmp"  # a server's store stages in the temporary folder: this one
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    build_small_round(db, tmp_path, UNITS)
    return db


def returned(db: Database, tmp_path: Path, name: str, files: dict[str, bytes]) -> Path:
    (package,) = export_packages(db, ROUND, tmp_path / f"out-{name}", [name])
    top = unit.unpack(package.path, tmp_path / f"unpacked-{name}")
    unit.fill(top, {"1.1.1": (9, f"{name}的说明")})
    for file_name, content in files.items():
        unit.put(top, "1.1.1", file_name, content)
    return unit.zip_folder(top, tmp_path / f"{name}.zip")


def count(db: Database, model: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def staged_left(db: Database) -> list[Path]:
    return list(content_store(db).staging().glob(".staged-*"))


def test_a_batch_applies_the_good_packages_and_names_the_bad_one(
    year: Database, tmp_path: Path
) -> None:
    good = returned(year, tmp_path, "市民政局", {"制度.pdf": unit.pdf("民政")})
    other = returned(year, tmp_path, "市教育局", {"照片.png": unit.PNG})
    bad = returned(year, tmp_path, "市财政局", {"通知.pdf": unit.EXE})
    seen: list[tuple[int, int]] = []
    checked = check_packages(
        year, ROUND, [good, bad, other], progress=lambda d, t: seen.append((d, t)), workers=3
    )
    assert [p.unit for p in checked] == ["市民政局", "市财政局", "市教育局"]  # the order given
    assert [p.refused for p in checked] == [False, True, False]
    assert "可执行程序" in checked[1].problems[0]
    assert seen and seen[-1][0] == seen[-1][1]  # the progress ends full
    assert count(year, EvidenceFile) == 0  # checking writes nothing

    done = apply_packages(year, checked)
    assert [o.applied for o in done.value] == [True, False, True]
    assert done.changes
    assert count(year, EvidenceAttachment) == 2
    assert staged_left(year) == []  # every staged copy stored or removed


def test_two_packages_of_one_unit_in_a_batch_are_both_held_back(
    year: Database, tmp_path: Path
) -> None:
    first = returned(year, tmp_path, "市民政局", {"a.pdf": unit.pdf("a")})
    second = tmp_path / "again.zip"
    second.write_bytes(first.read_bytes())
    checked = check_packages(year, ROUND, [first, second])
    assert all("请只选其中一个" in p.problems[-1] for p in checked)
    assert staged_left(year) == []
    assert not any(o.applied for o in apply_packages(year, checked).value)


def test_a_cancelled_check_keeps_nothing(year: Database, tmp_path: Path) -> None:
    package = returned(year, tmp_path, "市民政局", {"a.pdf": unit.pdf("a")})
    with pytest.raises(UserError, match="已取消"):
        check_packages(year, ROUND, [package], cancelled=lambda: True)
    assert staged_left(year) == []


def test_marks_overview_and_what_the_units_owe(year: Database, tmp_path: Path) -> None:
    package = returned(year, tmp_path, "市民政局", {"a.pdf": unit.pdf("a"), "b.png": unit.PNG})
    apply_packages(year, check_packages(year, ROUND, [package]))
    review_evidence(year, ROUND, "市教育局", "2.1.1", "退回补充", "缺会议记录", date(2026, 3, 1))
    with year.reading() as session:
        round_id = round_of(session, ROUND).id

    marks = cell_marks(year, round_id)
    assert sorted((m.files, m.review) for m in marks.values()) == [(0, "退回补充"), (2, "待审核")]

    rows = {r.unit: r for r in unit_overview(year, ROUND, today=date(2026, 3, 2))}
    civil = rows["市民政局"]
    assert (civil.leaves, civil.with_files, civil.files, civil.pending) == (2, 1, 2, 1)
    assert civil.packages == 1 and civil.last_package is not None
    assert civil.size == len(unit.pdf("a")) + len(unit.PNG)
    assert (rows["市教育局"].returned, rows["市教育局"].overdue) == (1, 1)

    (owed,) = owed_in_open_rounds(year, today=date(2026, 3, 2))
    assert (owed.round_name, owed.item.unit, owed.item.leaf, owed.item.overdue) == (
        ROUND,
        "市教育局",
        "2.1.1",
        True,
    )


def test_checking_a_package_leaves_the_database_free_for_writes(
    year: Database, tmp_path: Path
) -> None:
    """The files take seconds to check: meanwhile the clerk (or another package's check) may
    write. The check holds no transaction once it has read what it needs."""
    from app.services.evidence.limits import EvidenceLimits, load_limits, set_limits

    package = returned(year, tmp_path, "市民政局", {"a.pdf": unit.pdf("a"), "b.png": unit.PNG})
    written = []

    def progress(_done: int, _total: int) -> None:
        if not written:
            written.append(set_limits(year, EvidenceLimits(100, 2000)))

    (checked,) = check_packages(year, ROUND, [package], progress=progress, workers=1)
    assert written and load_limits(year) == EvidenceLimits(100, 2000)
    assert not checked.refused
    checked.discard()


def test_a_damaged_zip_is_named_and_the_others_still_offered(
    year: Database, tmp_path: Path
) -> None:
    """Seen in review: one package with a damaged entry stopped the whole batch with a raw
    "Error -3 while decompressing data" that named no package."""
    good = returned(year, tmp_path, "市民政局", {"制度.pdf": unit.pdf("民政")})
    damaged = returned(year, tmp_path, "市教育局", {"台账.txt": "台账内容 ".encode() * 4000})
    data = bytearray(damaged.read_bytes())
    entry = data.find("台账.txt".encode())  # the entry's local header, then its data
    data[entry + 40 : entry + 104] = bytes(64)  # a block of its compressed data overwritten
    damaged.write_bytes(bytes(data))
    checked = check_packages(year, ROUND, [good, damaged], workers=2)
    assert [p.refused for p in checked] == [False, True]
    assert "市教育局.zip" in checked[1].problems[0] and "重新打包" in checked[1].problems[0]
    done = apply_packages(year, checked)
    assert [o.applied for o in done.value] == [True, False]
    assert staged_left(year) == []
