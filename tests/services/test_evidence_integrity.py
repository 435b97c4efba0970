"""Evidence kept intact (issue 19): a file changed or removed behind the program's back — in
the folder beside a local database, or in a server's table — is caught by `audit verify` and
named with its unit and leaf; an attachment row removed outside is caught by the seals; backups
carry the evidence incrementally and a restore brings back exactly the files it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.errors import UserError
from app.models import EvidenceFile
from app.models.database import Database
from app.models.evidence_store import FolderStore, content_store, evidence_folder
from app.services.access.state_verify import verify_database
from app.services.evidence.package_import import import_package
from app.services.maintenance.backups import create_backup
from app.services.maintenance.restore import restore_backup
from tests import evidence_packages as unit
from tests.services.test_evidence_packages import exported
from tests.small_round import ROUND, build_small_round


@pytest.fixture
def year(db: Database, tmp_path: Path) -> Database:
    build_small_round(db, tmp_path, ["市民政局", "市教育局"])
    top = exported(db, tmp_path)
    unit.fill(top, {"1.1.1": (8, "已建立")})
    unit.put(top, "1.1.1", "通知.pdf", unit.pdf("通知"))
    unit.put(top, "2.1.1", "照片.png", unit.PNG)
    assert import_package(db, ROUND, top).applied
    return db


def problems(db: Database) -> list[str]:
    verification = verify_database(db, evidence=True)
    assert verification.evidence is not None
    return [p.message for p in verification.evidence.problems]


@pytest.mark.sqlite_only
def test_a_file_changed_or_removed_on_disk_is_caught(year: Database) -> None:
    assert problems(year) == []
    store = content_store(year)
    assert isinstance(store, FolderStore) and year.path is not None
    assert store.root == evidence_folder(year.path)  # year.evidence beside year.db
    stored = store.path_of(unit.sha256(unit.pdf("通知")))
    content = stored.read_bytes()
    stored.write_bytes(content[:-1] + b"X")  # one byte changed: same size, other content
    (found,) = problems(year)
    assert "通知.pdf" in found and "市民政局 指标 1.1.1" in found and "SHA-256 不符" in found
    stored.unlink()
    (found,) = problems(year)
    assert "内容缺失" in found
    assert not verify_database(year, evidence=True).ok


def test_content_changed_in_the_database_is_caught(year: Database) -> None:
    if year.engine.dialect.name != "postgresql":
        pytest.skip("a local file keeps its evidence beside the database, not in it")
    with year.engine.begin() as connection:
        connection.execute(text("UPDATE evidence_chunks SET data = :d"), {"d": b"%PDF-forged"})
    found = problems(year)
    assert len(found) == 2 and all("被改动" in f for f in found)


def test_an_attachment_removed_outside_the_program_is_caught_by_the_seal(year: Database) -> None:
    with year.engine.begin() as connection:
        connection.execute(text("DELETE FROM evidence_attachments WHERE name = '照片.png'"))
    verification = verify_database(year)
    assert verification.state is not None and not verification.state.ok
    assert any("照片.png" in d.message for d in verification.state.differences)


@pytest.mark.sqlite_only
def test_backups_carry_evidence_once_and_a_restore_brings_it_back(
    year: Database, tmp_path: Path
) -> None:
    first = create_backup(year, "测试")
    kept = first.parent / "evidence"
    assert sorted(p.name for p in kept.rglob("*") if p.is_file()) == sorted(
        [unit.sha256(unit.pdf("通知")), unit.sha256(unit.PNG)]
    )
    stamp = {p: p.stat().st_mtime_ns for p in kept.rglob("*") if p.is_file()}
    create_backup(year, "测试")  # incremental: nothing copied again
    assert {p: p.stat().st_mtime_ns for p in kept.rglob("*") if p.is_file()} == stamp

    assert year.path is not None
    live = FolderStore(evidence_folder(year.path))
    lost = live.path_of(unit.sha256(unit.PNG))
    lost.unlink()  # the store loses a file (a disk, a careless clean-up)
    live.path_of(unit.sha256(unit.pdf("通知"))).write_bytes(b"%PDF-damaged")
    restore_backup(year, first, "材料丢失后恢复")
    assert lost.read_bytes() == unit.PNG
    assert verify_database(year, evidence=True).ok


@pytest.mark.sqlite_only
def test_a_restore_without_the_evidence_it_names_is_refused(year: Database) -> None:
    backup = create_backup(year, "测试")
    assert year.path is not None
    for path in (backup.parent / "evidence").rglob("*"):
        if path.is_file():
            path.unlink()
    FolderStore(evidence_folder(year.path)).path_of(unit.sha256(unit.PNG)).unlink()
    with pytest.raises(UserError, match="找不到完好的内容"):
        restore_backup(year, backup, "测试")
    with year.reading() as session:
        assert len(session.scalars(select(EvidenceFile)).all()) == 2  # data unchanged
