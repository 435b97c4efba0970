"""notices / notice / report: the documents that leave the office."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.arguments import LazyChoices
from app.cli.common import parse_day, print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database


def _kind(args: argparse.Namespace) -> str:
    """--type as given, else the 整改通知书 (the parser names no default: its list of kinds
    is in the services, imported only when a command runs)."""
    from app.services.publishing.notice_wording import RECTIFICATION

    return str(args.type or RECTIFICATION)


def cmd_notices(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing import notices

    args.type = _kind(args)

    issued = notices.issue_notices(
        db,
        args.round,
        args.type,
        Path(args.out),
        selection=args.select,
        units=args.unit or (),
        issued_on=parse_day(args.date),
        combined=Path(args.combined) if args.combined else None,
        progress=lambda done, total: print(f"\r{done}/{total}", end="", flush=True),
        docx=args.docx,
    )
    print()
    for notice in issued:
        copy = f"  {notice.docx.name}" if notice.docx is not None else ""
        print(f"{notice.number}  {notice.unit}  {notice.path.name}{copy}")
    print(f"共印发 {len(issued)} 份{args.type}")


def cmd_preview(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing import notices

    args.type = _kind(args)

    path = notices.preview_notice(db, args.round, args.unit, args.type, Path(args.out))
    print(f"预览已保存到 {path}（未编号、未登记）")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing import notice_register

    rows = notice_register.list_notices(db)
    if args.json:
        print_json(
            [
                {
                    "number": n.number,
                    "kind": n.kind,
                    "unit": n.unit,
                    "round": n.round_name,
                    "issued_on": n.issued_on.isoformat(),
                    "plan_due": n.plan_due.isoformat() if n.plan_due else None,
                    "result_due": n.result_due.isoformat() if n.result_due else None,
                    "status": n.status,
                    "withdraw_reason": n.withdraw_reason,
                    "pdf": n.pdf_name,
                    "sha256": n.pdf_sha256,
                }
                for n in rows
            ]
        )
        return
    for n in rows:
        print(f"{n.number:<20} {n.kind} {n.unit:<16} {n.issued_on} {n.status}")


def cmd_withdraw(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing import notice_register

    notice_register.withdraw_notice(db, args.number, args.reason)
    print(f"已撤回 {args.number}")


def cmd_report(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.report_annex import default_annex_path
    from app.services.publishing.reports import report_pages, write_report

    if args.round is None:
        raise UserError("请用 --round 指定考核批次")
    if args.pages:
        pages = report_pages(db, args.round, args.number or "", reliability=args.reliability)
        print(
            f"通报 {pages.report} 页（排名表与图表）；附件 {pages.annex} 页（各单位得分明细，另册）"
        )
        return
    if not (args.pdf or args.xlsx or args.annex or args.per_unit):
        raise UserError("请用 --pdf、--annex、--per-unit 和/或 --xlsx 指定输出")
    if args.docx and not (args.pdf or args.per_unit):
        raise UserError("--docx 是 --pdf 或 --per-unit 的可编辑副本，请同时指定其一")
    pdf = Path(args.pdf) if args.pdf else None
    annex = Path(args.annex) if args.annex else None
    if annex is None and pdf is not None and not args.no_annex:
        # the score sheets the 通报 names as its 附件2 (附件3 after the 可靠性说明)
        annex = default_annex_path(pdf, args.reliability)
    per_unit = Path(args.per_unit) if args.per_unit else None
    written = write_report(
        db,
        args.round,
        pdf,
        Path(args.xlsx) if args.xlsx else None,
        annex=annex,
        per_unit=per_unit,
        number=args.number or "",
        issued_on=parse_day(args.date),
        docx=args.docx,
        reliability=args.reliability,
    )
    units = [p for p in written if per_unit is not None and p.parent == per_unit]
    for path in written:
        if path not in units:
            print(f"已生成 {path}")
    if per_unit is not None:
        print(f"已生成 {len(units)} 份单位得分明细 PDF 到 {per_unit}")


def cmd_unit_sheet(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.unit_sheets import write_unit_sheets

    both = not args.pdf and not args.xlsx and not args.docx  # none named: PDF and Excel
    written = write_unit_sheets(
        db,
        args.round,
        Path(args.out),
        unit=args.unit,
        pdf=args.pdf or both,
        xlsx=args.xlsx or both,
        docx=args.docx,
    )
    for path in written:
        print(f"已生成 {path}")


def cmd_template_register(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.word_templates import read_template, register_template

    args.type = _kind(args)

    _data, found = read_template(Path(args.file), args.type)
    register_template(db, args.type, Path(args.file))
    print(f"已登记{args.type}的 Word 模板 {Path(args.file).name}；占位符：{'、'.join(found)}")


def cmd_templates(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.word_templates import (
        RECTIFICATION,
        REPORT_KIND,
        list_templates,
        placeholder_meanings,
    )

    for template in list_templates(db):
        print(f"{template.kind}  {template.name}  占位符：{'、'.join(template.placeholders)}")
    for kind, label in ((RECTIFICATION, "整改通知书、督办函"), (REPORT_KIND, REPORT_KIND)):
        print(f"{label}可用的占位符：")
        for name, meaning in placeholder_meanings(kind).items():
            print(f"  {{{{ {name} }}}}  {meaning}")


def cmd_template_sample(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.template_samples import sample

    args.type = _kind(args)

    made = sample(db, args.type, args.round, Path(args.out))
    print(f"样例（{made.source}）已保存到 {made.path}（未编号、未登记）")


def cmd_notice_docx(db: Database, args: argparse.Namespace) -> None:
    from app.services.publishing.notice_copies import issued_word_copy

    written = issued_word_copy(db, args.number, Path(args.out))
    print(f"{args.number} 的 Word 副本（可编辑，以 PDF 为准）：{written}")


def register(sub: Any, add: Callable[..., Any]) -> None:
    kinds = LazyChoices("app.services.publishing.notices", "KINDS")
    template_kinds = LazyChoices("app.services.publishing.word_templates", "KINDS")
    selections = LazyChoices("app.services.publishing.notices", "SELECTIONS")
    kind_help = "文书种类：%(choices)s（默认整改通知书）"
    p = add("report", cmd_report, sub, help="考核结果通报：排名、图表；各单位得分明细另册")
    p.add_argument(
        "--round", help="考核批次（必填）"
    )  # not required: `report unit-sheet` has its own
    p.add_argument("--pdf", metavar="OUT.pdf", help="通报：排名表与图表")
    p.add_argument(
        "--annex",
        metavar="ANNEX.pdf",
        help="附件（各单位得分明细，另册，每单位一个书签）；默认与 --pdf 同目录",
    )
    p.add_argument("--no-annex", action="store_true", help="只生成通报，不生成附件")
    p.add_argument(
        "--reliability",
        action="store_true",
        help="通报附上“结果可靠性与评分一致性说明”（附件2，名次区间、考核组宽严等图表；"
        "各单位得分明细改为附件3）",
    )
    p.add_argument(
        "--per-unit", metavar="DIR", help="另将各单位得分明细每单位一份 PDF 存入此文件夹"
    )
    p.add_argument("--pages", action="store_true", help="只计算通报和附件的页数，不生成文件")
    p.add_argument("--xlsx", metavar="OUT.xlsx")
    p.add_argument(
        "--docx",
        action="store_true",
        help="另存可编辑的 Word 副本（与 --pdf 同名 .docx，以 PDF 为准；--per-unit 同）",
    )
    p.add_argument("--number", help="发文字号（可不填）")
    p.add_argument("--date", help="成文日期 YYYY-MM-DD（默认今天）")
    sheets = add(
        "unit-sheet",
        cmd_unit_sheet,
        p.add_subparsers(dest="report_action"),
        help="单位得分明细：逐项得分、计算过程（每单位一份 PDF 和/或 Excel）",
    )
    sheets.add_argument("--round", required=True)
    sheets.add_argument("--unit", help="只生成这个单位的（默认全部单位）")
    sheets.add_argument("--out", required=True, help="输出文件夹")
    sheets.add_argument(
        "--pdf", action="store_true", help="生成 PDF（与 --xlsx 都不写时两种都生成）"
    )
    sheets.add_argument("--xlsx", action="store_true", help="生成 Excel")
    sheets.add_argument("--docx", action="store_true", help="生成可编辑的 Word 文件")
    p = add("notices", cmd_notices, sub, help="批量印发督办函或整改通知书（PDF）")
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument(
        "--select",
        default="deducted",
        choices=selections,
        metavar="SELECT",
        help="按什么选择单位：%(choices)s（默认 %(default)s）",
    )
    p.add_argument("--unit", action="append", help="指定单位（可多次）；指定后不按 --select 选择")
    p.add_argument("--type", choices=kinds, metavar="TYPE", help=kind_help)
    p.add_argument("--combined", metavar="FILE.pdf", help="另存一份合订 PDF")
    p.add_argument(
        "--docx",
        action="store_true",
        help="每份 PDF 旁另存可编辑的 Word 副本（.docx，文号、校验码相同，以 PDF 为准）",
    )
    p.add_argument("--date", help="成文日期 YYYY-MM-DD（默认今天）")
    group = sub.add_parser("notice", help="已印发文书").add_subparsers(dest="action", required=True)
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    p = add("withdraw", cmd_withdraw, group)
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    p = add("docx", cmd_notice_docx, group, help="已印发文书的 Word 副本（按登记的全文重新生成）")
    p.add_argument("number", help="文号，如 云法办〔2026〕3号")
    p.add_argument("--out", required=True, help="输出的 .docx")
    p = add("template-register", cmd_template_register, group, help="登记本单位的 Word 模板")
    p.add_argument("file", help="模板 .docx（占位符如 {{ 文号 }}、{{ 主送单位 }}、{{ 正文 }}）")
    p.add_argument("--type", choices=template_kinds, metavar="TYPE", help=kind_help)
    add("templates", cmd_templates, group, help="已登记的 Word 模板和可用的占位符")
    p = add("template-sample", cmd_template_sample, group, help="用考核数据填一份模板样例")
    p.add_argument("--type", choices=template_kinds, metavar="TYPE", help=kind_help)
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="样例 .docx")
    p = add("preview", cmd_preview, group, help="预览一份文书（不编号、不登记）")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--type", choices=kinds, metavar="TYPE", help=kind_help)
    p.add_argument("--out", required=True, help="输出文件：.pdf，或 .docx（可编辑的 Word）")
