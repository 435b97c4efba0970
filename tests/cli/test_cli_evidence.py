"""`evidence` on the command line (issue 19): packages out and back (a bad one exits 2 naming the
file and writes nothing), the review loop, the list as JSON, the round's export with its index,
`audit verify` naming a file changed on disk."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from app.models.opening import open_database
from tests import evidence_packages as unit
from tests.small_round import ROUND, build_small_round


def test_packages_review_list_export_and_verify(run_cli, db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    build_small_round(db, tmp_path, ["市民政局", "市教育局"])
    db.dispose()
    code, out, _ = run_cli(
        "evidence", "package", "export", "--round", ROUND, "--out", str(tmp_path / "包")
    )
    assert code == 0 and "共 2 个材料包" in out
    package = next((tmp_path / "包").glob("市民政局*.zip"))
    top = unit.unpack(package, tmp_path / "民政局")
    unit.fill(top, {"1.1.1": (9, "已建立")})
    unit.put(top, "1.1.1", "制度.pdf", unit.pdf("制度"))
    unit.put(top, "2.1.1", "伪装.pdf", unit.EXE)
    bad = unit.zip_folder(top, tmp_path / "bad.zip", gbk=True)
    code, _, err = run_cli("evidence", "package", "import", "--round", ROUND, str(bad))
    assert code == 2 and "bad.zip：有问题，未导入" in err and "伪装.pdf" in err
    (unit.leaf_folder(top, "2.1.1") / "伪装.pdf").unlink()
    good = unit.zip_folder(top, tmp_path / "good.zip", gbk=True)
    code, out, _ = run_cli("evidence", "package", "import", "--round", ROUND, str(good))
    assert code == 0 and "新增 1" in out and "新增 制度.pdf" in out
    code, out, _ = run_cli("evidence", "package", "import", "--round", ROUND, str(good))
    assert code == 0 and "未变化" in out

    code, _, _ = run_cli(
        "evidence",
        "review",
        "--round",
        ROUND,
        "--unit",
        "市民政局",
        "--leaf",
        "1.1.1",
        "--send-back",
        "--missing",
        "缺少印发文件",
        "--due",
        "2026-03-31",
    )
    assert code == 0
    code, out, _ = run_cli("evidence", "list", "--round", ROUND, "--unit", "市民政局", "--json")
    (leaf,) = json.loads(out)
    assert (leaf["leaf"], leaf["self_score"], leaf["review"]) == ("1.1.1", "9", "退回补充")
    assert leaf["files"][0]["sha256"] == unit.sha256(unit.pdf("制度"))

    run_cli(
        "evidence",
        "package",
        "export",
        "--round",
        ROUND,
        "--out",
        str(tmp_path / "包2"),
        "--unit",
        "市民政局",
    )
    again = next((tmp_path / "包2").glob("市民政局*.zip"))
    with zipfile.ZipFile(again) as archive:
        book = archive.read(next(n for n in archive.namelist() if n.endswith("自评表.xlsx")))
    (tmp_path / "book.xlsx").write_bytes(book)
    assert load_workbook(tmp_path / "book.xlsx")["退回补充"]["C2"].value.startswith("缺少印发文件")

    code, out, _ = run_cli("evidence", "export", "--round", ROUND, "--out", str(tmp_path / "检查"))
    assert code == 0
    exported = tmp_path / "检查" / "市民政局" / "1.1.1 规范性文件" / "制度.pdf"
    assert exported.read_bytes() == unit.pdf("制度")
    assert (tmp_path / "检查" / "市民政局" / "市民政局-佐证材料目录.pdf").is_file()
    assert (tmp_path / "检查" / f"{ROUND}-佐证材料目录.xlsx").is_file()

    code, out, _ = run_cli("audit", "verify")
    assert code == 0 and "佐证材料完好：1 个文件" in out
    stored = next(
        p
        for p in db_path.with_name(f"{db_path.stem}.evidence").rglob("*")
        if p.is_file() and p.parent.name != ".staging"
    )
    stored.write_bytes(b"%PDF-replaced behind the program's back")
    code, _, err = run_cli("audit", "verify")
    assert code == 2 and "制度.pdf" in err and "市民政局 指标 1.1.1" in err
