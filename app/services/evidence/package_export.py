"""The units' packages (自评包) out: per unit one zip holding the signed workbook and a folder per
applicable leaf, with the files it already gave in their folders (so the package that comes
back is the whole of its evidence: a file left in stays, one taken out is withdrawn) and the
items sent back (退回补充) listed with their deadlines."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.filenames import FileNames, file_part
from app.io.atomic import write_atomically
from app.io.evidence.package_workbook import WORKBOOK_NAME, PackageLeaf, package_workbook
from app.models import Round
from app.models.database import Database
from app.models.evidence_store import ContentStore, content_store
from app.services.access.permissions import Permission, require
from app.services.evidence.unit_leaves import applicable_leaves, unit_in_round
from app.services.evidence.unit_state import held_state, sent_back
from app.services.progress import Cancelled, Progress
from app.services.rounds.definition import round_of
from app.services.rounds.participants import units_taking_part


@dataclass(frozen=True)
class ExportedPackage:
    unit: str
    path: Path
    leaves: int
    files: int
    returned: int  # leaves sent back for more evidence


def top_folder(unit: str, round_name: str) -> str:
    return f"{file_part(unit)}-{file_part(round_name)}-自评包"


def export_packages(
    db: Database,
    round_: int | str,
    out: str | Path,
    units: list[str] | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[ExportedPackage]:
    """One zip per unit (every participant, or those named) into ``out``; each written whole
    or not at all. Stops between units when ``cancelled``."""
    require(Permission.IMPORT)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    names = FileNames(folder)
    store = content_store(db)
    done: list[ExportedPackage] = []
    with db.reading() as session:
        found = round_of(session, round_)
        if units:
            pairs = [unit_in_round(session, found, u) for u in units]
        else:
            pairs = [(i, n) for n, i in sorted(units_taking_part(session, found.id).items())]
        for count, (unit_id, unit) in enumerate(pairs, start=1):
            if cancelled is not None and cancelled():
                break
            path = names.path(unit, found.name, "自评包", suffix=".zip")
            done.append(_export_one(session, store, found, unit_id, unit, path))
            if progress is not None:
                progress(count, len(pairs))
    return done


def _export_one(
    session: Session, store: ContentStore, round_: Round, unit_id: int, unit: str, path: Path
) -> ExportedPackage:
    leaves = applicable_leaves(session, round_.id, unit_id)
    held = held_state(session, round_.id, unit_id)
    rows = []
    for leaf in leaves:
        mine = held.get(leaf.node_id)
        rows.append(
            PackageLeaf(
                leaf.code,
                leaf.area,
                leaf.name,
                f"{leaf.points.normalize():f}",
                leaf.standard,
                leaf.folder,
                mine.score if mine else "",
                mine.note if mine else "",
                tuple(mine.files) if mine else (),
                sent_back(mine) if mine else "",
            )
        )
    title = f"{round_.name} {unit} 自评表"
    workbook = package_workbook(title, round_.name, unit, rows)
    top = top_folder(unit, round_.name)
    files = 0

    def write(target: Path) -> None:
        nonlocal files
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr(f"{top}/{WORKBOOK_NAME}", workbook, zipfile.ZIP_DEFLATED)
            for leaf in leaves:
                archive.writestr(zipfile.ZipInfo(f"{top}/{leaf.folder}/"), b"")
                mine = held.get(leaf.node_id)
                for name, file in (mine.files if mine else {}).items():
                    # Scans and PDFs are compressed already: stored as they are (fast, and
                    # the unit's zip tool has nothing to undo).
                    info = zipfile.ZipInfo(f"{top}/{leaf.folder}/{name}")
                    info.compress_type = zipfile.ZIP_STORED
                    with archive.open(info, "w", force_zip64=True) as entry:
                        for block in store.chunks(session, file.file_id, file.sha256):
                            entry.write(block)
                    files += 1

    write_atomically(path, write)
    returned = sum(1 for r in rows if r.returned)
    return ExportedPackage(unit, path, len(leaves), files, returned)
