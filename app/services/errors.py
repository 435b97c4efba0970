"""Errors the services raise for the user (as opposed to bugs)."""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why, in Chinese."""


class NotFound(UserError):
    pass


class ReadOnlyRound(UserError):
    pass
