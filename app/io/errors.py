"""Problems found in a user's workbook, each pinned to file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from; row is 1-based as Excel shows it, column a letter."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = [f"文件 {Path(self.file).name}"]
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"{self.column} 列")
        return "，".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, told so a clerk can find and fix it."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location.describe()}：{self.message}"


class WorkbookError(Exception):
    """The user's file is wrong; nothing of the operation was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
