"""The state is sealed at every commit and checked against the change log (issue 15 §1): a row
changed behind the program's back with sqlite3 is reported by name, normal use never is."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models import ChangeLog, Notice, StateSeal
from app.models.accounts import ROLE_ADMIN, ROLE_VIEWER
from app.models.database import Database
from app.models.opening import open_database
from app.models.review import STAGE_INITIAL
from app.models.schema_version import newest_revision
from app.services.access import accounts, state_seal, state_tables
from app.services.access.audit import list_changes, log_change, record_hash, verify_chain
from app.services.access.permissions import Forbidden
from app.services.access.state_verify import (
    StateReport,
    reseal_state,
    verify_database,
    verify_file,
    verify_state,
)
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes, load_grid
from app.services.entry.satisfaction_exemptions import exempt_unit
from app.services.entry.scores import import_satisfaction, import_scores
from app.services.review.objections import add_objection, review_objection
from app.services.review.publication_gate import TAMPERED, check_round
from app.services.rounds.definition import find_round
from app.services.rounds.stages import take_stage
from tests.cells import by_ids
from tests.later_tables import LATER_TABLES
from tests.publishing import publish_now
from tests.workbooks import write_sheet

UNIT = "云州市民政局"


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Iterator[Database]:
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def behind_the_back(db: Database, *statements: str, params: tuple = ()) -> None:
    """What someone with the file and sqlite3 does: no program, no log, triggers dropped."""
    assert db.path is not None
    db.dispose()
    with sqlite3.connect(db.path) as connection:
        for statement in statements:
            connection.execute(statement, params if "?" in statement else ())
    connection.close()


def one(rows: list, **named: str) -> object:
    found = [r for r in rows if all(getattr(r, k) == v for k, v in named.items())]
    assert len(found) == 1, (named, [r.message for r in rows])
    return found[0]


def first_deduction(db: Database) -> tuple[int, str, str, str, str]:
    """A score entry with a deduction: id, unit, leaf, assessor, value."""
    with db.reading() as session:
        row = (
            session.connection()
            .exec_driver_sql(
                "SELECT e.id, u.name, n.code, a.name, e.deduction FROM score_entries e "
                "JOIN units u ON u.id = e.unit_id JOIN round_nodes n ON n.id = e.node_id "
                "JOIN assessors a ON a.id = e.assessor_id WHERE e.deduction NOT IN ('0') "
                "AND u.name = ? ORDER BY e.id LIMIT 1",
                (UNIT,),
            )
            .one()
        )
    return tuple(row)  # type: ignore[return-value]


def test_the_demo_is_logged_cell_by_cell_and_verifies(demo: Database) -> None:
    changes = list_changes(demo)
    with demo.reading() as session:
        connection = session.connection()
        entries = connection.exec_driver_sql("SELECT count(*) FROM score_entries").scalar_one()
        cells = connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT DISTINCT unit_id, node_id, assessor_id "
            "FROM score_entries)"
        ).scalar_one()
        head = session.scalar(select(ChangeLog).order_by(ChangeLog.id.desc()).limit(1))
        digest = state_seal.whole_digest(connection)
    scored = [c for c in changes if c.entity == "评分"]
    assert len(scored) == cells == entries  # one record per cell, no summary record
    assert all(c.source == "演示数据" and c.key.count("/") >= 2 for c in scored)
    assert len([c for c in changes if c.entity == "满意度"]) == 80
    assert head is not None and head.state_digest == digest
    verification = verify_database(demo)
    assert verification.ok, verification.state and verification.state.summary()
    assert verification.state is not None and verification.state.rows > entries


def test_an_edited_score_is_named_with_the_logged_and_the_stored_value(demo: Database) -> None:
    entry, unit, leaf, assessor, value = first_deduction(demo)
    behind_the_back(demo, f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}")
    report = verify_state(demo)
    assert not report.ok and not report.problems  # the seals still match the chain
    found = one(report.differences, kind="评分", leaf=leaf, assessor=assessor)
    assert found.unit == unit and found.round == DEMO_ROUND
    assert f"扣分 {Decimal(value).normalize():f}" in found.logged
    assert found.stored.startswith("扣分 0")
    assert unit in found.message and leaf in found.message and assessor in found.message


def test_a_deleted_and_an_added_score_row_are_named(demo: Database) -> None:
    entry, unit, leaf, assessor, _ = first_deduction(demo)
    behind_the_back(
        demo,
        "INSERT INTO score_entries (round_id, unit_id, node_id, assessor_id, deduction, "
        "not_applicable, veto, reason, entered_by, entered_at) SELECT round_id, unit_id, node_id, "
        "assessor_id, '2', 0, 0, '补扣', 'x', entered_at FROM score_entries WHERE id = "
        f"{entry}",
        f"DELETE FROM score_entries WHERE id = {entry}",
    )
    found = one(verify_state(demo).differences, kind="评分", leaf=leaf, assessor=assessor)
    assert found.stored == "扣分 2 理由 补扣" and found.unit == unit


SATISFACTION = (
    f"UPDATE satisfaction_results SET score = '99.5' WHERE unit_id = "
    f"(SELECT id FROM units WHERE name = '{UNIT}')"
)


@pytest.mark.parametrize(
    ("statement", "kind", "named", "field", "stored"),
    [
        (SATISFACTION, "满意度", {"unit": UNIT}, "满意度得分", "99.5"),
        (
            "INSERT INTO satisfaction_exemptions (round_id, unit_id, reason, created_by, "
            f"created_at) SELECT 1, id, '免了', 'x', '2026-01-01' FROM units WHERE name = '{UNIT}'",
            "满意度",
            {"unit": UNIT},
            None,
            None,
        ),
        ("UPDATE rounds SET status = '已发布'", "批次", {"round": DEMO_ROUND}, "状态", "已发布"),
        ("UPDATE rounds SET bottom_n = 0", "批次", {"round": DEMO_ROUND}, "末位名额", "0"),
        (
            "UPDATE round_nodes SET points = '99' WHERE code = '1.1.1'",
            "批次",
            {"leaf": "1.1.1"},
            "分值",
            "99",
        ),
        (
            "UPDATE problems SET status = '已销号' WHERE number = "
            "(SELECT min(number) FROM problems WHERE status = '待整改')",
            "台账",
            {},
            "状态",
            "已销号",
        ),
    ],
    ids=["satisfaction", "exemption", "status", "bottom_n", "node_points", "problem_status"],
)
def test_each_kind_edited_behind_the_back_is_named(
    demo: Database, statement: str, kind: str, named: dict, field: str | None, stored: str | None
) -> None:
    behind_the_back(demo, statement)
    report = verify_state(demo)
    assert not report.ok
    found = [d for d in report.differences if d.kind == kind and d.field == field]
    found = [d for d in found if all(getattr(d, k) == v for k, v in named.items())]
    assert len(found) == 1, [d.message for d in report.differences]
    if stored is not None:
        assert found[0].stored == stored and found[0].logged not in (None, stored)
    if kind == "台账":
        assert found[0].item and found[0].item.startswith("问题 ")
    assert kind in found[0].message


def test_a_stage_score_an_objection_decision_and_a_notice_are_named(demo: Database) -> None:
    with demo.transaction() as session:
        take_stage(session, find_round(session, DEMO_ROUND), STAGE_INITIAL)
    leaf = next(leaf.code for leaf in load_grid(demo, DEMO_ROUND).leaves if leaf.method == "扣分")
    number = add_objection(demo, DEMO_ROUND, UNIT, leaf, "扣分依据不足").value
    review_objection(demo, DEMO_ROUND, number, accept=False, reason="依据充分")
    with demo.transaction() as session:
        session.add(
            Notice(
                kind="整改通知书",
                year=2026,
                serial=1,
                number="云法办〔2026〕1号",
                unit_id=1,
                title="关于整改的通知",
                issued_on=date(2026, 1, 5),
                pdf_sha256="0" * 64,
                pdf_name="1.pdf",
                content=[],
                issued_by="李",
            )
        )
        log_change(session, entity="文书", key="云法办〔2026〕1号", action="印发", old=None, new=1)
    assert verify_state(demo).ok
    behind_the_back(
        demo,
        "UPDATE stage_scores SET final = '100' WHERE stage = '初评' AND unit_id = "
        f"(SELECT id FROM units WHERE name = '{UNIT}')",
        f"UPDATE objections SET status = '已采纳', new_score = '5', decision = '改了' "
        f"WHERE id = {number}",
        "UPDATE notices SET status = '已撤回', withdraw_reason = '悄悄撤回'",
    )
    differences = verify_state(demo).differences
    stage = one(differences, kind="阶段得分", field="最终得分")
    assert stage.unit == UNIT and stage.stored == "100" and "阶段 初评" in (stage.item or "")
    decision = one(differences, kind="申辩", field="复核意见")
    assert (decision.logged, decision.stored, decision.unit) == ("依据充分", "改了", UNIT)
    assert decision.leaf == leaf and decision.item == f"申辩 {number}"
    assert one(differences, kind="申辩", field="状态").stored == "已采纳"
    notice = one(differences, kind="文书", field="状态")
    assert notice.item == "文号 云法办〔2026〕1号" and notice.stored == "已撤回"


@pytest.mark.sqlite_only  # edits the file with sqlite3
def test_an_account_made_administrator_is_named(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "zhao", "pass-zhao", ROLE_VIEWER)
    behind_the_back(db, "UPDATE accounts SET role = '管理员' WHERE username = 'zhao'")
    found = one(verify_state(db).differences, kind="账户", field="角色")
    assert (found.item, found.logged, found.stored) == ("账户 zhao", ROLE_VIEWER, ROLE_ADMIN)
    behind_the_back(db, "UPDATE accounts SET password_hash = 'scrypt$forged' WHERE id = 1")
    password = one(verify_state(db).differences, kind="账户", field="密码")
    assert password.item == "账户 admin" and "forged" not in password.message


def test_failed_sign_ins_seal_nothing_new_and_log_nothing(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    before = len(list_changes(db))
    for _ in range(3):  # the counter moves; it is not part of the sealed state
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(db, "admin", "wrong-password")
    accounts.sign_in(db, "admin", "s3cret-pw")
    assert len(list_changes(db)) == before
    assert verify_database(db).ok


def test_normal_use_leaves_the_state_verified(demo: Database, tmp_path: Path) -> None:
    grid = load_grid(demo, DEMO_ROUND)
    leaf = next(leaf for leaf in grid.leaves if leaf.method == "扣分")
    scorer = next(a for a in grid.panel if leaf.id in grid.assignments.get(a.id, {}))
    assessor = scorer.name
    units = [u.name for u in grid.units if grid.own_units.get(scorer.id) != u.id][:3]
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(
            demo,
            DEMO_ROUND,
            *[
                NamedChange(u, leaf.code, assessor, CellValue(deduction=Decimal("0.5")))
                for u in units
            ],
        ),
    )
    apply_changes(
        demo, DEMO_ROUND, by_ids(demo, DEMO_ROUND, NamedChange(units[0], leaf.code, assessor, None))
    )
    yes_no = next(leaf for leaf in grid.leaves if leaf.method == "是否")
    answering = next(a for a in grid.panel if yes_no.id in grid.assignments.get(a.id, {}))
    who = answering.name
    unit = next(u.name for u in grid.units if grid.own_units.get(answering.id) != u.id)
    apply_changes(
        demo,
        DEMO_ROUND,
        by_ids(demo, DEMO_ROUND, NamedChange(unit, yes_no.code, who, CellValue(answer=False))),
    )
    scores = write_sheet(
        tmp_path / "scores.xlsx",
        ["单位名称", "指标编码", "扣分", "扣分理由", "评分人"],
        [[units[1], leaf.code, 1, "抽查", assessor], [units[1], leaf.code, 0.5, "复查", assessor]],
    )
    import_scores(demo, scores, DEMO_ROUND)
    satisfaction = write_sheet(
        tmp_path / "sat.xlsx", ("单位名称", "满意度得分"), [(UNIT, 91.5), (units[2], 80)]
    )
    import_satisfaction(demo, satisfaction, DEMO_ROUND)
    exempt_unit(demo, DEMO_ROUND, units[2], "改由履职评议")
    verification = verify_database(demo)
    assert verification.ok, verification.state and verification.state.summary()
    publish_now(demo, DEMO_ROUND)  # every status step, the gate overridden and logged
    verification = verify_database(demo)
    assert verification.ok, verification.state and verification.state.summary()


def test_a_later_write_never_launders_an_edit_made_outside(demo: Database) -> None:
    entry, unit, leaf, _assessor, _ = first_deduction(demo)
    behind_the_back(demo, f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}")
    grid = load_grid(demo, DEMO_ROUND)
    unit_id = next(u.id for u in grid.units if u.name == unit)
    other = next(
        c
        for c in grid.leaves
        if c.method == "扣分"
        and c.code != leaf
        and grid.applies(c, next(u for u in grid.units if u.name == unit))
    )
    who = next(
        a.name
        for a in grid.panel
        if grid.own_units.get(a.id) != unit_id and other.id in grid.assignments.get(a.id, {})
    )
    apply_changes(  # a legitimate edit of the same unit: its group is written again
        demo,
        DEMO_ROUND,
        by_ids(
            demo, DEMO_ROUND, NamedChange(unit, other.code, who, CellValue(deduction=Decimal(1)))
        ),
    )
    report = verify_state(demo)
    assert [d.leaf for d in report.differences] == [leaf]  # only the edit made outside
    assert not report.problems


def test_edited_seals_no_longer_match_the_chain(demo: Database) -> None:
    """A careful editor changes a score and reseals its group too: the seals then no longer
    match the digest the chain's last record carries, and the cell is still named."""
    entry, unit, leaf, assessor, _ = first_deduction(demo)
    behind_the_back(demo, f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}")
    with demo.reading() as session:
        connection = session.connection()
        unit_id, assessor_id = connection.exec_driver_sql(
            f"SELECT unit_id, assessor_id FROM score_entries WHERE id = {entry}"
        ).one()
        group = f"评分/1/{unit_id}/{assessor_id}"
        digest = state_seal.digest_of(state_seal.read_lines(connection, state_tables.SCORES)[group])
    behind_the_back(
        demo, "UPDATE state_seals SET digest = ? WHERE group_key = ?", params=(digest[0], group)
    )
    report = verify_state(demo)
    assert any("封存记录与变更记录链不符" in p for p in report.problems)
    found = one(report.differences, kind="评分", leaf=leaf, assessor=assessor)
    assert found.unit == unit  # named from the change log all the same


def test_an_unlogged_write_is_sealed_with_a_record_of_its_own(demo: Database) -> None:
    with demo.transaction() as session:
        take_stage(session, find_round(session, DEMO_ROUND), STAGE_INITIAL)
    last = list_changes(demo)[-1]
    assert (last.entity, last.action) == ("状态", "封存")
    assert last.new == {"数据组": ["阶段得分/1"]}
    assert verify_database(demo).ok


def test_records_are_chained_at_commit_the_last_carrying_the_digest(db: Database) -> None:
    with db.transaction() as session:
        first = log_change(session, entity="测试", key="a", action="新增", old=None, new=1)
        second = log_change(session, entity="测试", key="b", action="新增", old=None, new=2)
        assert first.id is None and first.hash == ""  # queued, not written yet
    with db.reading() as session:
        records = list(session.scalars(select(ChangeLog).order_by(ChangeLog.id)))
        digest = state_seal.whole_digest(session.connection())
    assert [r.entity_key for r in records] == ["a", "b"]
    assert records[0].state_digest is None and records[1].state_digest == digest
    assert records[1].prev_hash == records[0].hash and second.hash == records[1].hash
    assert verify_chain(db).first_broken is None
    with pytest.raises(RuntimeError), db.transaction() as session:  # a failed one writes none
        log_change(session, entity="测试", key="c", action="新增", old=None, new=3)
        raise RuntimeError
    assert len(list_changes(db)) == 2


def test_records_without_a_digest_hash_as_before(db: Database) -> None:
    """The hash of a record written before 0011 is the one the old code gave it, so every
    existing chain still verifies."""
    record = ChangeLog(
        at=datetime(2026, 3, 1, 8, 30, 0, 123456),
        user="李",
        round_id=1,
        entity="评分",
        entity_key="云州市司法局/1.1.1/第一考核组",
        action="修改",
        old={"扣分": "0.5"},
        new={"扣分": "1"},
        reason="",
        source="评分录入",
        prev_hash="0" * 64,
    )
    content = [
        "2026-03-01T08:30:00.123456",
        "李",
        1,
        "评分",
        "云州市司法局/1.1.1/第一考核组",
        "修改",
        {"扣分": "0.5"},
        {"扣分": "1"},
        "",
        "评分录入",
        "0" * 64,
    ]
    old_code = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert record_hash(record) == hashlib.sha256(old_code.encode("utf-8")).hexdigest()
    record.state_digest = "a" * 64
    assert record_hash(record) != hashlib.sha256(old_code.encode("utf-8")).hexdigest()


def test_an_administrator_reseals_with_a_reason_and_it_is_logged(demo: Database) -> None:
    entry, _unit, leaf, assessor, _ = first_deduction(demo)
    behind_the_back(demo, f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}")
    with pytest.raises(UserError, match="理由"):
        reseal_state(demo, " ")
    accepted = reseal_state(demo, "核实为经批准的更正")
    assert [d.leaf for d in accepted.differences] == [leaf]
    last = list_changes(demo)[-1]
    assert (last.action, last.reason) == ("确认并重新封存", "核实为经批准的更正")
    assert last.old["不一致"][0]["assessor"] == assessor
    assert verify_database(demo).ok


def test_only_an_administrator_may_reseal(db: Database) -> None:
    accounts.create_account(db, "admin", "s3cret-pw", ROLE_ADMIN)
    accounts.create_account(db, "zhao", "pass-zhao", ROLE_VIEWER)
    from app.services.access.actor import acting_as

    with acting_as(accounts.sign_in(db, "zhao", "pass-zhao")), pytest.raises(Forbidden):
        reseal_state(db, "想改")


def test_publication_is_blocked_by_tampered_data_one_item_per_difference(
    demo: Database,
) -> None:
    entry, unit, leaf, assessor, _ = first_deduction(demo)
    behind_the_back(
        demo,
        f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}",
        "UPDATE rounds SET bottom_n = 0",
    )
    report = check_round(demo, DEMO_ROUND)
    tampered = [item for item in report.blocking if item.kind == TAMPERED]
    assert len(tampered) == 2
    cell = next(item for item in tampered if item.leaf == leaf)
    assert (cell.unit, cell.assessor) == (unit, assessor)
    assert any("末位名额" in item.message for item in tampered)


def test_a_file_is_verified_read_only_before_it_is_restored(demo: Database) -> None:
    path = demo.path
    assert path is not None
    demo.dispose()
    copy = path.with_name("copy.db")
    shutil.copy(path, copy)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    assert verify_file(copy).ok
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE rounds SET bottom_n = 0")
    connection.close()
    found = verify_file(copy)
    assert not found.ok and found.state is not None
    assert one(found.state.differences, kind="批次", field="末位名额")


def test_a_database_from_before_0011_is_sealed_when_upgraded(tmp_path: Path) -> None:
    from app.models.database import make_engine
    from app.models.migrate import upgrade_database

    path = tmp_path / "old.db"
    engine = make_engine(path)
    upgrade_database(engine, path, "0010")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "INSERT INTO units (id, name, sort_order, active) VALUES (1, '市司法局', 1, 1);"
            "INSERT INTO accounts (username, display_name, role, password_hash, "
            "failed_attempts, must_change_password, active, created_at) VALUES "
            "('admin', '', '管理员', 'scrypt$x', 0, 0, 1, '2026-01-01');"
        )
        previous = "0" * 64
        for number in range(3):  # records hashed by the code before 0011
            record = ChangeLog(
                at=datetime(2026, 1, 1, 9, number),
                user="李",
                round_id=None,
                entity="账户",
                entity_key="admin",
                action="新增",
                old=None,
                new={"n": number},
                reason="",
                source="",
                prev_hash=previous,
            )
            previous = record_hash(record)
            connection.execute(
                "INSERT INTO change_log (at, user, round_id, entity, entity_key, action, old, "
                "new, reason, source, prev_hash, hash) VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, '', "
                "'', ?, ?)",
                (
                    record.at.isoformat(sep=" ", timespec="microseconds"),
                    "李",
                    "账户",
                    "admin",
                    "新增",
                    json.dumps({"n": number}),
                    record.prev_hash,
                    previous,
                ),
            )
    connection.close()
    db = open_database(path)
    try:
        verification = verify_database(db)
        assert verification.ok, verification.state and verification.state.summary()
        assert verification.chain.records == 4
        last = list_changes(db)[-1]
        assert (last.entity, last.action, last.new["版本"]) == ("数据库", "迁移", newest_revision())
        with db.reading() as session:
            seals = set(session.scalars(select(StateSeal.group_key)))
        assert seals == {"账户"}
        behind_the_back(db, "UPDATE accounts SET role = '查看'")
        assert not verify_state(db).ok
    finally:
        db.dispose()


def test_one_rounds_check_reads_that_round_and_the_accounts(demo: Database) -> None:
    report: StateReport = verify_state(demo, round_id=1)
    everything = verify_state(demo)
    assert report.ok and report.groups < everything.groups


def test_a_report_prints_a_check_code_only_over_verified_data(
    small_copy: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """On a small round (the demo's 通报 workbook alone took 5 s to write)."""
    from openpyxl import load_workbook

    from app.services.access.state_verify import StateDiffers
    from app.services.publishing.reports import write_report
    from tests.small_round import ROUND

    db = open_database(small_copy)
    request.addfinalizer(db.dispose)
    (written,) = write_report(db, ROUND, xlsx=tmp_path / "通报.xlsx")
    with db.reading() as session:
        head = session.scalar(select(ChangeLog).order_by(ChangeLog.id.desc()).limit(1))
        digest = state_seal.whole_digest(session.connection())
    assert head is not None and head.state_digest == digest  # the code anchors the state
    footer = load_workbook(written).active.oddFooter.left.text
    assert head.hash[:12] in footer
    behind_the_back(db, "UPDATE rounds SET bottom_n = bottom_n + 1")
    with pytest.raises(StateDiffers, match="末位名额"):
        write_report(db, ROUND, xlsx=tmp_path / "通报2.xlsx")
    assert not (tmp_path / "通报2.xlsx").exists()


def test_a_bulk_statement_after_a_write_does_not_mistake_the_write_for_tampering(
    demo: Database,
) -> None:
    """A statement on a whole table compares every group with its seal before it runs; a group
    this transaction already wrote was compared before that write and must not count."""
    from sqlalchemy import update

    from app.models import ScoreEntry

    with demo.transaction() as session:
        entry = session.scalar(select(ScoreEntry).order_by(ScoreEntry.id).limit(1))
        assert entry is not None
        entry.reason = "改了理由"
        session.flush()
        other = session.scalar(select(ScoreEntry.id).where(ScoreEntry.unit_id != entry.unit_id))
        session.execute(update(ScoreEntry).where(ScoreEntry.id == other).values(reason="批量"))
        log_change(session, entity="测试", key="bulk", action="修改", old=None, new=None)
    verification = verify_database(demo)
    assert verification.ok, verification.state and verification.state.summary()


def as_sealed_before_0013(db: Database) -> int:
    """Turn ``db`` into what the program before 0013 left: one score seal per unit, the chain's
    last record carrying the digest of those seals, the schema at 0012. Returns the seals."""
    with db.engine.begin() as connection:
        shares = state_seal.read_lines(connection, state_tables.SCORES)
        by_unit: dict[str, list[str]] = {}
        for key, lines in shares.items():
            by_unit.setdefault(key.rsplit("/", 1)[0], []).extend(lines)
        old = [
            state_seal.Group(key, state_seal.digest_of(lines)[0], len(lines), None)
            for key, lines in by_unit.items()
        ]
        state_seal.write_seals(connection, old, list(shares))
        table = ChangeLog.__table__
        head = connection.execute(select(table.c.hash).order_by(table.c.id.desc())).first()[0]
        record = ChangeLog(
            at=datetime(2026, 11, 30, 9, 0),
            user="李",
            round_id=None,
            entity="状态",
            entity_key="评分",
            action="封存",
            old=None,
            new={"数据组": [g.key for g in old]},
            reason="",
            source="",
            prev_hash=head,
            state_digest=state_seal.whole_digest(connection),
        )
        record.hash = record_hash(record)
        connection.execute(
            table.insert(),
            {c.name: getattr(record, c.key) for c in table.columns if c.name != "id"},
        )
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0012'")
        for table in LATER_TABLES:  # what the migrations after 0013 add
            connection.exec_driver_sql(f"DROP TABLE {table}")
    db.dispose()
    return len(old)


def score_seals(db: Database) -> list[str]:
    with db.reading() as session:
        keys = session.scalars(select(StateSeal.group_key))
        return sorted(k for k in keys if k.startswith(state_tables.SCORES + "/"))


def test_a_file_sealed_per_unit_is_split_per_assessor_when_upgraded(demo: Database) -> None:
    units = as_sealed_before_0013(demo)
    assert verify_database(open_database(demo.path)).ok  # the old seals upgrade cleanly
    db = open_database(demo.path)
    try:
        keys = score_seals(db)
        assert keys and all(len(state_tables.key_parts(k)[1]) == 3 for k in keys)
        assert len({k.rsplit("/", 1)[0] for k in keys}) == units
        last = list_changes(db)[-1]
        assert (last.action, last.new["版本"]) == ("迁移", newest_revision())
        assert last.new["评分封存按评分人分组"] == units
        assert "与封存不符而保留原封存" not in last.new
        assert verify_database(db).ok
    finally:
        db.dispose()


def test_an_edit_made_outside_before_the_split_is_still_named_after_it(demo: Database) -> None:
    entry, unit, leaf, assessor, _ = first_deduction(demo)
    as_sealed_before_0013(demo)
    behind_the_back(demo, f"UPDATE score_entries SET deduction = '0' WHERE id = {entry}")
    db = open_database(demo.path)
    try:
        last = list_changes(db)[-1]
        kept = last.new["与封存不符而保留原封存"]
        assert len(kept) == 1 and kept[0] in score_seals(db)
        report = verify_state(db)
        assert not report.ok
        found = one(report.differences, kind="评分", leaf=leaf, assessor=assessor)
        assert found.unit == unit
    finally:
        db.dispose()
