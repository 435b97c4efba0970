"""How long work reports how far it has got: one callback type for every service that takes
one (done, total), and the context in which workbook readers report the rows they read."""

from __future__ import annotations

from collections.abc import Callable

from app.io.readers.reading_progress import reading_progress

__all__ = ["Cancelled", "Progress", "reading_progress"]

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]  # asked between steps; True stops the work after the current one
