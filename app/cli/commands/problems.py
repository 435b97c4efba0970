"""problems: the rectification ledger (整改台账) from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli import arguments as _arguments
from app.cli.arguments import LazyChoices
from app.cli.common import parse_day, print_json
from app.cli.lazy import lazy

if TYPE_CHECKING:
    from app.models.database import Database
from app.errors import UserError

problem_registration = lazy("app.services.ledger.problem_registration")
problem_status = lazy("app.services.ledger.problem_status")
rectification_files = lazy("app.services.ledger.rectification_files")
ledger = lazy("app.services.ledger.problems")


def cmd_from_round(db: Database, args: argparse.Namespace) -> None:
    created = problem_registration.create_from_round(db, args.round, parse_day(args.date)).value
    print(f"已从“{args.round}”的扣分登记 {created} 个问题")


def cmd_add(db: Database, args: argparse.Namespace) -> None:
    number = problem_registration.add_problem(
        db,
        args.unit,
        args.source,
        args.text,
        source_ref=args.ref or "",
        found_on=parse_day(args.date),
        plan_due=parse_day(args.plan_due),
        result_due=parse_day(args.result_due),
    ).value
    print(f"已登记问题 {number}")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    rows = ledger.list_problems(
        db,
        unit=args.unit,
        status=args.status,
        overdue=args.overdue,
        due_within=args.due_within,
        today=parse_day(args.today),
    )
    if args.json:
        print_json(
            [
                {
                    "number": r.number,
                    "source": r.source,
                    "source_ref": r.source_ref,
                    "unit": r.unit,
                    "description": r.description,
                    "found_on": r.found_on.isoformat(),
                    "notice": r.notice_number,
                    "plan_due": r.plan_due.isoformat() if r.plan_due else None,
                    "result_due": r.result_due.isoformat() if r.result_due else None,
                    "status": r.status,
                    "overdue": r.overdue,
                }
                for r in rows
            ]
        )
        return
    for r in rows:
        late = "  逾期" if r.overdue else ""
        print(f"{r.number}  {r.status}  {r.unit}  {r.description[:30]}{late}")


def cmd_set_status(db: Database, args: argparse.Namespace) -> None:
    problem_status.set_status(db, args.number, args.status, args.reason)
    print(f"问题 {args.number} 已改为“{args.status}”")


def cmd_report(db: Database, args: argparse.Namespace) -> None:
    files = args.file or []
    problem_status.report_progress(
        db, args.number, args.text, args.evidence or "", args.done, files=files
    )
    attached = f"，附整改佐证 {len(files)} 个文件" if files else ""
    print(f"已记录问题 {args.number} 的整改进展{attached}")


def cmd_verify(db: Database, args: argparse.Namespace) -> None:
    if args.passed == args.reject:
        raise UserError("请指定 --pass 或 --reject 之一")
    problem_status.verify(db, args.number, args.passed, args.reason)
    print(f"问题 {args.number} " + ("核验通过，已销号" if args.passed else "已退回整改"))


def cmd_look_back(db: Database, args: argparse.Namespace) -> None:
    problem_status.look_back(db, args.number, args.reason)
    print(f"问题 {args.number} 已重新打开待核验（回头看）")


def cmd_history(db: Database, args: argparse.Namespace) -> None:
    files = rectification_files.problem_files(db, args.number)
    for e in ledger.history(db, args.number):
        change = f" {e.from_status}→{e.to_status}" if e.from_status != e.to_status else ""
        print(f"{e.at} {e.user} {e.kind}{change} {e.text} {e.evidence}".rstrip())
        for f in files.get(e.id, []):
            print(f"    整改佐证 {f.name}  {f.size} 字节  {f.sha256}")


def cmd_evidence_rule(db: Database, args: argparse.Namespace) -> None:
    if args.required is not None:
        rectification_files.set_evidence_required(db, args.required == "yes")
    required = rectification_files.evidence_required(db)
    print("销号前须有整改佐证（附文件的整改进展）" if required else "销号不要求整改佐证")


def cmd_stats(db: Database, args: argparse.Namespace) -> None:
    from app.services.ledger.statistics import (
        LedgerStats,
        export_ledger_report,
        ledger_report,
        ledger_report_docx,
        ledger_report_pdf,
    )

    today = parse_day(args.today)
    report = ledger_report(db, today)  # counted once: the lines, the tables and the files
    stats = LedgerStats.of(report)
    print(
        f"发现问题 {stats.found} 个，已销号 {stats.closed} 个，整改率 {stats.rate:.1%}，"
        f"逾期 {stats.overdue} 个"
    )
    for status, count in stats.by_status.items():
        print(f"  {status}：{count}")
    for title, table in (("来源", report.by_source), ("领域", report.by_area)):
        print(f"按{title}：")
        for key, t in table.items():
            print(
                f"  {key}：发现 {t.found}，销号 {t.closed}，整改率 {t.rate_text}，逾期 {t.overdue}"
            )
    if args.xlsx:
        print(f"已导出到 {export_ledger_report(db, args.xlsx, today, report)}")
    if args.pdf:
        print(f"已生成 {ledger_report_pdf(db, args.pdf, today, report)}")
    if args.docx:
        print(f"已生成 {ledger_report_docx(db, args.docx, today, report)}")


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    path = ledger.export_problems(db, args.file, unit=args.unit, today=parse_day(args.today))
    print(f"已导出到 {path}（黄色三列由责任单位填写：整改进展、佐证材料、已完成整改）")


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.ledger.exchange import import_ledger_file

    done = import_ledger_file(db, args.file)
    if done.kind == "进展":
        print(f"已记录 {done.count} 条整改进展")
        return
    print(
        f"已登记 {done.count} 个问题"
        + (f"：{done.numbers[0]}–{done.numbers[-1]}" if done.numbers else "")
    )
    if done.already:
        print(f"另有 {done.already} 个问题此前已导入，未重复登记")


def cmd_carry_over(db: Database, args: argparse.Namespace) -> None:
    from decimal import Decimal, InvalidOperation

    from app.services.ledger.carryover import carry_over, plan_carry_over

    try:
        per_problem = Decimal(args.per_problem)
    except InvalidOperation:
        raise UserError(f"每个问题的扣分“{args.per_problem}”不是数字") from None
    if not per_problem.is_finite():
        raise UserError(f"每个问题的扣分“{args.per_problem}”不是有限的数字")
    day = parse_day(args.today)
    if args.dry_run:
        plan = plan_carry_over(db, args.round, args.leaf, per_problem=per_problem, today=day)
    else:
        plan = carry_over(db, args.round, args.leaf, per_problem=per_problem, today=day).value
    hit = [p for p in plan if p.problems]
    for item in hit:
        print(
            f"{item.unit}：逾期问题 {len(item.problems)} 个，扣 {item.deduction.normalize():f} 分"
        )
    verb = "将结转" if args.dry_run else "已结转"
    print(f"{verb}：{len(hit)} 个单位有逾期未整改问题，{len(plan) - len(hit)} 个单位不扣分")


def cmd_remind(db: Database, args: argparse.Namespace) -> None:
    from pathlib import Path

    from app.services.publishing.reminders import issue_reminder

    sent = issue_reminder(
        db, args.unit, Path(args.out), today=parse_day(args.today), docx=args.docx
    )
    print(f"已印发催办函 {sent.number}（{len(sent.problems)} 个逾期问题）：{sent.path}")
    if sent.docx is not None:
        print(f"可编辑副本（Word，以 PDF 为准）：{sent.docx}")


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("problems", help="整改台账").add_subparsers(dest="action", required=True)
    p = add("from-round", cmd_from_round, group, help="由考核批次的扣分登记问题")
    p.add_argument("--round", required=True)
    p.add_argument("--date", help="发现日期（默认今天）")
    p = add("add", cmd_add, group, help="手工登记问题")
    p.add_argument("--unit", required=True)
    p.add_argument(
        "--source",
        required=True,
        choices=LazyChoices("app.models.ledger", "SOURCES"),
        metavar="SOURCE",
        help="问题来源：%(choices)s",
    )
    p.add_argument("--text", required=True)
    p.add_argument("--ref", help="来源文件或事项")
    p.add_argument("--date")
    p.add_argument("--plan-due")
    p.add_argument("--result-due")
    p = add("list", cmd_list, group)
    p.add_argument("--json", action="store_true")
    p.add_argument("--unit")
    p.add_argument(
        "--status",
        choices=LazyChoices("app.models.ledger", "STATUSES"),
        metavar="STATUS",
        help="状态：%(choices)s",
    )
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--due-within", type=_arguments.count, metavar="DAYS")
    p.add_argument("--today", help="按此日期判断逾期（YYYY-MM-DD）")
    p = add("set-status", cmd_set_status, group)
    p.add_argument("number")
    p.add_argument(
        "status",
        choices=LazyChoices("app.models.ledger", "STATUSES"),
        metavar="STATUS",
        help="状态：%(choices)s",
    )
    p.add_argument("--reason", required=True)
    p = add("report", cmd_report, group, help="记录整改进展")
    p.add_argument("number")
    p.add_argument("--text", required=True)
    p.add_argument("--evidence", help="佐证材料文件名")
    p.add_argument("--file", action="append", help="整改佐证文件（可重复），存入材料库")
    p.add_argument("--done", action="store_true", help="已完成整改，提请核验")
    p = add("verify", cmd_verify, group, help="核验：通过则销号，退回则继续整改")
    p.add_argument("number")
    p.add_argument("--pass", dest="passed", action="store_true")
    p.add_argument("--reject", action="store_true")
    p.add_argument("--reason", required=True)
    p = add("look-back", cmd_look_back, group, help="回头看：重新打开已销号的问题")
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    add("history", cmd_history, group).add_argument("number")
    p = add("evidence-rule", cmd_evidence_rule, group, help="销号前是否须有整改佐证")
    p.add_argument("--required", choices=("yes", "no"))
    p = add("stats", cmd_stats, group, help="统计：发现、销号、整改率、逾期，按单位/来源/领域/月份")
    p.add_argument("--today")
    p.add_argument("--xlsx", help="导出统计表（.xlsx）")
    p.add_argument("--pdf", help="生成统计摘要（PDF，含图表）")
    p.add_argument("--docx", help="生成统计摘要的可编辑 Word 文件（.docx，含图表）")
    p = add("export", cmd_export, group, help="导出台账，供责任单位填写整改进展")
    p.add_argument("file")
    p.add_argument("--unit")
    p.add_argument("--today")
    p = add(
        "import",
        cmd_import,
        group,
        help="导入台账：责任单位填写了进展的导出台账，或本办自己的问题清单（登记为新问题）",
    )
    p.add_argument("file")
    p = add(
        "carry-over",
        cmd_carry_over,
        group,
        help="结转：在下一考核批次的扣分指标上，为逾期未整改的问题扣分",
    )
    p.add_argument("--round", required=True, help="下一考核批次（草稿或评分中）")
    p.add_argument("--leaf", required=True, help="用于结转的扣分制末级指标编码")
    p.add_argument("--per-problem", default="1", help="每个逾期问题扣几分（默认 1，扣完为止）")
    p.add_argument("--today", help="按此日期判断逾期（默认今天）")
    p.add_argument("--dry-run", action="store_true", help="只显示将扣的分，不写入")
    p = add("remind", cmd_remind, group, help="对单位的逾期问题印发催办督办函")
    p.add_argument("--unit", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--today")
    p.add_argument(
        "--docx", action="store_true", help="PDF 旁另存可编辑的 Word 副本（以 PDF 为准）"
    )
