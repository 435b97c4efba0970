"""Units, categories and assessors are stored with their names as written and found by their
key (app.io.text_rules.name_key): a workbook or a clerk that writes "市司法局(法制办)" finds the
unit stored as "市司法局（法制办）", and a unit an earlier version stored with ASCII brackets is
found by a list that writes full-width ones. An exact match wins over a key match, so two
stored names that share a key (possible in data from before) each stay reachable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.io.text_rules import name_key
from app.models import Assessor, Unit, UnitCategory

Named = TypeVar("Named", Unit, UnitCategory, Assessor)


class StoredNames:
    """The stored names of one kind, to find what a file or a clerk means by a name."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names: set[str] = set()
        self._by_key: dict[str, str] = {}
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        self._names.add(name)
        self._by_key.setdefault(name_key(name), name)

    def find(self, written: str) -> str | None:
        """The stored name ``written`` means, or None."""
        if written in self._names:
            return written
        return self._by_key.get(name_key(written))

    def stored(self, written: str) -> str:
        """The stored name ``written`` means, or ``written`` itself (a name not stored yet is
        reported or created as written)."""
        found = self.find(written)
        return written if found is None else found


def stored_names(session: Session, model: type[Named]) -> StoredNames:
    return StoredNames(session.scalars(select(model.name)))


def find_named(session: Session, model: type[Named], written: str) -> Named | None:
    """The unit, category or assessor ``written`` names, or None."""
    exact = session.scalar(select(model).where(model.name == written))
    if exact is not None:
        return exact
    key = name_key(written)
    return next((row for row in session.scalars(select(model)) if name_key(row.name) == key), None)
