"""The program's version, from one place: pyproject.toml (via the installed metadata, or read
directly when running from a source tree that was not installed)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path


@cache
def program_version() -> str:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():  # a source tree: the file itself is the truth
        match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text("utf-8"), re.M)
        if match:
            return match.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kaoping")
    except PackageNotFoundError:
        return "0+unknown"
