"""A server database set up by `server init` with a small round in 评分中, one account per
role, and a way to connect as any of them with plain SQL (issue 18). Logins belong to the whole
test cluster, so each test's names carry its database's suffix; they go with the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.models import Assessor
from app.models.accounts import ROLE_ASSESSOR, ROLE_STAFF, ROLE_VIEWER
from app.models.database import Database
from app.models.opening import open_database
from app.scoring.types import Rules
from app.services.access import accounts
from app.services.entry.assignments import assign
from app.services.rounds.definition import create_round
from app.services.server.roles import Groups
from app.services.server.setup import init_server
from app.services.setup.frameworks import import_framework
from app.services.setup.units import import_units
from tests.postgres import drop_database, new_database
from tests.workbooks import small_framework, small_units

ROUND = "2025年度"
PASSWORD = "pass-word-1"


@dataclass(frozen=True)
class Office:
    url: str  # the owner's (the cluster's superuser)
    db: Database  # opened as the owner
    admin: str
    staff: str
    li: str  # 评分人 of 甲组: 1.1.1 for 市公安局 and 市财政局
    wang: str  # 评分人 of 乙组: 1.1.1 for 市档案馆
    viewer: str

    def url_as(self, login: str) -> str:
        return make_url(self.url).set(username=login).render_as_string(hide_password=False)

    def connect(self, login: str) -> psycopg.Connection:
        """A plain psql-like session as ``login`` (autocommit: each statement on its own)."""
        url = make_url(self.url)
        return psycopg.connect(
            host=url.host,
            port=url.port,
            dbname=url.database,
            user=login,
            password=PASSWORD,
            autocommit=True,
        )

    def ids(self) -> dict[str, int]:
        """Ids the plain SQL needs: the round, leaves 1.1.1 and 2.1.2, units, assessors."""
        queries = {
            "round": "SELECT id FROM rounds",
            "leaf": "SELECT id FROM round_nodes WHERE code = '1.1.1'",
            "other_leaf": "SELECT id FROM round_nodes WHERE code = '2.1.2'",
            "police": "SELECT id FROM units WHERE name = '市公安局'",
            "archive": "SELECT id FROM units WHERE name = '市档案馆'",
            "jia": "SELECT id FROM assessors WHERE name = '甲组'",
            "yi": "SELECT id FROM assessors WHERE name = '乙组'",
        }
        with self.db.engine.connect() as c:
            return {key: c.execute(text(sql)).scalar_one() for key, sql in queries.items()}


def drop_logins(server: str, groups: Groups, logins: list[str]) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        for role in (*logins, *groups.all()):
            c.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()


@pytest.fixture
def office(pg_server: str, pg_template: str, tmp_path: Path) -> Iterator[Office]:
    name, url = new_database(pg_server, pg_template)
    tag = name[2:8]
    names = {k: f"{k}_{tag}" for k in ("admin", "staff", "li", "wang", "viewer")}
    done = init_server(url, names["admin"], lambda: PASSWORD)
    db = open_database(url)
    try:
        import_units(db, small_units(tmp_path / "units.xlsx"))
        import_framework(db, small_framework(tmp_path / "fw.xlsx"), "小体系")
        with db.transaction() as session:
            session.add(Assessor(name="甲组", department="市司法局"))
            session.add(Assessor(name="乙组", department="市财政局"))
        create_round(db, name=ROUND, framework="小体系", year=2025, rules=Rules())
        assign(db, ROUND, "甲组", ["1.1.1"], ["市公安局", "市财政局"])
        assign(db, ROUND, "乙组", ["1.1.1"], ["市档案馆"])
        accounts.create_account(db, names["staff"], PASSWORD, ROLE_STAFF)
        accounts.create_account(db, names["li"], PASSWORD, ROLE_ASSESSOR, assessor="甲组")
        accounts.create_account(db, names["wang"], PASSWORD, ROLE_ASSESSOR, assessor="乙组")
        accounts.create_account(db, names["viewer"], PASSWORD, ROLE_VIEWER)
        yield Office(url, db, **names)
    finally:
        db.dispose()
        drop_database(pg_server, name)
        drop_logins(pg_server, done.groups, list(names.values()))
