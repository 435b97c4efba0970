"""The house keeps its shape (ARCHITECTURE.md): small modules with one job each. A module over
400 lines is doing several jobs (issue 16 split the 19 that were)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 400


def module_lengths() -> dict[str, int]:
    lengths = {}
    for folder in ("app", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            with path.open(encoding="utf-8") as handle:
                lengths[path.relative_to(ROOT).as_posix()] = sum(1 for _ in handle)
    return lengths


def test_no_module_is_over_400_lines() -> None:
    too_long = {name: n for name, n in module_lengths().items() if n > LIMIT}
    assert too_long == {}, f"over {LIMIT} lines (split by job): {too_long}"
