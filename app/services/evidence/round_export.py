"""For the inspection: a unit's 佐证材料目录 (PDF and .xlsx), and a round's whole evidence as
folders by unit and indicator with the index beside them, ready to hand over on a disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.documents.evidence_index import IndexLine, write_evidence_index_pdf
from app.filenames import file_part
from app.io.writers.evidence_index_writer import write_evidence_index
from app.models.database import Database
from app.models.evidence_store import content_store
from app.services.access.audit import latest_change
from app.services.access.permissions import Permission, require
from app.services.evidence.listing import LeafEvidence, submitted, unit_evidence
from app.services.evidence.unit_leaves import folder_name, unit_in_round
from app.services.progress import Cancelled, Progress
from app.services.rounds.definition import round_of
from app.services.rounds.participants import units_taking_part

INDEX = "佐证材料目录"


@dataclass(frozen=True)
class RoundExport:
    folder: Path
    units: int
    files: int
    size: int


def _index_rows(leaves: list[LeafEvidence], with_place: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for leaf in leaves:
        for f in leaf.files:
            place = f"{file_part(leaf.unit)}/{folder_name(leaf.code, leaf.name)}/{f.name}"
            rows.append(
                [
                    leaf.unit,
                    leaf.code,
                    leaf.name,
                    f.name,
                    f.kind,
                    f.size,
                    f.sha256,
                    f.added_by,
                    submitted(f).removeprefix(f.added_by).strip(),
                    leaf.review,
                    place if with_place else "",
                ]
            )
    return rows


def _pdf_lines(leaves: list[LeafEvidence]) -> list[IndexLine]:
    return [
        IndexLine(leaf.code, leaf.name, f.name, _size(f.size), f.sha256, submitted(f), leaf.review)
        for leaf in leaves
        for f in leaf.files
    ]


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def unit_index(
    db: Database,
    round_: int | str,
    unit: str,
    out: str | Path,
    *,
    pdf: bool = True,
    xlsx: bool = True,
) -> list[Path]:
    """The unit's 佐证材料目录 into ``out`` (a folder): PDF and/or .xlsx."""
    require(Permission.VIEW)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with db.reading() as session:
        found = round_of(session, round_)
        unit_id, name = unit_in_round(session, found, unit)
        leaves = unit_evidence(session, found, unit_id, name)
        round_name = found.name
    return _write_index(db, folder, round_name, name, leaves, pdf=pdf, xlsx=xlsx)


def _write_index(
    db: Database,
    folder: Path,
    round_name: str,
    unit: str,
    leaves: list[LeafEvidence],
    *,
    pdf: bool,
    xlsx: bool,
) -> list[Path]:
    title = f"{unit} 佐证材料目录"
    count = sum(len(leaf.files) for leaf in leaves)
    size = sum(f.size for leaf in leaves for f in leaf.files)
    subtitle = f"{round_name}    共 {count} 个文件，{_size(size)}"
    stem = f"{file_part(unit)}-{INDEX}"
    written = []
    if xlsx:
        written.append(
            write_evidence_index(
                folder / f"{stem}.xlsx", f"{round_name} {title}", _index_rows(leaves, False)
            )
        )
    if pdf:
        code = latest_change(db)[:12].upper()
        written.append(
            write_evidence_index_pdf(
                folder / f"{stem}.pdf", title, subtitle, _pdf_lines(leaves), code
            )
        )
    return written


def export_round_evidence(
    db: Database,
    round_: int | str,
    out: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RoundExport:
    """``out``/<unit>/<code name>/<files>, each unit's 目录 (PDF, .xlsx) in its folder, and the
    round's whole index (.xlsx) at the top. Files are copied out of the store (never linked)."""
    require(Permission.VIEW)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    store = content_store(db)
    all_leaves: list[LeafEvidence] = []
    files = size = units = 0
    with db.reading() as session:
        found = round_of(session, round_)
        pairs = sorted(units_taking_part(session, found.id).items())
        per_unit = {name: unit_evidence(session, found, unit_id, name) for name, unit_id in pairs}
        total = sum(f.size for leaves in per_unit.values() for leaf in leaves for f in leaf.files)
        for name, leaves in per_unit.items():
            if cancelled is not None and cancelled():
                break
            if not any(leaf.files for leaf in leaves):
                continue
            units += 1
            unit_folder = folder / file_part(name)
            for leaf in leaves:
                for f in leaf.files:
                    target = unit_folder / folder_name(leaf.code, leaf.name) / f.name
                    if not (target.is_file() and target.stat().st_size == f.size):
                        store.copy_out(session, f.file_id, f.sha256, target)
                    files += 1
                    size += f.size
                    if progress is not None:
                        progress(size, total)
            all_leaves += leaves
        round_name = found.name
    for name, leaves in per_unit.items():
        if any(leaf.files for leaf in leaves):
            _write_index(
                db, folder / file_part(name), round_name, name, leaves, pdf=True, xlsx=True
            )
    write_evidence_index(
        folder / f"{file_part(round_name)}-{INDEX}.xlsx",
        f"{round_name} {INDEX}",
        _index_rows(all_leaves, True),
    )
    return RoundExport(folder, units, files, size)


__all__ = ["RoundExport", "export_round_evidence", "unit_in_round", "unit_index"]
