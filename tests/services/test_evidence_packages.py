"""Evidence packages (issue 19) on both engines: exported per unit, returned as a unit makes
them (a Windows zip with GBK names, a folder), checked file by file, applied all or nothing,
the same package twice a no-op, the review loop through two packages, every file kept once and
proven intact by `audit verify`."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog, EvidenceAttachment, EvidenceFile
from app.models.database import Database
from app.models.review import SelfAssessment
from app.services.access.state_verify import verify_database
from app.services.evidence.package_export import export_packages
from app.services.evidence.package_import import (
    PackageRejected,
    import_package,
    preview_package,
)
from app.services.evidence.reviews import returned_items, review_evidence
from tests import evidence_packages as unit
from tests.small_round import ROUND, build_small_round

UNITS = ["市民政局", "市教育局"]


@pytest.fixture
def year(db: Database, tmp_path: Path) -> Database:
    build_small_round(db, tmp_path, UNITS)
    return db


def exported(db: Database, tmp_path: Path, name: str = "市民政局", folder: str = "out") -> Path:
    (package,) = export_packages(db, ROUND, tmp_path / folder, [name])
    return unit.unpack(package.path, tmp_path / f"{folder}-unpacked-{name}")


def count(db: Database, model: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def log_count(db: Database) -> int:
    return count(db, ChangeLog)


def test_a_windows_zip_with_gbk_names_is_read_stored_once_and_twice_changes_nothing(
    year: Database, tmp_path: Path
) -> None:
    top = exported(year, tmp_path)
    unit.fill(top, {"1.1.1": (8, "已建立制度，见附件"), "2.1.1": ("不适用", "")})
    unit.put(top, "1.1.1", "关于印发权责清单的通知.pdf", unit.pdf("通知"))
    unit.put(top, "1.1.1", "会议照片.png", unit.PNG)
    unit.put(top, "2.1.1", "同一份通知.pdf", unit.pdf("通知"))  # the same content again
    package = unit.zip_folder(top, tmp_path / "民政局.zip", gbk=True)
    with zipfile.ZipFile(package) as archive:  # really GBK, really without the UTF-8 flag
        assert all(not info.flag_bits & 0x800 for info in archive.infolist())

    preview = preview_package(year, ROUND, package)
    assert preview.unit == "市民政局" and not preview.problems
    leaves = {leaf.code: leaf for leaf in preview.leaves}
    assert leaves["1.1.1"].score == "8" and leaves["2.1.1"].score == "不适用"
    assert sorted(f.name for f in leaves["1.1.1"].files) == [
        "会议照片.png",
        "关于印发权责清单的通知.pdf",
    ]
    assert {f.status for f in leaves["1.1.1"].files} == {"新增"}
    assert count(year, EvidenceFile) == 0  # a preview writes nothing

    done = import_package(year, ROUND, package)
    assert done.applied and done.changes
    assert count(year, EvidenceFile) == 2  # the PDF given twice is stored once
    assert count(year, EvidenceAttachment) == 3
    with year.reading() as session:
        scores = {
            (s.score, s.not_applicable, s.note) for s in session.scalars(select(SelfAssessment))
        }
        names = session.scalars(
            select(ChangeLog.entity_key).where(ChangeLog.entity == "佐证")
        ).all()
        hashes = session.scalars(select(ChangeLog.new).where(ChangeLog.entity == "佐证")).all()
    assert scores == {(Decimal(8), False, "已建立制度，见附件"), (None, True, "")}
    assert "市民政局/1.1.1/关于印发权责清单的通知.pdf" in names
    assert all(len(h["SHA-256"]) == 64 for h in hashes)

    before = log_count(year)
    again = import_package(year, ROUND, package)
    assert not again.applied and log_count(year) == before
    as_folder = import_package(year, ROUND, top)  # the same content as the folder itself
    assert not as_folder.applied and log_count(year) == before
    assert verify_database(year, evidence=True).ok


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("通知.pdf", unit.EXE, "可执行程序"),  # a program renamed to .pdf
        ("安装.exe", unit.EXE, "可执行程序"),
        ("材料.zip", unit.zip_with({"a.pdf": unit.PDF}), "压缩包"),
        ("材料.docx", unit.zip_with({"a.pdf": unit.PDF}), "压缩包"),  # an archive renamed
        ("扫描件.pdf", unit.PNG, "内容与扩展名"),
        ("数据.csv", b"a,b\n", "不允许"),
    ],
)
def test_a_file_that_may_not_be_evidence_refuses_the_package_whole(
    year: Database, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    top = exported(year, tmp_path)
    unit.fill(top, {"1.1.1": (9, "说明")})
    unit.put(top, "1.1.1", "正常的文件.pdf", unit.pdf("ok"))
    unit.put(top, "2.1.1", name, content)
    package = unit.zip_folder(top, tmp_path / "p.zip")
    before = log_count(year)
    with pytest.raises(PackageRejected) as refused:
        import_package(year, ROUND, package)
    assert any(expected in p and name in p for p in refused.value.package.problems)
    assert count(year, EvidenceFile) == 0 and log_count(year) == before  # all or nothing


def test_a_real_word_document_is_accepted(year: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    top = exported(year, tmp_path)
    Workbook().save(unit.leaf_folder(top, "1.1.1") / "台账.xlsx")  # a zip container that is Excel
    unit.put(top, "1.1.1", "说明.txt", "整改情况说明：已完成。".encode("gbk"))
    assert import_package(year, ROUND, top).applied


def test_path_traversal_nested_archive_and_zip_bomb_names_are_refused(
    year: Database, tmp_path: Path
) -> None:
    top = exported(year, tmp_path)
    package = unit.zip_folder(top, tmp_path / "p.zip")
    folder = unit.leaf_folder(top, "1.1.1").name
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr(f"{top.name}/../../逃出去.pdf", unit.PDF)
        bomb = b"%PDF-" + b"\x00" * (30 * 1024 * 1024)  # 30 MB that deflate to 30 KB
        archive.writestr(f"{top.name}/{folder}/炸弹.pdf", bomb, zipfile.ZIP_DEFLATED)
        unit.raw_zip_entry(archive, b"C:/Windows/evil.pdf", unit.PDF)
    with pytest.raises(PackageRejected) as refused:
        import_package(year, ROUND, package)
    problems = "\n".join(refused.value.package.problems)
    assert "..”" in problems or "“..”" in problems or "含有“..”" in problems
    assert "压缩炸弹" in problems and "绝对路径" in problems
    assert not any(tmp_path.parent.glob("逃出去.pdf")) and count(year, EvidenceFile) == 0


def test_a_package_for_another_unit_or_round_or_edited_is_refused(
    year: Database, tmp_path: Path
) -> None:
    top = exported(year, tmp_path, "市教育局")
    with pytest.raises(PackageRejected) as refused:
        import_package(year, ROUND, top, unit="市民政局")
    assert "是“市教育局”的，不是“市民政局”的" in refused.value.package.problems[0]

    from openpyxl import load_workbook

    path = top / "自评表.xlsx"
    workbook = load_workbook(path)
    workbook["自评"].cell(5, 1).value = "9.9.9"  # a leaf row recoded
    workbook.save(path)
    with pytest.raises(PackageRejected) as refused:
        import_package(year, ROUND, top)
    assert "结构被改动" in refused.value.package.problems[0]


def test_the_review_loop_through_two_packages(year: Database, tmp_path: Path) -> None:
    top = exported(year, tmp_path, folder="first")
    unit.fill(top, {"1.1.1": (10, "已建立"), "2.1.1": (6, "部分完成")})
    unit.put(top, "1.1.1", "制度.pdf", unit.pdf("制度"))
    assert import_package(year, ROUND, unit.zip_folder(top, tmp_path / "1.zip")).applied

    review_evidence(year, ROUND, "市民政局", "1.1.1", "认可")
    review_evidence(
        year, ROUND, "市民政局", "2.1.1", "退回补充", "缺少公众参与的会议记录", date(2026, 3, 31)
    )
    (item,) = returned_items(year, ROUND, today=date(2026, 4, 1))
    assert (item.unit, item.leaf, item.overdue) == ("市民政局", "2.1.1", True)

    second = exported(year, tmp_path, folder="second")  # the next package lists what was sent back
    from openpyxl import load_workbook

    book = load_workbook(second / "自评表.xlsx")
    rows = {r[0]: r for r in book["自评"].iter_rows(values_only=True) if r[0] in ("1.1.1", "2.1.1")}
    assert "缺少公众参与的会议记录" in rows["2.1.1"][9] and "2026年3月31日" in rows["2.1.1"][9]
    assert rows["1.1.1"][9] is None and rows["1.1.1"][7] == "制度.pdf"
    assert book["退回补充"]["A2"].value == "2.1.1"
    assert (unit.leaf_folder(second, "1.1.1") / "制度.pdf").read_bytes() == unit.pdf("制度")

    unit.put(second, "2.1.1", "会议记录.pdf", unit.pdf("会议"))
    (unit.leaf_folder(second, "1.1.1") / "制度.pdf").write_bytes(unit.pdf("制度（修订）"))
    preview = preview_package(year, ROUND, second)
    statuses = {(f.name, f.status) for leaf in preview.leaves for f in leaf.files}
    assert statuses == {("制度.pdf", "替换"), ("会议记录.pdf", "新增")}
    assert import_package(year, ROUND, second).applied
    before = log_count(year)
    assert not import_package(year, ROUND, second).applied and log_count(year) == before

    (unit.leaf_folder(second, "1.1.1") / "制度.pdf").unlink()  # taken out: withdrawn
    assert import_package(year, ROUND, second).applied
    with year.reading() as session:
        removed = session.scalars(
            select(ChangeLog.old).where(ChangeLog.entity == "佐证", ChangeLog.action == "删除")
        ).all()
    assert [r["SHA-256"] for r in removed] == [unit.sha256(unit.pdf("制度（修订）"))]
    assert verify_database(year, evidence=True).ok


def test_a_round_with_returned_evidence_is_not_deleted_or_rebuilt_silently(
    year: Database, tmp_path: Path
) -> None:
    """Seen in review: a round whose units had returned their packages, but nobody had scored
    yet, could be deleted or given another framework — every attachment and review went with
    it, unlogged, and the next check reported them as tampered with."""
    from app.errors import UserError
    from app.scoring.types import Rules
    from app.services.rounds.definition import create_round
    from app.services.rounds.round_edit import delete_round, edit_round
    from tests.small_round import FRAMEWORK

    create_round(year, name="2026年度", framework=FRAMEWORK, year=2026, rules=Rules(),
                 units=UNITS)  # fmt: skip
    (package,) = export_packages(year, "2026年度", tmp_path / "next", ["市民政局"])
    top = unit.unpack(package.path, tmp_path / "next-unpacked")
    unit.put(top, "1.1.1", "权责清单.pdf", unit.pdf("权责清单"))
    import_package(year, "2026年度", unit.zip_folder(top, tmp_path / "back.zip"))
    files = count(year, EvidenceAttachment)
    with pytest.raises(UserError, match="佐证材料"):
        delete_round(year, "2026年度", "建错了")
    with pytest.raises(UserError, match="佐证材料"):
        edit_round(year, "2026年度", framework=FRAMEWORK)
    assert count(year, EvidenceAttachment) == files == 1
    assert verify_database(year).ok


def test_a_reviewer_does_not_overwrite_a_mark_made_since_they_looked(year: Database) -> None:
    """Seen in review: two assessors sharing a leaf — one's 认可 silently replaced the other's
    退回补充. The mark carries what its reviewer saw; another's mark since is refused."""
    from app.services.evidence.reviews import ReviewChanged

    review_evidence(year, ROUND, "市民政局", "1.1.1", "退回补充", "缺少会议记录",
                    date(2026, 3, 31), seen="")  # fmt: skip
    with pytest.raises(ReviewChanged, match=r"退回补充.*缺少会议记录"):
        review_evidence(year, ROUND, "市民政局", "1.1.1", "认可", seen="")  # looked before
    (item,) = returned_items(year, ROUND)
    assert item.missing == "缺少会议记录"
    review_evidence(year, ROUND, "市民政局", "1.1.1", "认可", seen="退回补充")  # looked again
    assert returned_items(year, ROUND) == []
