"""Objections and ledger progress reports carry files in the evidence store: checked like a
package's files (a renamed program refuses the whole write), kept once by SHA-256, logged; and
where the office says so, 销号 needs 整改佐证."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.models import ChangeLog
from app.models.database import Database
from app.models.review import Objection
from app.services.access.state_verify import verify_database
from app.services.ledger import problem_registration, problem_status
from app.services.ledger.problems import history
from app.services.ledger.rectification_files import problem_files, set_evidence_required
from app.services.review.objection_attachments import attach_to_objection, objection_files
from app.services.review.objections import add_objection
from tests import evidence_packages as unit
from tests.small_round import ROUND, build_small_round


@pytest.fixture
def year(db: Database, tmp_path: Path) -> Database:
    build_small_round(db, tmp_path, ["市民政局"])
    return db


def files(tmp_path: Path, **named: bytes) -> list[Path]:
    paths = []
    for name, content in named.items():
        path = tmp_path / name.replace("_", ".")
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_an_objection_carries_its_files(year: Database, tmp_path: Path) -> None:
    proof = files(tmp_path, 情况说明_pdf=unit.pdf("说明"), 现场照片_png=unit.PNG)
    number = add_objection(year, ROUND, "市民政局", "1.1.1", "制度已更新", files=proof).value
    listed = objection_files(year, number)
    assert [(f.name, f.sha256) for f in listed] == [
        ("情况说明.pdf", unit.sha256(unit.pdf("说明"))),
        ("现场照片.png", unit.sha256(unit.PNG)),
    ]
    with year.reading() as session:
        logged = session.scalars(select(ChangeLog.entity_key).where(ChangeLog.entity == "申辩材料"))
        assert sorted(logged) == [f"申辩#{number}/情况说明.pdf", f"申辩#{number}/现场照片.png"]
    more = files(tmp_path, 补充_pdf=unit.pdf("补充"))
    attach_to_objection(year, number, more)
    assert len(objection_files(year, number)) == 3
    with pytest.raises(UserError, match="同名"):
        attach_to_objection(year, number, more)
    assert verify_database(year, evidence=True).ok


def test_a_program_among_the_files_refuses_the_objection_whole(
    year: Database, tmp_path: Path
) -> None:
    proof = files(tmp_path, 说明_pdf=unit.pdf("a"), 通知_pdf=unit.EXE)
    with pytest.raises(UserError, match=r"通知\.pdf"):
        add_objection(year, ROUND, "市民政局", "1.1.1", "理由", files=proof)
    with year.reading() as session:
        assert session.scalars(select(Objection)).all() == []


def test_closing_a_problem_may_require_rectification_evidence(
    year: Database, tmp_path: Path
) -> None:
    number = problem_registration.add_problem(year, "市民政局", "法治督察", "制度未更新").value
    problem_status.report_progress(year, number, "已修订", done=True)
    set_evidence_required(year, True)
    with pytest.raises(UserError, match="尚无整改佐证"):
        problem_status.verify(year, number, True, "通过")
    problem_status.verify(year, number, False, "请附修订后的制度")

    proof = files(tmp_path, 修订后的制度_pdf=unit.pdf("制度"))
    problem_status.report_progress(year, number, "已修订并印发", done=True, files=proof)
    problem_status.verify(year, number, True, "通过")
    events = history(year, number)
    attached = problem_files(year, number)
    (report,) = [e for e in events if e.id in attached]
    assert report.evidence == "修订后的制度.pdf"
    assert [f.name for f in attached[report.id]] == ["修订后的制度.pdf"]

    problem_status.look_back(year, number, "回头看")  # re-opened: the old evidence does not count
    with pytest.raises(UserError, match="尚无整改佐证"):
        problem_status.verify(year, number, True, "通过")
    set_evidence_required(year, False)
    problem_status.verify(year, number, True, "通过")
