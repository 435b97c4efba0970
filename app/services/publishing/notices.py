"""督办函 and 整改通知书: chosen units, their findings, the office's wording, one PDF each.

A notice is issued once: its number (机关代字〔年份〕序号, per year and type) is never reused,
its PDF's hash is stored, and the database refuses any change but a withdrawal with a reason.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, UserError
from app.filenames import file_part
from app.io.atomic import write_atomically
from app.models import Notice, Unit
from app.models.database import Database
from app.models.notices import NOTICE_ISSUED
from app.models.sqlite_files import hide_file, process_alive
from app.services.access.audit import chain_head, current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.changes import NOTHING, Changes, changes_of
from app.services.ledger.notice_links import link_problems_to_notice
from app.services.ledger.problem_registration import register_findings
from app.services.progress import Progress
from app.services.publishing.document_numbers import (
    format_number,
    new_number,
    register_number,
)
from app.services.publishing.notice_copies import recorded_content
from app.services.publishing.notice_findings import open_findings
from app.services.publishing.notice_wording import RECTIFICATION, SUPERVISION, build_document
from app.services.publishing.office_settings import (
    DocumentSettings,
    check_settings,
    load_document_settings,
)
from app.services.publishing.word_copies import editable_copy, office_template, write_document_file
from app.services.review.findings import UnitFindings, round_findings
from app.services.rounds.deadlines import add_months
from app.services.rounds.definition import find_round

if TYPE_CHECKING:  # reportlab loads when a document is first drawn, not at program start
    from app.documents.official.model import OfficialDocument

KINDS = (RECTIFICATION, SUPERVISION)
SELECTIONS = {"不合格": "等次为不合格", "bottom": "排名靠后", "deducted": "有扣分", "all": "全部"}


@dataclass(frozen=True)
class IssuedNotice:
    number: str
    unit: str
    kind: str
    path: Path
    plan_due: date
    result_due: date
    changes: Changes = NOTHING  # what the write changed, for the window to refresh
    docx: Path | None = None  # the editable copy beside the PDF, when one was asked for


STAGED = re.compile(r"^\.(.+\.pdf)\.(\d+)\.staged$")


def select_units(
    findings: Sequence[UnitFindings],
    selection: str,
    chosen: Sequence[str] = (),
    settled: frozenset[str] = frozenset(),
) -> list[UnitFindings]:
    """The units a batch goes to: by rule, or the ones picked by hand. A unit whose every
    problem is closed (``settled``) has nothing to be told: a rule passes it over, and picked
    by hand it is refused by name."""
    if chosen:
        known = {f.unit: f for f in findings}
        missing = [name for name in chosen if name not in known]
        if missing:
            raise NotFound(f"本批次中没有单位：{'、'.join(missing)}")
        done = [name for name in chosen if name in settled]
        if done:
            raise UserError(f"以下单位的考核发现问题均已销号，无需再印发文书：{'、'.join(done)}")
        return [known[name] for name in chosen]
    findings = [f for f in findings if f.unit not in settled]
    if selection == "all":
        return list(findings)
    if selection == "deducted":
        return [f for f in findings if f.findings]
    if selection == "bottom":
        return [f for f in findings if f.bottom]
    if selection == "不合格":
        return [f for f in findings if f.grade == "不合格"]
    raise UserError(f"选择方式“{selection}”无效；可选：{'、'.join(SELECTIONS)}")


def _prefix(kind: str, settings: DocumentSettings) -> str:
    return settings.rectification_prefix if kind == RECTIFICATION else settings.supervision_prefix


def safe_file_name(name: str) -> str:
    return file_part(name)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UserError(f"文书类型“{kind}”无效；可选：{'、'.join(KINDS)}")


def preview_notice(
    db: Database,
    round_name: str,
    unit: str,
    kind: str,
    out: Path,
    issued_on: date | None = None,
    settings: DocumentSettings | None = None,
) -> Path:
    """The notice as it would be issued, marked as a preview and not numbered or stored
    (``out`` ending in .docx: as an editable Word file). ``settings`` previews wording that is
    being edited and not saved yet."""

    _check_kind(kind)
    day = issued_on or date.today()
    if settings is None:
        settings = load_document_settings(db)
    else:
        check_settings(settings)
    _results, findings = round_findings(db, round_name)
    (found,) = select_units(open_findings(db, round_name, findings).units, "all", [unit])
    with db.reading() as session:
        year = find_round(session, round_name).year
        code = chain_head(session)
    number = format_number(_prefix(kind, settings), day.year, 0).replace("0号", "（预览）号")
    document = build_document(kind, found, round_name, year, settings, number, day, code)
    write_document_file(out, [document], document.title)
    return out


def issue_notices(
    db: Database,
    round_name: str,
    kind: str,
    out_dir: Path,
    *,
    selection: str = "deducted",
    units: Sequence[str] = (),
    issued_on: date | None = None,
    combined: Path | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    docx: bool = False,
) -> list[IssuedNotice]:
    """One numbered, stored PDF per chosen unit (``docx``: and its editable copy beside it,
    as does ``combined``). Each notice is its own transaction: a cancel keeps those already
    issued (they are real documents) and issues no more."""
    from app.documents.official.assembly import write_documents

    require(Permission.DOCUMENTS)
    _check_kind(kind)
    day = issued_on or date.today()
    settings = load_document_settings(db)
    _results, findings = round_findings(db, round_name)
    still = open_findings(db, round_name, findings)  # a notice lists only what is still open
    chosen = select_units(still.units, selection, units, still.settled)
    if not chosen:
        raise UserError(f"按“{SELECTIONS.get(selection, selection)}”没有选中任何单位，未印发文书")
    _check_all_drawable(db, round_name, kind, chosen, settings, day)
    with db.reading() as session:
        round_id = find_round(session, round_name).id
    # Each notice prints the chain's head as its check code; the state is verified once here,
    # and every notice after it is sealed by its own commit.
    require_verified(db, f"印发{kind}", round_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    finish_leftovers(db, out_dir)
    issued: list[IssuedNotice] = []
    documents: list[OfficialDocument] = []
    template = office_template(db, kind) if docx else None
    for done, found in enumerate(chosen):
        if cancelled is not None and cancelled():
            break
        notice, document = _issue_one(db, round_name, kind, found, settings, day, out_dir)
        if docx:
            copy = editable_copy(notice.path, [document], document.title, template)
            notice = replace(notice, docx=copy)
        issued.append(notice)
        documents.append(document)
        if progress is not None:
            progress(done + 1, len(chosen))
    if combined is not None and documents:
        write_atomically(
            combined, lambda temporary: write_documents(temporary, documents, f"{kind}（合订）")
        )
        if docx:
            editable_copy(combined, documents, f"{kind}（合订）")
    return issued


def _check_all_drawable(
    db: Database,
    round_name: str,
    kind: str,
    chosen: Sequence[UnitFindings],
    settings: DocumentSettings,
    day: date,
) -> None:
    """A character no font can draw stops the batch before its first number is taken, with
    the unit named, rather than halfway through it."""
    from app.documents.official.assembly import check_drawable

    with db.reading() as session:
        year = find_round(session, round_name).year
    for found in chosen:
        document = build_document(kind, found, round_name, year, settings, "", day, "")
        try:
            check_drawable([document])
        except UserError as error:
            raise UserError(f"给“{found.unit}”的{kind}无法印发：{error}") from error


def _issue_one(
    db: Database,
    round_name: str,
    kind: str,
    found: UnitFindings,
    settings: DocumentSettings,
    day: date,
    out_dir: Path,
) -> tuple[IssuedNotice, OfficialDocument]:
    from app.documents.official.assembly import write_documents

    with db.transaction() as session:
        round_ = find_round(session, round_name)
        unit_id = session.scalar(select(Unit.id).where(Unit.name == found.unit))
        serial, number = new_number(session, kind, day.year, _prefix(kind, settings))
        document = build_document(
            kind, found, round_name, round_.year, settings, number, day, chain_head(session)
        )
        path = out_dir / f"{safe_file_name(number)}-{safe_file_name(found.unit)}-{kind}.pdf"
        # The numbered file appears under its name only once its record is committed: a kill
        # in between leaves a hidden .staged file that the next issue into this folder finishes.
        staged = staged_name(path)
        write_atomically(
            staged, lambda temporary: write_documents(temporary, [document], document.title)
        )
        hide_file(staged)
        try:
            plan_due = add_months(day, settings.plan_months)
            result_due = add_months(day, settings.result_months)
            digest = record_notice(
                session,
                document,
                staged,
                path,
                kind=kind,
                serial=serial,
                round_id=round_.id,
                unit_id=unit_id,
                plan_due=plan_due,
                result_due=result_due,
                content=[
                    {
                        "指标": f.leaf_code,
                        "扣分": str(f.lost),
                        "理由": f.reason,
                        "评分人": f.assessor,
                    }
                    for f in found.findings
                ],
            )
            # The ledger made before or after: the unit's problems are registered if they are
            # not yet, and the notice gives them its number and deadlines.
            register_findings(session, round_, [found], day)
            link_problems_to_notice(session, round_.id, unit_id, number, plan_due, result_due)
            log_change(
                session,
                entity="文书",
                key=number,
                action="印发",
                old=None,
                new={"类型": kind, "单位": found.unit, "sha256": digest},
                round_id=round_.id,
            )
            changes = changes_of(session)
        except BaseException:
            staged.unlink(missing_ok=True)  # no record, no document
            raise
    publish_file(staged, path)
    issued = IssuedNotice(number, found.unit, kind, path, plan_due, result_due, changes)
    return issued, document


def file_digest(path: Path) -> str:
    """A notice's PDF as its record holds it, and as a staged file is matched to its record."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_notice(
    session: Session,
    document: OfficialDocument,
    staged: Path,
    path: Path,
    *,
    kind: str,
    serial: int,
    round_id: int | None,
    unit_id: int | None,
    plan_due: date | None,
    result_due: date | None,
    content: list[dict[str, str]],
) -> str:
    """An issued document (a notice or a 催办 letter) kept with the digest of its PDF, still
    staged, under the name ``path`` it takes once committed; returns the digest."""
    digest = file_digest(staged)
    notice = Notice(
        kind=kind,
        year=document.issued_on.year,
        serial=serial,
        number=document.number,
        round_id=round_id,
        unit_id=unit_id,
        title=document.title,
        issued_on=document.issued_on,
        plan_due=plan_due,
        result_due=result_due,
        pdf_sha256=digest,
        pdf_name=path.name,
        content=recorded_content(content, document),  # the document: its Word copy, later
        status=NOTICE_ISSUED,
        withdraw_reason="",
        issued_by=current_user(),
    )
    session.add(notice)
    session.flush()  # its id, for the register of numbers
    register_number(
        session,
        document.number,
        kind=kind,
        title=document.title,
        issued_on=document.issued_on,
        round_id=round_id,
        notice_id=notice.id,
    )
    return digest


def staged_name(path: Path) -> Path:
    """Where a numbered document is written until its record is committed (hidden)."""
    return path.with_name(f".{path.name}.{os.getpid()}.staged")


def publish_file(staged: Path, path: Path) -> None:
    """The committed document under its name."""
    try:
        os.replace(staged, path)
    except OSError as exc:  # e.g. a file of that name open in WPS: the notice stands
        raise UserError(
            f"文书已登记，但无法以 {path.name} 保存（{exc.strerror or exc}）；"
            f"文件暂存为 {staged.name}，关闭占用它的程序后再次印发到此文件夹即可补全"
        ) from exc


def finish_leftovers(db: Database, out_dir: Path) -> list[Path]:
    """What a killed issue left in ``out_dir``: a staged PDF whose notice was recorded gets
    its name; one with no record (the transaction never committed) is removed."""
    done: list[Path] = []
    if not out_dir.is_dir():
        return done
    for staged in out_dir.glob(".*.pdf.*.staged"):
        match = STAGED.match(staged.name)
        if match is None or process_alive(int(match.group(2))):
            continue
        digest = file_digest(staged)
        with db.reading() as session:
            name = session.scalar(select(Notice.pdf_name).where(Notice.pdf_sha256 == digest))
        if name is None:
            staged.unlink(missing_ok=True)
            continue
        target = out_dir / name
        os.replace(staged, target)
        done.append(target)
    return done
