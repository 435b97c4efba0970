"""What an edit of score cells asks for and what it answers: a change by ids (the grid's cells
carry them), a change by names (for a caller that only knows names), the refusal, the result
(with a pasted block's refused cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from app.errors import UserError
from app.services.changes import Changes
from app.services.entry.cells import CellValue


class Unseen(Enum):
    UNSEEN = "未查看"


UNSEEN = Unseen.UNSEEN


@dataclass(frozen=True)
class CellChange:
    """One cell's new value by ids, so a write looks no names up; names appear only in its
    messages and the change log.

    ``seen`` is the value the writer had on screen (None: empty): when the cell holds
    something else by now, someone else changed it meanwhile and the change is refused rather
    than written over theirs. UNSEEN: written whatever is there (an import, after its
    preview; a review's decision)."""

    unit_id: int
    leaf_id: int  # the leaf's round node
    assessor_id: int
    value: CellValue | None  # None clears the cell
    seen: CellValue | Unseen | None = UNSEEN


@dataclass(frozen=True)
class NamedChange:
    """One cell by the names a person reads (the ledger's carry-over, a test): turned into ids
    once per write, and refused by name when one does not exist; nobody is created from it."""

    unit: str
    leaf: str  # the leaf's code
    assessor: str
    value: CellValue | None


class CellRefused(UserError):
    """A typed or pasted value breaks the leaf's rule; nothing of the edit was written."""

    @classmethod
    def of(cls, messages: list[str]) -> CellRefused:
        """One message for a block: each problem once (one unknown name in a block is told
        once), the first five of them."""
        unique = list(dict.fromkeys(messages))
        return cls("；".join(unique[:5]) + ("等" if len(unique) > 5 else ""))


class CellConflict(CellRefused):
    """Someone else changed a cell since the writer saw it; nothing of the edit was written.
    ``stored`` holds what those cells hold now, for the grid to show."""

    def __init__(self, message: str, stored: dict[tuple[int, int, int], CellValue | None]):
        super().__init__(message)
        self.stored = stored


@dataclass(frozen=True)
class RefusedCell:
    """A cell of a pasted block that was not written, and why (its unit and leaf named);
    ``stored``: what it holds now when someone else changed it meanwhile."""

    change: CellChange
    message: str
    stored: CellValue | Unseen | None = UNSEEN


@dataclass(frozen=True)
class Written:
    """What a write inside a transaction kept: the warnings, the 酌情 deductions written but
    still waiting for their reason, and (for a pasted block) the cells refused."""

    warnings: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    refused: tuple[RefusedCell, ...] = ()


@dataclass(frozen=True)
class CellsWritten:
    """What an edit did: the warnings about values accepted as they are (e.g. a deduction
    above the leaf's points), the cells written but marked until they have a reason, the
    cells of a block refused, and what it changed, so the window refreshes what shows it."""

    warnings: tuple[str, ...] = ()
    changes: Changes = field(default_factory=Changes)
    pending: tuple[str, ...] = ()
    refused: tuple[RefusedCell, ...] = ()
