"""Command groups beyond the core ones in app/cli/main.py, one module per topic.

Each module here defines ``register(sub, add)``: ``sub`` is the top-level subparsers object and
``add(name, handler, parent, **kw)`` adds a command whose handler takes ``(db, args)``. Modules
are found by listing this package, so a new topic needs no edit to a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any


def register_all(sub: Any, add: Callable[..., Any]) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue  # shared helpers, not a command group
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(sub, add)
