"""Who is acting in this process: set once at login (GUI) or start (CLI), read by the services
to check permissions and by the change log to record who did it.

Without accounts (or with only one) an office runs as the administrator under the operating
system's login name, as the issue asks for single-user offices.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.models.accounts import ROLE_ADMIN


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    assessor_id: int | None = None
    assessor_name: str | None = None
    signed_in: bool = False  # False: single-user mode, no login asked
    must_change_password: bool = False  # reset by an administrator: nothing else until changed


def _system_user() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # getpass raises various errors when no login name is set
        return "未知用户"


def single_user_actor() -> Actor:
    return Actor(username=_system_user(), role=ROLE_ADMIN)


_current: Actor | None = None


def current_actor() -> Actor:
    return _current if _current is not None else single_user_actor()


def set_actor(actor: Actor | None) -> None:
    global _current
    _current = actor


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """For tests and for one command run on someone's behalf."""
    previous = _current
    set_actor(actor)
    try:
        yield actor
    finally:
        set_actor(previous)
