"""Who acts on a server: each person's Kaoping account is their database login, and the
server has checked its password before the program got a connection — asking for it a second
time would only make two passwords to keep in step."""

from __future__ import annotations

from sqlalchemy import select

from app.models.accounts import Account
from app.models.database import Database
from app.models.rounds import Assessor
from app.services.access.actor import Actor


def server_actor(db: Database, login: str) -> Actor | None:
    """The account named like the database login, signed in by the server's check; None when
    the database is a file (nobody checked anything), or the login is no active account here
    (e.g. the server's own administrator): then the program's sign-in asks as usual."""
    if db.path is not None or db.engine.dialect.name != "postgresql" or not login:
        return None
    with db.reading() as session:
        account = session.scalar(
            select(Account).where(Account.username == login, Account.active.is_(True))
        )
        if account is None:
            return None
        assessor = session.get(Assessor, account.assessor_id) if account.assessor_id else None
        return Actor(
            username=account.username,
            role=account.role,
            assessor_id=account.assessor_id,
            assessor_name=assessor.name if assessor else None,
            signed_in=True,
        )
