"""How far a reader has got, told to whoever started the import (the CLI prints it, the window
shows it), without a progress parameter on every service and reader between them.

The caller wraps the service call in ``reading_progress(report)``; the shared reader layer
calls ``advance(done, total)`` as it goes through a sheet's rows. The hook lives in a
ContextVar, so a worker thread's import reports to its own caller only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Report = Callable[[int, int], None]
EVERY = 5_000  # rows between reports
_report: ContextVar[Report | None] = ContextVar("reading_progress", default=None)


@contextmanager
def reading_progress(report: Report) -> Iterator[None]:
    token = _report.set(report)
    try:
        yield
    finally:
        _report.reset(token)


def advance(done: int, total: int) -> None:
    report = _report.get()
    if report is not None:
        report(done, total)
