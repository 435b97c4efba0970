"""督办函 and 整改通知书: chosen units, their findings, the office's wording, one PDF each.

A notice is issued once: its number (机关代字〔年份〕序号, per year and type) is never reused,
its PDF's hash is stored, and the database refuses any change but a withdrawal with a reason.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.errors import NotFound, UserError
from app.filenames import file_part
from app.io.atomic import write_atomically
from app.models import Notice, Unit
from app.models.database import Database
from app.models.notices import NOTICE_ISSUED, NOTICE_WITHDRAWN
from app.models.sqlite_files import hide_file, process_alive
from app.services.access.audit import chain_head, current_user, log_change
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.ledger.problem_status import link_problems_to_notice
from app.services.progress import Progress
from app.services.publishing.office_settings import (
    DocumentSettings,
    check_settings,
    fill,
    load_document_settings,
)
from app.services.review.findings import UnitFindings, round_findings
from app.services.rounds.deadlines import add_months
from app.services.rounds.definition import find_round

if TYPE_CHECKING:  # reportlab loads when a document is first drawn, not at program start
    from app.documents.official.model import Block, OfficialDocument

RECTIFICATION, SUPERVISION = "整改通知书", "督办函"
KINDS = (RECTIFICATION, SUPERVISION)
SELECTIONS = {"不合格": "等次为不合格", "bottom": "排名靠后", "deducted": "有扣分", "all": "全部"}
CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class IssuedNotice:
    number: str
    unit: str
    kind: str
    path: Path
    plan_due: date
    result_due: date


@dataclass(frozen=True)
class NoticeInfo:
    number: str
    kind: str
    unit: str
    round_name: str | None
    issued_on: date
    plan_due: date | None
    result_due: date | None
    status: str
    withdraw_reason: str
    pdf_name: str
    pdf_sha256: str


STAGED = re.compile(r"^\.(.+\.pdf)\.(\d+)\.staged$")


def chinese_ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    if n < 20:
        return "十" + (CHINESE_NUMBERS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CHINESE_NUMBERS[tens - 1] + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


def select_units(
    findings: Sequence[UnitFindings], selection: str, chosen: Sequence[str] = ()
) -> list[UnitFindings]:
    """The units a batch goes to: by rule, or the ones picked by hand."""
    if chosen:
        known = {f.unit: f for f in findings}
        missing = [name for name in chosen if name not in known]
        if missing:
            raise NotFound(f"本批次中没有单位：{'、'.join(missing)}")
        return [known[name] for name in chosen]
    if selection == "all":
        return list(findings)
    if selection == "deducted":
        return [f for f in findings if f.findings]
    if selection == "bottom":
        return [f for f in findings if f.bottom]
    if selection == "不合格":
        return [f for f in findings if f.grade == "不合格"]
    raise UserError(f"选择方式“{selection}”无效；可选：{'、'.join(SELECTIONS)}")


def _problem_blocks(found: UnitFindings) -> list[Block]:
    """一、 存在的问题 → （一）area → 1. leaf：reason（扣x分）."""
    from app.documents.official.model import Block

    blocks: list[Block] = []
    areas: dict[str, list] = {}
    for finding in found.findings:
        areas.setdefault(finding.area_name, []).append(finding)
    for area_index, (area, items) in enumerate(areas.items(), start=1):
        blocks.append(Block("h2", f"（{chinese_ordinal(area_index)}）{area}"))
        for item_index, item in enumerate(items, start=1):
            lost = f"，扣{item.lost.normalize():f}分" if item.lost else ""
            blocks.append(
                Block(
                    "h3", f"{item_index}.{item.leaf_name}：{item.reason}（{item.assessor}{lost}）。"
                )
            )
    return blocks


def build_document(
    kind: str,
    found: UnitFindings,
    round_name: str,
    year: int,
    settings: DocumentSettings,
    number: str,
    issued_on: date,
    check_code: str,
) -> OfficialDocument:
    from app.documents.official.model import (
        FILE_LAYOUT,
        LETTER_LAYOUT,
        AttachmentTable,
        Block,
        OfficialDocument,
        chinese_date,
    )
    from app.documents.textfit import name_words

    plan_due = add_months(issued_on, settings.plan_months)
    result_due = add_months(issued_on, settings.result_months)
    values = {
        "单位": found.unit,
        "批次": f"《{round_name}》" if not round_name.startswith("《") else round_name,
        "年度": str(year),
        "得分": f"{found.final:.2f}",
        "等次": found.grade,
        "排名": str(found.category_rank),
        "计划期限": chinese_date(plan_due),
        "完成期限": chinese_date(result_due),
        "发文机关": settings.office_name,
    }
    intro = settings.rectification_intro if kind == RECTIFICATION else settings.supervision_intro
    blocks = [Block("para", fill(intro, values))]
    blocks.append(Block("h1", "一、存在的问题"))
    if found.findings:
        blocks += _problem_blocks(found)
    else:
        blocks.append(Block("para", "本次考核未发现扣分问题。"))
    blocks.append(Block("h1", "二、整改要求"))
    demands = [line.strip() for line in fill(settings.demands, values).splitlines() if line.strip()]
    for index, line in enumerate(demands, start=1):
        blocks.append(Block("para", f"（{chinese_ordinal(index)}）{line}"))
    if settings.contact.strip():
        blocks.append(Block("para", settings.contact.strip()))
    title_parts = (
        (
            "关于",
            *name_words(found.unit),
            f"{year}年度",
            "法治建设考核",
            "发现问题",
            "限期整改的通知",
        )
        if kind == RECTIFICATION
        else ("关于督促", *name_words(found.unit), "限期整改", "考核发现问题的函")
    )
    title = "".join(title_parts)
    table = AttachmentTable(
        f"{found.unit}扣分情况明细表",
        ("序号", "指标", "扣分", "扣分理由", "评分人"),
        (12, 50, 16, 52, 26),
        [
            (
                str(i),
                f"{f.leaf_code} {f.leaf_name}",
                f"{f.lost.normalize():f}",
                f.reason,
                f.assessor,
            )
            for i, f in enumerate(found.findings, start=1)
        ],
    )
    return OfficialDocument(
        layout=FILE_LAYOUT if kind == RECTIFICATION else LETTER_LAYOUT,
        issuer_mark=settings.file_mark if kind == RECTIFICATION else settings.letter_mark,
        number=number,
        title=title,
        title_parts=title_parts,
        addressee=found.unit,
        blocks=blocks,
        signature=settings.office_name,
        issued_on=issued_on,
        attachments=[table] if found.findings else [],
        cc=settings.cc,
        printer=settings.office_name if kind == RECTIFICATION else "",
        check_code=check_code,
        seal_png=settings.seal_bytes(),
    )


def _prefix(kind: str, settings: DocumentSettings) -> str:
    return settings.rectification_prefix if kind == RECTIFICATION else settings.supervision_prefix


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


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
    """The notice as it would be issued, marked as a preview and not numbered or stored.
    ``settings`` previews wording that is being edited and not saved yet."""
    from app.documents.official.assembly import write_documents

    _check_kind(kind)
    day = issued_on or date.today()
    if settings is None:
        settings = load_document_settings(db)
    else:
        check_settings(settings)
    _results, findings = round_findings(db, round_name)
    (found,) = select_units(findings, "all", [unit])
    with db.reading() as session:
        year = find_round(session, round_name).year
        code = chain_head(session)
    number = format_number(_prefix(kind, settings), day.year, 0).replace("0号", "（预览）号")
    document = build_document(kind, found, round_name, year, settings, number, day, code)
    write_atomically(out, lambda temporary: write_documents(temporary, [document], document.title))
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
) -> list[IssuedNotice]:
    """One numbered, stored PDF per chosen unit. Each notice is its own transaction: a cancel
    keeps those already issued (they are real documents) and issues no more."""
    from app.documents.official.assembly import write_documents

    require(Permission.DOCUMENTS)
    _check_kind(kind)
    day = issued_on or date.today()
    settings = load_document_settings(db)
    _results, findings = round_findings(db, round_name)
    chosen = select_units(findings, selection, units)
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
    for done, found in enumerate(chosen):
        if cancelled is not None and cancelled():
            break
        notice, document = _issue_one(db, round_name, kind, found, settings, day, out_dir)
        issued.append(notice)
        documents.append(document)
        if progress is not None:
            progress(done + 1, len(chosen))
    if combined is not None and documents:
        write_atomically(
            combined, lambda temporary: write_documents(temporary, documents, f"{kind}（合订）")
        )
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
        serial = 1 + (
            session.scalar(
                select(func.max(Notice.serial)).where(Notice.kind == kind, Notice.year == day.year)
            )
            or 0
        )
        number = format_number(_prefix(kind, settings), day.year, serial)
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
            digest = hashlib.sha256(staged.read_bytes()).hexdigest()
            plan_due = add_months(day, settings.plan_months)
            result_due = add_months(day, settings.result_months)
            session.add(
                Notice(
                    kind=kind,
                    year=day.year,
                    serial=serial,
                    number=number,
                    round_id=round_.id,
                    unit_id=unit_id,
                    title=document.title,
                    issued_on=day,
                    plan_due=plan_due,
                    result_due=result_due,
                    pdf_sha256=digest,
                    pdf_name=path.name,
                    content=[
                        {
                            "指标": f.leaf_code,
                            "扣分": str(f.lost),
                            "理由": f.reason,
                            "评分人": f.assessor,
                        }
                        for f in found.findings
                    ],
                    status=NOTICE_ISSUED,
                    withdraw_reason="",
                    issued_by=current_user(),
                )
            )
            link_problems_to_notice(
                session,
                round_.id,
                unit_id,
                number,
                day,
                settings.plan_months,
                settings.result_months,
            )
            log_change(
                session,
                entity="文书",
                key=number,
                action="印发",
                old=None,
                new={"类型": kind, "单位": found.unit, "sha256": digest},
                round_id=round_.id,
            )
            session.flush()
        except BaseException:
            staged.unlink(missing_ok=True)  # no record, no document
            raise
    publish_file(staged, path)
    return IssuedNotice(number, found.unit, kind, path, plan_due, result_due), document


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
        digest = hashlib.sha256(staged.read_bytes()).hexdigest()
        with db.reading() as session:
            name = session.scalar(select(Notice.pdf_name).where(Notice.pdf_sha256 == digest))
        if name is None:
            staged.unlink(missing_ok=True)
            continue
        target = out_dir / name
        os.replace(staged, target)
        done.append(target)
    return done


def list_notices(db: Database) -> list[NoticeInfo]:
    from app.models import Round

    with db.reading() as session:
        rows = session.execute(
            select(Notice, Unit.name, Round.name)
            .join(Unit, Unit.id == Notice.unit_id)
            .outerjoin(Round, Round.id == Notice.round_id)
            .order_by(Notice.issued_on, Notice.kind, Notice.serial)
        ).all()
        return [
            NoticeInfo(
                n.number,
                n.kind,
                unit,
                round_name,
                n.issued_on,
                n.plan_due,
                n.result_due,
                n.status,
                n.withdraw_reason,
                n.pdf_name,
                n.pdf_sha256,
            )
            for n, unit, round_name in rows
        ]


def withdraw_notice(db: Database, number: str, reason: str) -> None:
    require(Permission.DOCUMENTS)
    if not reason.strip():
        raise UserError("撤回文书必须说明理由")
    with db.transaction() as session:
        notice = session.scalar(select(Notice).where(Notice.number == number.strip()))
        if notice is None:
            raise NotFound(f"没有文号为“{number}”的文书")
        if notice.status == NOTICE_WITHDRAWN:
            raise UserError(f"文书“{number}”已于此前撤回")
        notice.status = NOTICE_WITHDRAWN
        notice.withdraw_reason = reason.strip()
        log_change(
            session,
            entity="文书",
            key=notice.number,
            action="撤回",
            old=NOTICE_ISSUED,
            new=NOTICE_WITHDRAWN,
            reason=reason.strip(),
            round_id=notice.round_id,
        )
