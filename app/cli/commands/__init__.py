"""The command line's topics, one module each, registered in the order `kaoping --help` lists them.

Each module here defines ``register(sub, add)``: ``sub`` is the top-level subparsers object and
``add(name, handler, parent, **kw)`` adds a command whose handler takes ``(db, args)``. A new
topic is added to TOPICS by hand: the list is the order of the help, and nothing is found by
listing the package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.cli.commands import accounts, assignments, documents, problems, review, templates

TOPICS = (accounts, assignments, documents, problems, review, templates)


def register_all(sub: Any, add: Callable[..., Any]) -> None:
    for topic in TOPICS:
        topic.register(sub, add)
