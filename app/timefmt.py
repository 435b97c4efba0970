"""Times are stored in UTC; people read them in their own time zone. Years (of a round, of a
date typed) lie in FIRST_YEAR..LAST_YEAR, as the window's year box has always allowed."""

from __future__ import annotations

from datetime import UTC, datetime

FIRST_YEAR, LAST_YEAR = 2000, 2100


def local_time(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone()
