"""Argument types for the command line: a value out of range is told plainly (exit 2), never
carried into a service to fail there as a traceback (a year of 20 digits overflowed SQLite,
NaN made every comparison raise)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from app.io import cells
from app.timefmt import FIRST_YEAR, LAST_YEAR

MAX_COUNT = 1_000_000  # places, items to list, days: far above anything real


def finite_decimal(text: str) -> Decimal:
    """A number, or a percentage ("20%" is 0.2); NaN and Infinity are not numbers here."""
    raw = text.strip()
    try:
        value = Decimal(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"“{text}”不是有限的数字")
    try:
        return cells.plausible(value, text)
    except cells.CellError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def year(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{text}”应为整数，如 2025") from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"年度“{text}”超出范围：应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间"
        )
    return value


def count(text: str) -> int:
    """A whole number from 0 to MAX_COUNT."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”应为整数") from None
    if not 0 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"“{text}”超出范围：应在 0 到 {MAX_COUNT} 之间")
    return value


class LazyChoices(Sequence[str]):
    """An option's choices named by module and attribute, imported only when an argument is
    checked against them or a command's help lists them: the parser is built for every
    command, and the lists live in modules that load the whole ORM (issue 22)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self._values: tuple[str, ...] | None = None

    def _loaded(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(getattr(importlib.import_module(self.module), self.name))
        return self._values

    def __getitem__(self, index: Any) -> Any:
        return self._loaded()[index]

    def __len__(self) -> int:
        return len(self._loaded())

    def __contains__(self, value: object) -> bool:
        return value in self._loaded()

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())
