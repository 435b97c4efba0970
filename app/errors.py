"""The one base for errors that are the user's to fix (as opposed to bugs), shared by every
layer so the CLI and the GUI can show them plainly instead of as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done; the message says why, in Chinese."""
