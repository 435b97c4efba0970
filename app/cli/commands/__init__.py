"""The command line's topics, one module each, registered in the order `kaoping --help` lists them.

Each module here defines ``register(sub, add)``: ``sub`` is the top-level subparsers object and
``add(name, handler, parent, **kw)`` adds a command whose handler takes ``(db, args)``. A new
topic is added to TOPICS by hand: the list is the order of the help, and nothing is found by
listing the package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.cli.commands import (
    accounts,
    analysis,
    assignments,
    audit,
    backups,
    check,
    demo,
    documents,
    evidence,
    frameworks,
    problems,
    results,
    review,
    rounds,
    satisfaction,
    scores,
    server,
    sheets,
    templates,
    units,
)

TOPICS = (
    demo,
    units,
    frameworks,
    rounds,
    sheets,
    scores,
    satisfaction,
    results,
    analysis,
    check,
    backups,
    audit,
    accounts,
    assignments,
    documents,
    problems,
    review,
    evidence,
    templates,
    server,
)

# Commands that only read the database: on a medium that cannot be written (a read-only
# folder or disk, a full disk that cannot hold the lock file) they still run, read-only.
READ_ONLY_COMMANDS = (
    units.READ_ONLY
    | frameworks.READ_ONLY
    | rounds.READ_ONLY
    | results.READ_ONLY
    | analysis.READ_ONLY
    | check.READ_ONLY
    | backups.READ_ONLY
    | audit.READ_ONLY
    | evidence.READ_ONLY
)


def register_all(sub: Any, add: Callable[..., Any]) -> None:
    for topic in TOPICS:
        topic.register(sub, add)
