"""Issue 17: every 文号 once, whatever issued it. Seen: a 通报 number typed by hand that was
already on a notice was accepted."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.demo.build import DEMO_DOCUMENT_SETTINGS
from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.changes import Topic
from app.services.ledger import problem_registration
from app.services.publishing import reports
from app.services.publishing.notices import RECTIFICATION, SUPERVISION, issue_notices
from app.services.publishing.office_settings import load_document_settings, save_document_settings
from app.services.review.findings import round_findings
from tests.later_tables import LATER_TABLES
from tests.small_round import ROUND, build_small_round

ISSUED_ON = date(2026, 1, 31)
UNITS = ["云州市司法局", "云州市民政局", "云州市财政局"]


def small_office(path: Path, folder: Path) -> Database:
    """A small round of three units in the demo office (its 文号 prefixes): the numbers are
    the point, not the demo's 80 units (a 通报 refused over them took ~1.5 s each time)."""
    folder.mkdir(exist_ok=True)
    database = open_database(path)
    build_small_round(database, folder, UNITS)
    save_document_settings(database, DEMO_DOCUMENT_SETTINGS)
    return database


@pytest.fixture
def office(db_path: Path, tmp_path: Path) -> Iterator[Database]:
    database = small_office(db_path, tmp_path / "round")
    yield database
    database.dispose()


def first_unit(db: Database) -> str:
    return next(f.unit for f in round_findings(db, ROUND)[1] if f.findings)


def never_printed(*args: object) -> None:
    raise AssertionError("the 通报 was printed with a number another document has")


def test_a_report_number_already_on_a_notice_is_refused_naming_the_notice(
    office: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = first_unit(office)
    (notice,) = issue_notices(
        office, ROUND, RECTIFICATION, tmp_path, units=[unit], issued_on=ISSUED_ON
    )
    assert notice.number == "云法办〔2026〕1号"
    monkeypatch.setattr(reports, "write_documents", never_printed)
    pdf = tmp_path / "通报.pdf"
    for typed in (notice.number, " 云法办[2026]01号 ", "云法办（2026）第1号"):
        with pytest.raises(UserError) as refused:
            reports.write_report(office, ROUND, pdf, None, number=typed)
        message = str(refused.value)
        assert "已用于2026年1月31日印发的整改通知书《关于" in message and unit in message
        assert "通报" in message and not pdf.exists()


def test_the_command_line_refuses_a_report_number_in_use(
    run_cli: Callable[..., tuple[int, str, str]], db_path: Path, tmp_path: Path
) -> None:
    database = small_office(db_path, tmp_path / "round")
    try:
        (notice,) = issue_notices(
            database,
            ROUND,
            SUPERVISION,
            tmp_path,
            units=[first_unit(database)],
            issued_on=ISSUED_ON,
        )
    finally:
        database.dispose()
    code, _, err = run_cli(
        "report", "--round", ROUND, "--pdf", str(tmp_path / "通报.pdf"),
        "--number", notice.number, "--date", "2026-02-01",
    )  # fmt: skip
    assert code == 2 and f"文号“{notice.number}”已用于" in err and "督办函" in err


def test_numbering_steps_over_a_number_typed_for_the_report(
    office: Database, tmp_path: Path
) -> None:
    from app.services.publishing.document_numbers import claim_report_number
    from app.services.publishing.reminders import issue_reminder

    claimed = claim_report_number(office, ROUND, "云法办〔2026〕1号", ISSUED_ON)
    assert claimed.value == "云法办〔2026〕1号"
    assert claimed.changes.touches(Topic.NOTICES, Topic.CHANGE_LOG)
    again = claim_report_number(office, ROUND, "云法办〔2026〕1号", ISSUED_ON)
    assert not again.changes  # the same 通报 printed again keeps its number
    claim_report_number(office, ROUND, "云法办督〔2026〕1号", ISSUED_ON)

    (notice,) = issue_notices(
        office, ROUND, RECTIFICATION, tmp_path, units=[first_unit(office)], issued_on=ISSUED_ON
    )
    assert notice.number == "云法办〔2026〕2号"
    problem_registration.add_problem(
        office, "云州市民政局", "法治督察", "逾期未整改", result_due=date(2026, 6, 1)
    )
    sent = issue_reminder(office, "云州市民政局", tmp_path, today=date(2026, 6, 2))
    assert sent.number == "云法办督〔2026〕2号"
    with pytest.raises(UserError, match=r"已用于.*整改通知书"):
        claim_report_number(office, ROUND, notice.number)


def test_kinds_sharing_a_prefix_never_share_a_number(office: Database, tmp_path: Path) -> None:
    settings = load_document_settings(office)
    save_document_settings(
        office, replace(settings, supervision_prefix=settings.rectification_prefix)
    )
    unit = first_unit(office)
    (notice,) = issue_notices(
        office, ROUND, RECTIFICATION, tmp_path, units=[unit], issued_on=ISSUED_ON
    )
    (letter,) = issue_notices(
        office, ROUND, SUPERVISION, tmp_path, units=[unit], issued_on=ISSUED_ON
    )
    assert (notice.number, letter.number) == ("云法办〔2026〕1号", "云法办〔2026〕2号")


def test_the_database_keeps_a_number_to_one_document(office: Database, tmp_path: Path) -> None:
    issue_notices(
        office, ROUND, RECTIFICATION, tmp_path, units=[first_unit(office)], issued_on=ISSUED_ON
    )
    assert office.path is not None
    with sqlite3.connect(office.path) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(
                "INSERT INTO document_numbers (number, number_key, kind, year, title, issued_on,"
                " created_at) VALUES ('云法办〔2026〕1号', '云法办〔2026〕1号', '通报', 2026, 'x',"
                " '2026-02-01', '2026-02-01')"
            )
        with pytest.raises(sqlite3.DatabaseError, match="不能删除"):
            connection.execute("DELETE FROM document_numbers")


def test_an_older_file_registers_the_numbers_of_its_notices(tmp_path: Path) -> None:
    """A database from before the register: its notices' numbers are registered on upgrade."""
    path = tmp_path / "old.db"
    database = small_office(path, tmp_path / "round")
    issue_notices(
        database, ROUND, RECTIFICATION, tmp_path, units=[first_unit(database)],
        issued_on=ISSUED_ON,
    )  # fmt: skip
    database.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE document_numbers")
        for table in LATER_TABLES:  # and what the migrations after 0011 add
            connection.execute(f"DROP TABLE {table}")
        connection.execute("UPDATE alembic_version SET version_num = '0011'")
    connection.close()
    database = open_database(path)
    try:
        from app.services.publishing.document_numbers import claim_report_number

        with pytest.raises(UserError, match=r"已用于.*整改通知书"):
            claim_report_number(database, ROUND, "云法办〔2026〕1号")
    finally:
        database.dispose()
