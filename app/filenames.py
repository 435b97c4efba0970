"""File names made from names (a unit's, an assessor's, a notice number): one helper, so every
batch of files is named the same safe way on Windows and elsewhere.

A part of a file name keeps the name's own characters but for what a file system refuses or
misreads: path separators and ``: * ? " < > |``, control characters, invisible format
characters (a right-to-left override can make "…xlsx" look like another extension), lone
surrogates (a command-line argument in an unknown encoding; no file system takes them), spaces
(as underscores, as before), dots and spaces at the end, and Windows device names (CON, NUL,
COM1, CONIN$, …). It is cut to MAX_PART_BYTES of UTF-8 (a 100-character Chinese name is 300
bytes; a file name may have 255 bytes on Linux and 255 UTF-16 units on Windows, never more than
its UTF-8 bytes), with a short digest of the whole name so that two long names that begin alike
still get two files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

MAX_PART_BYTES = 90  # three parts and a suffix stay well under 255 bytes
_REFUSED = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{d}" for d in "0123456789¹²³"}
    | {f"LPT{d}" for d in "0123456789¹²³"}
    | {"CONIN$", "CONOUT$"}
)
_DROPPED = frozenset({"Cf", "Cc", "Cs"})
_TRAILING = re.compile(r"[.\s]+$")  # Windows drops them: "名称. ." would name "名称"


def file_part(name: str, max_bytes: int = MAX_PART_BYTES) -> str:
    """A piece of a file name made from ``name``; never empty, never a path."""
    visible = "".join(c for c in name if unicodedata.category(c) not in _DROPPED)
    text = _REFUSED.sub("_", _TRAILING.sub("", visible)).strip("_").rstrip(". ") or "_"
    if text.split(".")[0].upper() in _DEVICES:
        text = f"_{text}"
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    room = max_bytes - len(digest) - 1
    cut = text.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip(". _")
    return f"{cut}~{digest}"


class FileNames:
    """The files of one batch in one folder: each gets a name no other file of the batch has,
    compared as Windows compares names (ignoring case)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._taken: set[str] = set()

    def path(self, *parts: str, suffix: str) -> Path:
        stem = "-".join(file_part(p) for p in parts)
        candidate, number = stem, 2
        while f"{candidate}{suffix}".casefold() in self._taken:
            candidate = f"{stem}({number})"
            number += 1
        self._taken.add(f"{candidate}{suffix}".casefold())
        return self.folder / f"{candidate}{suffix}"
