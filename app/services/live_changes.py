"""Other clients' writes, as they happen (issue 18): on a server, every writing transaction
announces what it changed (NOTIFY at commit, the same ``Changes`` a service returns), and a
client listens for the others' and feeds them to the path its own writes take, so its pages
refresh within about a second without reading the round over and over.

PostgreSQL delivers a NOTIFY only if its transaction commits, in commit order; a client that
lost its connection may have missed some, so on reconnecting it is told everything changed."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from app.models.database import Database
from app.services.changes import EVERYTHING, Changes, Topic, changes_of

CHANNEL = "kaoping_changes"
LIMIT = 7000  # a NOTIFY payload must stay under 8000 bytes: beyond, "every round"
WAIT = 0.2  # seconds between looks at ``stop``


def origin_of(engine: Engine) -> str:
    """Which client wrote: its own writes it has refreshed for already."""
    return f"{socket.gethostname()}:{os.getpid()}:{id(engine)}"


def payload(changes: Changes, origin: str) -> str:
    """What changed, in a NOTIFY's few kilobytes: the cells written when they fit (a page
    then reads just those), else the rounds, else "every round"."""
    body: dict[str, object] = {
        "o": origin,
        "t": sorted(changes.topics),
        "r": sorted(changes.rounds),
    }
    if changes.cells is not None:
        body["c"] = sorted(changes.cells)
    for less in ("c", "r"):
        text_ = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        if len(text_.encode("utf-8")) <= LIMIT:
            return text_
        if less == "c":
            body.pop("c", None)  # too many cells: the rounds they are in
        else:
            body["r"] = []  # too many rounds named: all of them
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def parse(text_: str) -> tuple[str, Changes]:
    """Who wrote, and what; a topic this version does not know (a newer client's) counts as
    everything, so nothing that shows it is left stale."""
    body = json.loads(text_)
    known = {topic.value for topic in Topic}
    topics = frozenset(Topic(t) if t in known else Topic.DATABASE for t in body["t"])
    cells = body.get("c")
    return body["o"], Changes(
        topics,
        frozenset(int(r) for r in body["r"]),
        None if cells is None else frozenset(tuple(int(p) for p in c) for c in cells),  # type: ignore[misc]
    )


def _announce(session: Session) -> None:
    """Before commit: NOTIFY what this transaction changed (sent only if it commits)."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "postgresql":
        return
    changes = changes_of(session)
    if changes:
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload(changes, origin_of(bind))},
        )


def install() -> None:
    """Once per process; first among the commit hooks, so the changes are read before the
    change log's records are chained (that bulk insert would count as "every round")."""
    if not event.contains(Session, "before_commit", _announce):
        event.listen(Session, "before_commit", _announce, insert=True)


def listen(db: Database, stop: Callable[[], bool]) -> Iterator[Changes]:
    """Other clients' changes to ``db``'s server database until ``stop()``: its own
    connection (the pool's are for transactions), LISTEN, each notification as it comes."""
    import psycopg  # only on a server

    mine = origin_of(db.engine)
    # The engine's own connect arguments: a password with spaces, "@" or Chinese characters
    # reaches the server as typed (a URL turned back into a conninfo string does not).
    arguments, options = db.engine.dialect.create_connect_args(db.engine.url)
    missed = False
    while not stop():
        try:
            with psycopg.connect(*arguments, **{**options, "autocommit": True}) as connection:
                connection.execute(f"LISTEN {CHANNEL}")
                if missed:  # reconnected: whatever happened meanwhile is not known
                    missed = False
                    yield EVERYTHING
                while not stop():
                    for notify in connection.notifies(timeout=WAIT):
                        origin, changes = parse(notify.payload)
                        if origin != mine and changes:
                            yield changes
        except psycopg.OperationalError:
            missed = True
            _pause(stop, 1.0)


def _pause(stop: Callable[[], bool], seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until and not stop():
        time.sleep(WAIT)
