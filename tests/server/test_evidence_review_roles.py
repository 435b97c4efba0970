"""On a server an 评分人 reviews a unit's evidence (认可 / 退回补充) only on the cells assigned to
them, only while the round is 评分中 and only in their own name (issue 19) — held by the
server itself with plain SQL, and through the program, whose service says the same first."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from psycopg import errors

from app.errors import UserError
from app.models.opening import open_database
from app.services.access import accounts
from app.services.access.actor import acting_as
from app.services.access.state_verify import verify_database
from app.services.evidence.reviews import review_evidence
from tests.server.conftest import PASSWORD, ROUND, Office

ROW = (
    "INSERT INTO evidence_reviews (round_id, unit_id, node_id, status, missing, due, "
    "reviewed_by, reviewed_at) VALUES (%s, %s, %s, '退回补充', '缺会议记录', %s, %s, now()) "
    "RETURNING id"
)


def refused(conn: psycopg.Connection, sql: str, params: tuple = ()) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql, params)


def test_an_assessor_writes_reviews_only_on_own_assigned_cells_while_scoring(
    office: Office,
) -> None:
    ids = office.ids()
    due = date(2026, 3, 31)
    with office.connect(office.wang) as wang:
        theirs = wang.execute(
            ROW, (ids["round"], ids["archive"], ids["leaf"], due, office.wang)
        ).fetchone()[0]
    with office.connect(office.li) as li:
        mine = li.execute(
            ROW, (ids["round"], ids["police"], ids["leaf"], due, office.li)
        ).fetchone()[0]
        changed = li.execute(
            "UPDATE evidence_reviews SET status = '认可', missing = '' WHERE id = %s", (mine,)
        )
        assert changed.rowcount == 1
        refused(li, ROW, (ids["round"], ids["archive"], ids["leaf"], due, office.li))  # not mine
        refused(li, ROW, (ids["round"], ids["police"], ids["other_leaf"], due, office.li))
        refused(li, ROW, (ids["round"], ids["police"], ids["leaf"], due, office.wang))  # a name
        refused(
            li, "UPDATE evidence_reviews SET reviewed_by = %s WHERE id = %s", (office.wang, mine)
        )
        # Another's review is out of reach; none is ever deleted.
        assert (
            li.execute(
                "UPDATE evidence_reviews SET status = '认可' WHERE id = %s", (theirs,)
            ).rowcount
            == 0
        )
        refused(li, "DELETE FROM evidence_reviews WHERE id = %s", (mine,))
        refused(
            li, "UPDATE evidence_reviews SET unit_id = %s WHERE id = %s", (ids["archive"], mine)
        )
    with office.connect(office.viewer) as viewer:
        refused(viewer, ROW, (ids["round"], ids["police"], ids["leaf"], due, office.viewer))
    with office.db.engine.begin() as owner:
        owner.exec_driver_sql("UPDATE rounds SET status = '审核中'")
    with office.connect(office.li) as li:
        assert (
            li.execute(
                "UPDATE evidence_reviews SET status = '退回补充' WHERE id = %s", (mine,)
            ).rowcount
            == 0
        )
        assert li.execute(
            "SELECT status FROM evidence_reviews WHERE id = %s", (mine,)
        ).fetchone() == ("认可",)


def test_an_assessor_reviews_through_the_program(office: Office) -> None:
    as_li = open_database(office.url_as(office.li))
    try:
        li = accounts.sign_in(as_li, office.li, PASSWORD)
        with acting_as(li):
            assert review_evidence(
                as_li, ROUND, "市公安局", "1.1.1", "退回补充", "缺少执法案卷", date(2026, 3, 31)
            )
            with pytest.raises(UserError, match="没有分到"):
                review_evidence(as_li, ROUND, "市档案馆", "1.1.1", "认可")
        assert verify_database(office.db).ok  # the review sealed the state as it is
    finally:
        as_li.dispose()
