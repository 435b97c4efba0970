"""The server enforces the roles by itself (issue 18): each person connects with plain SQL, as
they could with psql, and can do no more than the program lets them."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.server.conftest import Office

ROW = (
    "INSERT INTO score_entries (round_id, unit_id, node_id, assessor_id, deduction, "
    "not_applicable, veto, reason, entered_by, entered_at) "
    "VALUES (%s, %s, %s, %s, '0.5', false, false, '抽查发现问题', 'psql', now()) RETURNING id"
)


def insert(conn: psycopg.Connection, ids: dict[str, int], unit: str, leaf: str, who: str) -> int:
    row = conn.execute(ROW, (ids["round"], ids[unit], ids[leaf], ids[who])).fetchone()
    assert row is not None
    return int(row[0])


def refused(conn: psycopg.Connection, sql: str, params: tuple = ()) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql, params)


def test_a_viewer_writes_nothing_anywhere(office: Office) -> None:
    with office.connect(office.viewer) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        assert "score_entries" in tables and len(tables) > 20
        for table in tables:
            column = conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position LIMIT 1",
                (table,),
            ).fetchone()[0]
            assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone() is not None
            refused(conn, f'INSERT INTO "{table}" DEFAULT VALUES')
            refused(conn, f'UPDATE "{table}" SET "{column}" = "{column}"')
            if table == "state_seals":  # only the account seal, which a password change rewrites
                assert (
                    conn.execute("DELETE FROM state_seals WHERE group_key <> '账户'").rowcount == 0
                )
            else:
                refused(conn, f'DELETE FROM "{table}"')
            refused(conn, f'TRUNCATE "{table}"')
        refused(conn, "SELECT kaoping_login(%s, 'x-pass-word', '管理员', true)", (office.viewer,))
        # Their own password is theirs to change; nobody else's, and nothing else of theirs.
        assert own_password_changes(conn, office.viewer) == 1
        assert own_password_changes(conn, office.li) == 0
        refused(conn, "UPDATE accounts SET role = '管理员' WHERE username = %s", (office.viewer,))
        refused(conn, LOG_ROW, (office.li,))  # a record in someone else's name


LOG_ROW = (
    'INSERT INTO change_log (at, "user", entity, entity_key, action, reason, source, prev_hash, '
    "hash) VALUES (now(), %s, '账户', 'x', '修改', '', '', '', '')"
)


def program_write(office: Office, login: str, unit: str, assessor: str) -> None:
    """A cell written through the program as ``login``: logged and sealed as the window does."""
    from decimal import Decimal

    from app.models.opening import open_database
    from app.services.access import accounts
    from app.services.access.actor import acting_as
    from app.services.entry.cells import CellValue
    from app.services.entry.grid import NamedChange, apply_changes
    from tests.cells import by_ids
    from tests.server.conftest import PASSWORD, ROUND

    db = open_database(office.url_as(login))
    try:
        with acting_as(accounts.sign_in(db, login, PASSWORD)):
            value = CellValue(deduction=Decimal("1.5"), reason="台账不全")
            apply_changes(db, ROUND, by_ids(db, ROUND, NamedChange(unit, "1.1.1", assessor, value)))
    finally:
        db.dispose()


def own_password_changes(conn: psycopg.Connection, login: str) -> int:
    return conn.execute(
        "UPDATE accounts SET must_change_password = false WHERE username = %s", (login,)
    ).rowcount


def test_an_assessor_reads_only_their_own_scores_until_the_round_is_published(
    office: Office,
) -> None:
    ids = office.ids()
    with office.connect(office.wang) as wang:
        theirs = insert(wang, ids, "archive", "leaf", "yi")
    with office.connect(office.li) as li:
        mine = insert(li, ids, "police", "leaf", "jia")
        seen = {r[0] for r in li.execute("SELECT id FROM score_entries")}
        assert mine in seen and theirs not in seen
        assert li.execute(
            "SELECT count(*) FROM score_entries WHERE assessor_id <> %s", (ids["jia"],)
        ).fetchone() == (0,)
        refused(li, LOG_ROW, (office.wang,))  # nor can they log in another's name
    with office.connect(office.staff) as staff:  # the office reads every row
        assert {mine, theirs} <= {r[0] for r in staff.execute("SELECT id FROM score_entries")}
        logged = staff.execute("SELECT count(*) FROM change_log").fetchone()[0]
    program_write(office, office.wang, "市档案馆", "乙组")  # logged with 乙组's values
    with office.connect(office.li) as li:  # the log names every cell's value: not theirs
        keys = [r[0] for r in li.execute("SELECT entity_key FROM change_log")]
        users = {r[0] for r in li.execute('SELECT DISTINCT "user" FROM change_log')}
        assert users <= {office.li} and not any("乙组" in k for k in keys)
        head = li.execute("SELECT kaoping_chain_head()").fetchone()[0]
    with office.connect(office.staff) as staff:
        assert staff.execute("SELECT count(*) FROM change_log").fetchone()[0] > logged
        last = staff.execute("SELECT hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
        assert last == (head,)  # the head's hash, for chaining, and nothing else of it
    with office.db.engine.begin() as owner:
        owner.exec_driver_sql("UPDATE rounds SET status = '已发布'")
    every = "SELECT id FROM score_entries"
    with office.connect(office.staff) as staff:
        rows = {r[0] for r in staff.execute(every)}
    with office.connect(office.li) as li:  # the published results are everyone's to read
        assert {r[0] for r in li.execute(every)} == rows and len(rows) == 2


def test_an_assessor_writes_only_own_assigned_cells_while_scoring(office: Office) -> None:
    ids = office.ids()
    with office.connect(office.wang) as wang:
        theirs = insert(wang, ids, "archive", "leaf", "yi")
    with office.connect(office.li) as li:
        mine = insert(li, ids, "police", "leaf", "jia")
        changed = li.execute("UPDATE score_entries SET deduction = '1' WHERE id = %s", (mine,))
        assert changed.rowcount == 1
        refused(li, ROW, (ids["round"], ids["police"], ids["leaf"], ids["yi"]))  # 乙组's name
        refused(li, ROW, (ids["round"], ids["archive"], ids["leaf"], ids["jia"]))  # unit not mine
        refused(li, ROW, (ids["round"], ids["police"], ids["other_leaf"], ids["jia"]))  # leaf
        # Another assessor's row is out of reach: nothing matched, nothing changed.
        assert (
            li.execute("UPDATE score_entries SET deduction = '9' WHERE id = %s", (theirs,)).rowcount
            == 0
        )
        assert li.execute("DELETE FROM score_entries WHERE id = %s", (theirs,)).rowcount == 0
        # Nor can one's own row be moved onto someone else's cell.
        refused(li, "UPDATE score_entries SET unit_id = %s WHERE id = %s", (ids["archive"], mine))
        refused(li, "UPDATE accounts SET role = '管理员' WHERE username = %s", (office.li,))
        refused(li, "SELECT kaoping_login(%s, 'x-pass-word', '管理员', true)", (office.li,))
    with office.db.engine.begin() as owner:
        owner.exec_driver_sql("UPDATE rounds SET status = '审核中'")
    with office.connect(office.li) as li:
        refused(li, ROW, (ids["round"], ids["police"], ids["leaf"], ids["jia"]))
        assert (
            li.execute("UPDATE score_entries SET deduction = '2' WHERE id = %s", (mine,)).rowcount
            == 0
        )
        value = li.execute("SELECT deduction FROM score_entries WHERE id = %s", (mine,)).fetchone()
        assert value == ("1",)


def test_nobody_changes_the_change_log(office: Office) -> None:
    for login in (office.admin, office.staff, office.li, None):  # None: the owner, a superuser
        conn = (
            office.connect(login)
            if login
            else psycopg.connect(office.url.replace("+psycopg", ""), autocommit=True)
        )
        with conn:
            if login != office.li:  # an 评分人 reads only their own records (none yet)
                assert conn.execute("SELECT count(*) FROM change_log").fetchone()[0] > 0
            for sql in (
                "UPDATE change_log SET reason = 'x'",
                "DELETE FROM change_log",
                "TRUNCATE change_log",
            ):
                refused(conn, sql)


def test_a_published_round_is_frozen_for_every_role(office: Office) -> None:
    ids = office.ids()
    with office.connect(office.li) as li:
        mine = insert(li, ids, "police", "leaf", "jia")
    with office.db.engine.begin() as owner:
        owner.exec_driver_sql("UPDATE rounds SET status = '已发布'")
    owner_url = office.url.replace("+psycopg", "")
    for login in (office.admin, office.staff, office.li, None):
        conn = office.connect(login) if login else psycopg.connect(owner_url, autocommit=True)
        with conn:
            for sql in (
                "UPDATE score_entries SET deduction = '3' WHERE id = %s",
                "DELETE FROM score_entries WHERE id = %s",
            ):
                if login == office.li:  # row-level security hides the row first: nothing to do
                    assert conn.execute(sql, (mine,)).rowcount == 0
                else:
                    refused(conn, sql, (mine,))
            refused(conn, ROW, (ids["round"], ids["police"], ids["leaf"], ids["jia"]))
            if login != office.li:
                refused(conn, "DELETE FROM assignments")
                refused(conn, "UPDATE rounds SET name = 'x'")
    with office.db.engine.connect() as owner:
        value = owner.exec_driver_sql(f"SELECT deduction FROM score_entries WHERE id = {mine}")
        assert value.scalar_one() == "0.5"
    with office.connect(office.staff) as staff:  # only an administrator reopens
        refused(staff, "UPDATE rounds SET status = '公示中'")
    with office.connect(office.admin) as admin:
        assert admin.execute("UPDATE rounds SET status = '公示中'").rowcount == 1
        assert (
            admin.execute(
                "UPDATE score_entries SET deduction = '3' WHERE id = %s", (mine,)
            ).rowcount
            == 1
        )
