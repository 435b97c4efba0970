"""The program keeps working under each person's own login on a server set up by `server init`,
for what their role may do (issue 18); accounts and logins stay in step; init twice changes
nothing; the command line sets up a new empty database."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import text

from app.__main__ import main
from app.models.accounts import ROLE_STAFF
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.services.access.state_verify import verify_database
from app.services.entry.cells import CellValue
from app.services.entry.grid import NamedChange, apply_changes, load_grid
from app.services.review.results import compute_round_results
from app.services.server.roles import Groups
from app.services.server.setup import init_server
from tests.cells import by_ids
from tests.postgres import drop_database
from tests.server.conftest import PASSWORD, ROUND, Office, drop_logins


def test_an_assessor_scores_and_a_viewer_reads_through_the_program(office: Office) -> None:
    as_li = open_database(office.url_as(office.li))
    try:
        li = accounts.sign_in(as_li, office.li, PASSWORD)
        value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
        with acting_as(li):
            cell = by_ids(as_li, ROUND, NamedChange("市公安局", "1.1.1", "甲组", value))
            apply_changes(as_li, ROUND, cell)
            assert load_grid(as_li, ROUND).values  # and the grid reads it back
    finally:
        as_li.dispose()
    as_viewer = open_database(office.url_as(office.viewer))
    try:
        viewer = accounts.sign_in(as_viewer, office.viewer, PASSWORD)
        with acting_as(viewer):
            results = compute_round_results(as_viewer, ROUND)
        police = next(u for u in results.result.units if u.unit == "市公安局")
        assert police.base < next(u for u in results.result.units if u.unit == "市财政局").base
        # The assessor's write sealed the state as it is: the chain and the state verify.
        assert verify_database(as_viewer).ok
    finally:
        as_viewer.dispose()


def _catalog(office: Office) -> list[object]:
    """What init makes, as the server's catalogue holds it."""
    queries = (
        "SELECT tablename, policyname, roles::text, qual, with_check FROM pg_policies "
        "ORDER BY 1, 2",
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
        "SELECT relname, relacl::text, relrowsecurity FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace ORDER BY 1",
        "SELECT proname, md5(prosrc), proacl::text FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        "SELECT g.rolname, u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member ORDER BY 1, 2",
        "SELECT count(*), max(hash) FROM change_log",
        "SELECT datacl::text FROM pg_database WHERE datname = current_database()",
    )
    with office.db.engine.connect() as c:
        return [c.execute(text(q)).all() for q in queries]


def test_init_twice_changes_nothing(office: Office) -> None:
    before = _catalog(office)
    asked = []
    again = init_server(office.url, office.admin, lambda: asked.append(1) or PASSWORD)
    assert again.created == [] and not asked  # no administrator made, no password asked
    assert _catalog(office) == before


def test_accounts_and_logins_stay_in_step(office: Office) -> None:
    groups = Groups.of(office.db.engine.url.database)

    def group_of(login: str) -> list[str]:
        with office.db.engine.connect() as c:
            return list(
                c.execute(
                    text(
                        "SELECT g.rolname FROM pg_auth_members m "
                        "JOIN pg_roles g ON g.oid = m.roleid "
                        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :n"
                    ),
                    {"n": login},
                ).scalars()
            )

    def secret(login: str) -> str:
        with office.db.engine.connect() as c:
            return c.execute(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": login}
            ).scalar_one()

    assert group_of(office.admin) == [groups.admin]
    assert group_of(office.li) == [groups.assessor]
    accounts.set_role(office.db, office.li, ROLE_STAFF)
    assert group_of(office.li) == [groups.staff]
    first = secret(office.viewer)
    assert first.startswith("SCRAM-SHA-256$")
    accounts.reset_password(office.db, office.viewer, "new-pass-word-2")
    assert secret(office.viewer) != first
    accounts.disable_account(office.db, office.viewer)
    assert group_of(office.viewer) == []
    with pytest.raises(psycopg.OperationalError, match="CONNECT"):
        office.connect(office.viewer)


def test_a_name_taken_on_the_server_is_refused_and_nothing_is_written(office: Office) -> None:
    owner = office.db.engine.url.username
    changes = len(_catalog(office)[5])
    with pytest.raises(Exception, match="不是考评系统的个人登录"):
        accounts.create_account(office.db, owner, PASSWORD, ROLE_STAFF)
    assert owner not in {a.username for a in accounts.list_accounts(office.db)}
    assert len(_catalog(office)[5]) == changes


def test_cli_sets_up_a_new_database(
    pg_server: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = "kaoping_cli_init"
    admin = f"{name}_root"
    maintenance = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with maintenance.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    maintenance.dispose()
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("KAOPING_ADMIN_PASSWORD", "12345678")
    try:
        assert main(["server", "init", "--url", url, "--admin", admin]) == 2
        assert "密码不能全是数字" in capsys.readouterr().err
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            assert conn.execute(tables).fetchone() == (0,)  # nothing was written
        monkeypatch.setenv("KAOPING_ADMIN_PASSWORD", PASSWORD)
        assert main(["server", "init", "--url", url, "--admin", admin]) == 0
        out = capsys.readouterr().out
        assert "数据表" in out and f"{name}_assessor" in out and f"管理员账户“{admin}”" in out
        assert PASSWORD not in out
        assert main(["server", "init", "--url", url, "--admin", admin]) == 0
        assert "没有任何更改" in capsys.readouterr().out
        with psycopg.connect(
            url.replace("+psycopg", "").replace(make_url(url).username or "", admin, 1),
            autocommit=True,
        ) as conn:
            assert conn.execute("SELECT current_user").fetchone() == (admin,)
    finally:
        drop_database(pg_server, name)
        drop_logins(pg_server, Groups.of(name), [admin])


def test_a_viewer_whose_password_was_reset_changes_it_on_the_server(office: Office) -> None:
    """Seen: a 查看 account reset by the administrator could never sign in again on a server
    (the change it must make was refused by the database)."""

    def secret() -> str:
        with office.db.engine.connect() as c:
            query = text("SELECT rolpassword FROM pg_authid WHERE rolname = :n")
            return c.execute(query, {"n": office.viewer}).scalar_one()

    accounts.reset_password(office.db, office.viewer, "reset-pass-word-3")
    as_viewer = open_database(office.url_as(office.viewer))
    try:
        viewer = accounts.sign_in(as_viewer, office.viewer, "reset-pass-word-3")
        assert viewer.must_change_password
        reset = secret()
        with acting_as(viewer):
            accounts.change_own_password(as_viewer, viewer, "reset-pass-word-3", "own-pass-word-4")
        again = accounts.sign_in(as_viewer, office.viewer, "own-pass-word-4")
        assert not again.must_change_password
        assert secret() != reset  # the database login follows
        assert verify_database(as_viewer).ok  # logged in the viewer's name and sealed
    finally:
        as_viewer.dispose()


def each_assessor_scores_their_cell(office: Office) -> None:
    """甲组 (李) and 乙组 (王) each write one cell through the program, signed in as themselves."""
    for login, assessor, unit in (
        (office.li, "甲组", "市公安局"),
        (office.wang, "乙组", "市档案馆"),
    ):
        db = open_database(office.url_as(login))
        try:
            with acting_as(accounts.sign_in(db, login, PASSWORD)):
                value = CellValue(deduction=Decimal("0.5"), reason="抽查发现问题")
                cell = NamedChange(unit, "1.1.1", assessor, value)
                apply_changes(db, ROUND, by_ids(db, ROUND, cell))
        finally:
            db.dispose()


def test_an_assessor_sees_only_their_own_cells_until_published(office: Office) -> None:
    """What the program shows an 评分人 on a server is what the database lets them read."""
    each_assessor_scores_their_cell(office)
    db = open_database(office.url_as(office.li))
    try:
        with acting_as(accounts.sign_in(db, office.li, PASSWORD)), db.reading() as session:
            assessors = set(
                session.execute(text("SELECT DISTINCT assessor_id FROM score_entries")).scalars()
            )
        assert len(assessors) == 1
        assert verify_database(office.db).ok  # each wrote and sealed only their own share
    finally:
        db.dispose()


def test_an_assessor_on_a_server_is_not_told_of_tampering_that_is_not_there(
    office: Office, qtbot
) -> None:
    """Seen: every 评分人 got "数据与变更记录不一致" at every start on a server — the check,
    made as them, could read only their own share. The office's accounts check the whole."""
    from app.services.access.state_verify import sees_whole_state
    from app.ui.main_window import MainWindow
    from app.ui.state_check import check_at_start

    each_assessor_scores_their_cell(office)
    db = open_database(office.url_as(office.li))
    try:
        with acting_as(accounts.sign_in(db, office.li, PASSWORD)):
            assert not sees_whole_state(db)
            window = MainWindow(db, "服务器")
            qtbot.addWidget(window)
            check_at_start(db, window)
            assert "考核办" in window.statusBar().currentMessage()
            qtbot.wait(300)
            assert not hasattr(window, "state_warning")
            window.close()
        assert sees_whole_state(office.db) and verify_database(office.db).ok
    finally:
        db.dispose()
