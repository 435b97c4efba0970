"""Times are stored in UTC; people read them in their own time zone."""

from __future__ import annotations

from datetime import UTC, datetime


def local_time(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone()
