"""A service module for a command, loaded when the command first uses it: every command module
is imported to build the parser, so a module-level import of a service would load the database
layer and its spreadsheet or PDF libraries for every command, `--help` too (issue 22: each
command imports what it uses)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for module ``name``; imports it at the first attribute asked of it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


def lazy(name: str) -> Any:
    return LazyModule(name)
