"""What a 整改通知书 or 督办函 says: the unit's findings by area, the office's wording with its
placeholders filled, the deadlines — built as an official document, not yet numbered or drawn."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.documents.numbering import heading, without_enumeration
from app.services.publishing.office_settings import DocumentSettings, fill
from app.services.review.findings import UnitFindings
from app.services.rounds.deadlines import add_months

if TYPE_CHECKING:  # reportlab loads when a document is first drawn, not at program start
    from app.documents.official.model import Block, OfficialDocument

RECTIFICATION, SUPERVISION = "整改通知书", "督办函"


def problem_blocks(found: UnitFindings) -> list[Block]:
    """一、 存在的问题 → （一）area → 1. leaf：reason（扣x分）; the numbers the area and leaf
    names bring from the source ("一、依法履职", "7.依法决策") give way to these."""
    from app.documents.official.model import Block

    blocks: list[Block] = []
    areas: dict[str, list] = {}
    for finding in found.findings:
        areas.setdefault(finding.area_name, []).append(finding)
    for area_index, (area, items) in enumerate(areas.items(), start=1):
        blocks.append(Block("h2", heading(area_index, area)))
        for item_index, item in enumerate(items, start=1):
            lost = f"，扣{item.lost.normalize():f}分" if item.lost else ""
            name = without_enumeration(item.leaf_name)
            blocks.append(
                Block("h3", f"{item_index}.{name}：{item.reason}（{item.assessor}{lost}）。")
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
        blocks += problem_blocks(found)
    else:
        blocks.append(Block("para", "本次考核未发现扣分问题。"))
    blocks.append(Block("h1", "二、整改要求"))
    demands = [line.strip() for line in fill(settings.demands, values).splitlines() if line.strip()]
    for index, line in enumerate(demands, start=1):
        blocks.append(Block("para", heading(index, line)))  # a typed "1." gives way
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
                f"{f.leaf_code} {without_enumeration(f.leaf_name)}",
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
