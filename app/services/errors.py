"""Errors the services raise for the user (as opposed to bugs)."""

from __future__ import annotations

from app.errors import UserError

__all__ = ["NotFound", "ReadOnlyRound", "UserError"]


class NotFound(UserError):
    pass


class ReadOnlyRound(UserError):
    pass
