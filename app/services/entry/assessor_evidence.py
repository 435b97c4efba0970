"""The units' evidence for an assessor's offline workbook: per cell the files (names and
SHA-256, listed in the workbook) and, when asked, the files themselves copied into a folder
beside the workbook (``<workbook>-佐证材料/<unit>/<code name>/<file>``), so an assessor who
scores away from the program sees what the units sent and can check each copy's hash."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.filenames import file_part
from app.io.exchange.assessor_workbook import EvidenceLine
from app.models.evidence_store import ContentStore
from app.services.entry.assignments import Task
from app.services.evidence.listing import PENDING
from app.services.evidence.unit_leaves import folder_name
from app.services.evidence.unit_state import HeldLeaf, held_state
from app.services.progress import Cancelled

EVIDENCE_FOLDER = "佐证材料"


class UnitsEvidence:
    """What each unit of the round holds, read once per unit however many assessors score
    it."""

    def __init__(self, session: Session, round_id: int) -> None:
        self.session, self.round_id = session, round_id
        self._held: dict[int, dict[int, HeldLeaf]] = {}

    def of(self, task: Task) -> HeldLeaf:
        if task.unit_id not in self._held:
            self._held[task.unit_id] = held_state(self.session, self.round_id, task.unit_id)
        return self._held[task.unit_id].get(task.leaf.id, HeldLeaf())


def evidence_folder_for(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}-{EVIDENCE_FOLDER}")


def _place(folder: Path | None, task: Task, name: str) -> str:
    if folder is None:
        return ""
    leaf = folder_name(task.leaf.code, task.leaf.name)
    return f"{folder.name}/{file_part(task.unit)}/{leaf}/{name}"


def cell_files(held: HeldLeaf) -> str:
    """The cell's column in the workbook: one file a line."""
    return "\n".join(held.files)


def evidence_lines(
    tasks: Sequence[Task], units: UnitsEvidence, folder: Path | None
) -> list[EvidenceLine]:
    """One line per file of the assessor's cells; ``folder``: where the copies go, if any."""
    lines = []
    for task in tasks:
        held = units.of(task)
        review = held.review or (PENDING if held.files else "")
        for name, file in held.files.items():
            lines.append(
                EvidenceLine(
                    task.unit,
                    task.leaf.code,
                    task.leaf.name,
                    name,
                    file.size,
                    file.sha256,
                    review,
                    _place(folder, task, name),
                )
            )
    return lines


def copy_evidence(
    units: UnitsEvidence,
    store: ContentStore,
    tasks: Sequence[Task],
    folder: Path,
    cancelled: Cancelled | None = None,
) -> int:
    """The assessor's cells' files into ``folder`` (copies, never links); a copy already
    there with the right size is kept (an export run again). Returns the bytes copied."""
    copied = 0
    for task in tasks:
        if cancelled is not None and cancelled():
            break
        for name, file in units.of(task).files.items():
            target = folder / file_part(task.unit) / folder_name(task.leaf.code, task.leaf.name)
            target = target / name
            if target.is_file() and target.stat().st_size == file.size:
                continue
            store.copy_out(units.session, file.file_id, file.sha256, target)
            copied += file.size
    return copied
