"""The command line: scripts every service the window uses (python -m app --db PATH COMMAND)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.cli.arguments import FIRST_YEAR, LAST_YEAR, count, finite_decimal, year
from app.cli.commands import register_all
from app.cli.common import parse_day
from app.demo.build import build_demo
from app.errors import StorageError, UserError, WorkbookError, os_reason
from app.io.reading_progress import reading_progress
from app.models.database import Database
from app.models.migrate import MigrationError
from app.models.opening import open_database, sqlite_path
from app.paths import default_database_path
from app.scoring.types import DEFAULT_GRADES, QuotaRounding, QuotaScope, QuotaTies, Rules
from app.services.access import accounts, audit
from app.services.access.actor import Actor, set_actor
from app.services.access.state_verify import (
    Verification,
    reseal_state,
    verify_database,
    verify_state,
)
from app.services.entry import assessor_sheets, satisfaction_exemptions, scores
from app.services.maintenance import backup_settings, backups, instance_lock, restore
from app.services.maintenance.check import check_database
from app.services.maintenance.health import DamagedDatabase, check_at_start, writable
from app.services.review import publication, publication_gate, quota, round_status
from app.services.review.explain import explain_json
from app.services.review.results import (
    export_results,
    results_json,
    visible_round_results,
)
from app.services.rounds import definition as rounds
from app.services.rounds import round_rules, rules_storage
from app.services.setup import frameworks, units

EXIT_OK, EXIT_USAGE_OR_INPUT, EXIT_INTERRUPTED = 0, 2, 130  # 130: 128 + SIGINT, as shells say


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_demo(db: Database, args: argparse.Namespace) -> None:
    summary = build_demo(db)
    print(summary)


def cmd_units_import(db: Database, args: argparse.Namespace) -> None:
    s = units.import_units(
        db, args.file, deactivate_missing=args.deactivate_missing, sheet=args.sheet
    )
    print(f"导入完成：新增 {s.added} 个，更新 {s.updated} 个，未变 {s.unchanged} 个单位")
    if s.deactivated:
        print(f"名单中没有的 {s.deactivated} 个单位已停用（未删除，评分保留）")
    if s.categories_added:
        print(f"新建类别：{'、'.join(s.categories_added)}")
    for line in s.passed_over:
        print(f"跳过：{line}")


def cmd_units_list(db: Database, args: argparse.Namespace) -> None:
    rows = units.list_units(db)
    if args.json:
        _print_json(
            [
                {
                    "name": u.name,
                    "short_name": u.short_name,
                    "category": u.category,
                    "order": u.order,
                    "active": u.active,
                }
                for u in rows
            ]
        )
        return
    for u in rows:
        print(f"{u.order:>4}  {u.name}  [{u.category or '未分类'}]{'' if u.active else '（停用）'}")


def cmd_framework_import(db: Database, args: argparse.Namespace) -> None:
    info = frameworks.import_framework(
        db, args.file, args.name, replace=args.replace, sheet_name=args.sheet
    )
    print(
        f"已导入指标体系“{info.name}”：{info.areas} 个一级指标，{info.leaves} 个末级指标，"
        f"合计 {info.points} 分"
    )
    if info.rules_read:
        print(f"其中 {len(info.rules_read)} 项未填评分方式，已按评分标准识别评分规则（请核对）：")
        for code, name, note in info.rules_read[:20]:
            print(f"  {code} {name}：{note}")
        if len(info.rules_read) > 20:
            print(f"  ……另有 {len(info.rules_read) - 20} 项，见“framework show”")


def cmd_framework_export(db: Database, args: argparse.Namespace) -> None:
    print(f"已导出到 {frameworks.export_framework(db, args.name, args.out)}")


def cmd_units_export(db: Database, args: argparse.Namespace) -> None:
    print(f"已导出到 {units.export_units(db, args.out)}")


def cmd_framework_list(db: Database, args: argparse.Namespace) -> None:
    rows = frameworks.list_frameworks(db)
    if args.json:
        _print_json(
            [
                {"name": f.name, "areas": f.areas, "leaves": f.leaves, "points": f"{f.points:.2f}"}
                for f in rows
            ]
        )
        return
    for f in rows:
        print(f"{f.name}：{f.areas} 个一级指标，{f.leaves} 个末级指标，{f.points} 分")


def cmd_framework_show(db: Database, args: argparse.Namespace) -> None:
    tree = frameworks.get_framework_tree(db, args.name)
    if args.json:
        _print_json({"name": args.name, "children": [node.to_json() for node in tree]})
        return

    def show(nodes: Sequence[frameworks.TreeNode], depth: int) -> None:
        for node in nodes:
            print(f"{'  ' * depth}{node.code} {node.name}（{node.points}分，{node.method}）")
            show(node.children, depth + 1)

    show(tree, 0)


def cmd_round_create(db: Database, args: argparse.Namespace) -> None:
    rules = Rules(
        satisfaction_weight=args.satisfaction_weight,
        bonus_cap=args.bonus_cap,
        trim_from=args.trim_from,
        grades=rules_storage.parse_grades(args.grades) if args.grades else DEFAULT_GRADES,
        category_grades=rules_storage.parse_category_grades("\n".join(args.category_grades)),
        top_quota=args.top_quota,
        bottom_n=args.bottom_n,
        quota_scope=QuotaScope(args.quota_scope),
        quota_rounding=QuotaRounding(args.quota_rounding),
        quota_ties=QuotaTies(args.quota_ties),
    )
    info = rounds.create_round(
        db,
        name=args.name,
        framework=args.framework,
        year=args.year,
        rules=rules,
        units=_names(args.units),
        categories=_names(args.categories),
        deadlines=rounds.Deadlines(
            parse_day(args.scoring_due),
            parse_day(args.objection_due),
            parse_day(args.publication_due),
        ),
    )
    print(f"已创建考核批次“{info.name}”（{info.year} 年，{info.units} 个单位参加）")
    for line in quota.quota_warnings(db, info.name):
        print(f"提示：{line}")


def cmd_round_rules(db: Database, args: argparse.Namespace) -> None:
    """Change only the rules given; the rest stay as they are."""
    current = next((r.rules for r in rounds.list_rounds(db) if r.name == args.round), None)
    if current is None:
        raise UserError(f"没有名为“{args.round}”的考核批次")
    given: dict[str, Any] = {}
    for field in ("satisfaction_weight", "bonus_cap", "trim_from", "top_quota", "bottom_n"):
        if getattr(args, field) is not None:
            given[field] = getattr(args, field)
    for field, kind in (
        ("quota_scope", QuotaScope),
        ("quota_rounding", QuotaRounding),
        ("quota_ties", QuotaTies),
    ):
        if getattr(args, field) is not None:
            given[field] = kind(getattr(args, field))
    if args.grades is not None:
        given["grades"] = rules_storage.parse_grades(args.grades)
    if args.category_grades:
        given["category_grades"] = rules_storage.parse_category_grades(
            "\n".join(args.category_grades)
        )
    if args.no_top_quota:
        given["top_quota"] = None
    if args.no_satisfaction:
        given["satisfaction_weight"] = None
    change = round_rules.update_rules(db, args.round, replace(current, **given), args.reason or "")
    if not change.any:
        print("规则没有变化")
        return
    print(f"已修改考核批次“{args.round}”的规则：{'、'.join(change.changed)}（已记入变更记录）")
    for line in quota.quota_warnings(db, args.round):
        print(f"提示：{line}")


def _names(text: str | None) -> list[str] | None:
    """ "甲,乙、丙" -> the names; None when the option was not given."""
    if text is None:
        return None
    return [n.strip() for n in text.replace("、", ",").replace("，", ",").split(",") if n.strip()]


def cmd_round_list(db: Database, args: argparse.Namespace) -> None:
    rows = rounds.list_rounds(db)
    if args.json:
        _print_json(
            [
                {
                    "name": r.name,
                    "year": r.year,
                    "framework": r.framework,
                    "status": r.status,
                    "units": r.units,
                    "deadlines": {
                        "scoring": _iso(r.deadlines.scoring),
                        "objections": _iso(r.deadlines.objections),
                        "publication": _iso(r.deadlines.publication),
                    },
                    "category_grades": {
                        category: [[b.name, str(b.minimum)] for b in bands]
                        for category, bands in r.rules.category_grades.items()
                    },
                    "top_quota": None if r.rules.top_quota is None else str(r.rules.top_quota),
                    "quota_scope": str(r.rules.quota_scope),
                    "quota_rounding": str(r.rules.quota_rounding),
                    "quota_ties": str(r.rules.quota_ties),
                    "bottom_n": r.rules.bottom_n,
                    "satisfaction_exempt": sorted(r.rules.satisfaction_exempt),
                }
                for r in rows
            ]
        )
        return
    for r in rows:
        dates = "，".join(f"{label} {d}" for d, label in r.deadlines.labelled() if d)
        print(
            f"{r.year}  {r.name}  [{r.status}]  {r.framework}  {r.units} 个单位"
            + (f"  （{dates}）" if dates else "")
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def cmd_round_check(db: Database, args: argparse.Namespace) -> None:
    report = publication_gate.check_round(db, args.round)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    print(f"考核批次“{args.round}”（{report.status}）发布前检查：")
    print("\n".join(report.summary(limit=args.limit)) or "没有发现问题，可以发布")


def cmd_round_publish(db: Database, args: argparse.Namespace) -> None:
    if args.override and not args.reason:
        raise UserError("--override 须同时用 --reason 说明越过检查的理由")
    if args.reason and not args.override:
        raise UserError("--reason 只与 --override 一起使用")
    override = args.reason if args.override else None
    report = publication.publish(db, args.round, override_reason=override)
    if report.blocking:
        print(f"已越过 {len(report.blocking)} 项问题发布（已记入变更记录）：")
        print("\n".join(report.summary()))
    print(f"考核批次“{args.round}”已发布，此后为只读")


def cmd_round_reopen(db: Database, args: argparse.Namespace) -> None:
    rounds.reopen_round(db, args.round, args.reason)
    print(f"考核批次“{args.round}”已重新打开（状态：{rounds.REOPENED_STATUS}），理由已记录")


def cmd_round_status(db: Database, args: argparse.Namespace) -> None:
    report = round_status.change_status(
        db, args.round, args.to, args.reason or "", publicity_until=parse_day(args.until)
    )
    if report is not None and report.blocking:
        print(f"注意：仍有 {len(report.blocking)} 项问题（理由已记入变更记录）：")
        print("\n".join(report.summary()))
    print(f"考核批次“{args.round}”状态已改为“{args.to}”")


def cmd_sheets_export(db: Database, args: argparse.Namespace) -> None:
    paths = assessor_sheets.export_sheets(db, args.round, Path(args.out))
    for path in paths:
        print(f"已导出 {path}")
    print(f"共 {len(paths)} 份评分表")


def cmd_sheets_import(db: Database, args: argparse.Namespace) -> None:
    problems: list[str] = []
    for file in args.files:
        try:
            diffs = assessor_sheets.import_sheet(db, args.round, Path(file))
        except WorkbookError as error:
            problems += [f"错误：{p}" for p in error.problems]
            print(f"{Path(file).name}：未导入（{len(error.problems)} 处问题）", file=sys.stderr)
            continue
        print(f"{Path(file).name}：{len(diffs)} 格有变化")
        for diff in diffs:
            print(
                f"  {diff.unit} {diff.leaf}：{diff.old or '（空）'} → {diff.new}"
                + (f"（{diff.reason}）" if diff.reason else "")
            )
            if diff.warning:
                print(f"  提醒：{diff.warning}")
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        raise SystemExit(EXIT_USAGE_OR_INPUT)


def cmd_scores_import(db: Database, args: argparse.Namespace) -> None:
    print("\n".join(scores.import_scores(db, args.file, args.round).lines()))


def cmd_satisfaction_import(db: Database, args: argparse.Namespace) -> None:
    weights = _weights(args.weights) if args.weights else scores.DEFAULT_WEIGHTS
    s = scores.import_satisfaction(db, args.file, args.round, weights)
    print("\n".join(s.lines()))


def cmd_satisfaction_exempt(db: Database, args: argparse.Namespace) -> None:
    if args.withdraw:
        done = satisfaction_exemptions.withdraw_exemption(db, args.round, args.unit, args.reason)
        print(f"已取消“{args.unit}”的满意度免测" if done else f"“{args.unit}”未设免测，未变化")
        return
    done = satisfaction_exemptions.exempt_unit(db, args.round, args.unit, args.reason)
    print(f"已设“{args.unit}”免于满意度测评" if done else f"“{args.unit}”已是免测，未变化")


def _weights(text: str) -> tuple[Decimal, Decimal, Decimal]:
    """--weights 100,60,0: the scores a 满意, 基本满意 and 不满意 vote are worth."""
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    try:
        values = tuple(Decimal(p) for p in parts)
    except InvalidOperation:
        raise UserError(f"权重“{text}”无效，应写成 100,60,0") from None
    if not all(v.is_finite() for v in values):
        raise UserError(f"权重“{text}”应为有限的数字，如 100,60,0")
    if len(values) != 3:
        raise UserError(f"权重“{text}”应为三个数：满意,基本满意,不满意")
    return values  # type: ignore[return-value]


def cmd_results(db: Database, args: argparse.Namespace) -> None:
    if args.explain:
        explained = explain_json(db, args.round, args.unit)
        if args.unit is None:  # a whole round is read by a program: compact, and 5x faster
            print(json.dumps(explained, ensure_ascii=False, separators=(",", ":")))
        else:
            _print_json(explained)
        return
    if args.unit:
        raise UserError("--unit 只能与 --explain 一起使用")
    if args.xlsx:
        print(f"已导出到 {export_results(db, args.round, args.xlsx)}")
        return
    data = results_json(visible_round_results(db, args.round))
    if args.json:
        _print_json(data)
        return
    print(f"{data['round']}（满分 {data['full_marks']}）")
    for u in data["units"]:
        flags = "".join(
            [
                " 一票否决" if u["veto"] else "",
                " 排名靠后" if u["bottom"] else "",
                *(f" {reason}" for reason in u["incomplete"]),
            ]
        )
        print(
            f"{u['rank']:>4} {u['final']:>7} {u['grade']:<4} {u['unit']} "
            f"[{u['category']} 第{u['category_rank']}名]{flags}"
        )


def cmd_check(db: Database, args: argparse.Namespace) -> None:
    problems = check_database(db)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise SystemExit(EXIT_USAGE_OR_INPUT)
    print("检查通过：数据库完整，指标树一致，数据与变更记录一致")


def cmd_audit_verify(db: Database, args: argparse.Namespace) -> None:
    """The chain of records, then the state against it (issue 15 §1); exit 2 when either fails."""
    verification = verify_database(db)
    if args.json:
        _print_json(verification.as_json())
    else:
        for line, failed in verification_lines(verification):
            print(line, file=sys.stderr if failed else sys.stdout)
    if not verification.ok:
        raise SystemExit(EXIT_USAGE_OR_INPUT)


def verification_lines(verification: Verification) -> list[tuple[str, bool]]:
    """What `audit verify` prints: (line, whether it reports a failure)."""
    chain, state = verification.chain, verification.state
    lines = []
    if chain.first_broken is not None:
        lines.append((f"变更记录链校验失败：{chain.problem}（共检查 {chain.records} 条）", True))
    else:
        head = f"变更记录链完整：{chain.records} 条记录，链头校验码 {chain.short_code}"
        lines.append((head, False))
    if state is None:
        lines.append(("数据状态：此数据库来自封存数据状态之前的版本，只校验了变更记录链", False))
    elif state.ok:
        lines.append(
            (
                f"数据与变更记录一致：{state.groups} 组 {state.rows} 行，"
                f"状态摘要 {state.short_code}（{state.seconds:.2f} 秒）",
                False,
            )
        )
    else:
        lines.append(("数据与变更记录不一致：数据在程序之外被改动", True))
        lines += [(line, True) for line in state.summary(limit=200)]
    return lines


def cmd_audit_reseal(db: Database, args: argparse.Namespace) -> None:
    found = reseal_state(db, args.reason)
    if not found.differences and not found.problems:
        print("数据与变更记录一致，无需重新封存")
        return
    print(
        f"已重新封存：确认了 {len(found.differences)} 处程序外的改动"
        f"{'和封存记录的问题' if found.problems else ''}，已记入变更记录（理由：{args.reason}）"
    )


def cmd_audit_export(db: Database, args: argparse.Namespace) -> None:
    round_id = _round_id(db, args.round) if args.round else None
    print(f"已导出到 {audit.export_changes(db, args.out, round_id)}")


def _round_id(db: Database, name: str) -> int:
    found = next((r.id for r in rounds.list_rounds(db) if r.name == name), None)
    if found is None:
        raise UserError(f"没有名为“{name}”的考核批次")
    return found


def cmd_audit_list(db: Database, args: argparse.Namespace) -> None:
    round_id = _round_id(db, args.round) if args.round else None
    lines = audit.list_changes(db, round_id)
    if args.json:
        _print_json(
            [
                {
                    "id": x.id,
                    "at": x.at.isoformat(timespec="seconds"),
                    "user": x.user,
                    "entity": x.entity,
                    "key": x.key,
                    "action": x.action,
                    "old": x.old,
                    "new": x.new,
                    "reason": x.reason,
                    "source": x.source,
                }
                for x in lines
            ]
        )
        return
    for x in lines:
        print(f"{x.id:>6} {x.at:%Y-%m-%d %H:%M} {x.user} {x.action}{x.entity} {x.key}")


def cmd_backup_create(db: Database, args: argparse.Namespace) -> None:
    path = backups.manual_backup(db, Path(args.out) if args.out else None)
    print(f"已备份到 {path}")


def cmd_backup_list(db: Database, args: argparse.Namespace) -> None:
    rows = backups.list_backups(backups.backup_folder(db))
    if args.json:
        _print_json(
            [
                {
                    "file": str(b.path),
                    "when": b.when.isoformat(timespec="seconds"),
                    "reason": b.reason,
                    "size": b.size,
                    "rounds": b.rounds,
                }
                for b in rows
            ]
        )
        return
    for b in rows:
        print(f"{b.when:%Y-%m-%d %H:%M:%S}  {b.reason:<10} {b.size // 1024:>6} KB  {b.path.name}")


def cmd_backup_restore(db: Database, args: argparse.Namespace) -> None:
    if db.path is not None:
        restore.refuse_the_file_itself(db.path, Path(args.file))
    inside = backups.describe_backup(Path(args.file))
    safety = restore.restore_backup(db, Path(args.file), args.reason)
    print(
        f"已从 {args.file} 恢复（考核批次：{'、'.join(inside.rounds) or '无'}；"
        f"单位 {inside.units} 个，评分记录 {inside.score_entries} 条；已记入变更记录）"
    )
    print(f"恢复前的数据已备份到 {safety}（不会被自动轮换删除）")


def cmd_backup_folder(db: Database, args: argparse.Namespace) -> None:
    """Show or change where backups go (a setting of this computer; changing it is an
    administrator's act, logged in the database's change log)."""
    if args.reset:
        backup_settings.set_backup_folder(db, None)
    elif args.path is not None:
        backup_settings.set_backup_folder(db, args.path)
    print(f"备份文件夹：{backups.backup_folder(db)}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kaoping", description="法治建设考核评分系统")
    parser.add_argument("--db", help="数据库文件路径或完整的数据库 URL（默认在用户数据目录）")
    parser.add_argument(
        "--user",
        help="以此账户登录（设有多个账户时必填；密码取自环境变量 KAOPING_PASSWORD 或提示输入）",
    )
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="DIR",
        help="自检：在临时文件夹（或 DIR）中逐项检查导入、计算、Excel、PDF、图表和窗口",
    )
    parser.add_argument("--screenshot", metavar="OUT.png", help="离屏渲染主窗口并保存截图")
    parser.add_argument("--page", default=None, help="截图时显示的页面")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, handler: Callable[..., None], parent: Any = sub, **kw: Any) -> Any:
        p = parent.add_parser(name, **kw)
        p.set_defaults(handler=handler)
        return p

    add("demo", cmd_demo, help="生成完整的演示数据")
    units_p = sub.add_parser("units", help="考核对象").add_subparsers(dest="action", required=True)
    p = add("import", cmd_units_import, units_p)
    p.add_argument("file")
    p.add_argument("--deactivate-missing", action="store_true", help="停用名单中没有的单位")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_units_list, units_p).add_argument("--json", action="store_true")
    add("export", cmd_units_export, units_p).add_argument("--out", required=True)

    fw = sub.add_parser("framework", help="指标体系").add_subparsers(dest="action", required=True)
    p = add("import", cmd_framework_import, fw)
    p.add_argument("file")
    p.add_argument("--name", required=True)
    p.add_argument("--replace", action="store_true", help="覆盖同名指标体系")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_framework_list, fw).add_argument("--json", action="store_true")
    p = add("export", cmd_framework_export, fw)
    p.add_argument("name")
    p.add_argument("--out", required=True)
    p = add("show", cmd_framework_show, fw)
    p.add_argument("name")
    p.add_argument("--json", action="store_true")

    rd = sub.add_parser("round", help="考核批次").add_subparsers(dest="action", required=True)
    p = add("create", cmd_round_create, rd)
    p.add_argument("--name", required=True)
    p.add_argument("--framework", required=True)
    p.add_argument("--year", type=year, required=True, help=f"{FIRST_YEAR}–{LAST_YEAR}")
    p.add_argument("--satisfaction-weight", type=finite_decimal)
    p.add_argument("--bonus-cap", type=finite_decimal)
    p.add_argument("--trim-from", type=count, default=5)
    p.add_argument("--grades")
    p.add_argument("--top-quota", type=finite_decimal)
    p.add_argument("--bottom-n", type=count, default=0)
    p.add_argument(
        "--quota-scope",
        choices=[str(v) for v in QuotaScope],
        default=str(QuotaScope.CATEGORY),
        help="优秀比例按类别（category）还是全体（round）计算名额",
    )
    p.add_argument(
        "--quota-rounding",
        choices=[str(v) for v in QuotaRounding],
        default=str(QuotaRounding.FLOOR),
        help="名额 = 比例 × 单位数，向下取整（floor）或四舍五入（half-up）",
    )
    p.add_argument(
        "--quota-ties",
        choices=[str(v) for v in QuotaTies],
        default=str(QuotaTies.SHARE),
        help="名额线上并列：都保留优秀（share）或都不保留（exclude）",
    )
    p.add_argument(
        "--category-grades",
        action="append",
        default=[],
        metavar="类别=优秀:90,良好:80,…",
        help="某类别单位的等次分数线（可多次给出）",
    )
    p.add_argument("--units", help="只考核这些单位（逗号或顿号分隔）")
    p.add_argument("--categories", help="只考核这些类别的在用单位（逗号或顿号分隔）")
    p.add_argument("--scoring-due", metavar="YYYY-MM-DD", help="评分截止日期")
    p.add_argument("--objection-due", metavar="YYYY-MM-DD", help="申辩截止日期")
    p.add_argument("--publication-due", metavar="YYYY-MM-DD", help="公示截止日期")
    add("list", cmd_round_list, rd).add_argument("--json", action="store_true")
    p = add("rules", cmd_round_rules, rd, help="修改规则（发布前）：只改给出的项")
    p.add_argument("--round", required=True)
    p.add_argument("--satisfaction-weight", type=finite_decimal)
    p.add_argument("--no-satisfaction", action="store_true", help="不计满意度")
    p.add_argument("--bonus-cap", type=finite_decimal)
    p.add_argument("--trim-from", type=count)
    p.add_argument("--grades")
    p.add_argument("--category-grades", action="append", default=[], metavar="类别=优秀:90,…")
    p.add_argument("--top-quota", type=finite_decimal)
    p.add_argument("--no-top-quota", action="store_true", help="不限优秀比例")
    p.add_argument("--bottom-n", type=count)
    p.add_argument("--quota-scope", choices=[str(v) for v in QuotaScope])
    p.add_argument("--quota-rounding", choices=[str(v) for v in QuotaRounding])
    p.add_argument("--quota-ties", choices=[str(v) for v in QuotaTies])
    p.add_argument("--reason", help="修改理由（记入变更记录）")
    p = add("check", cmd_round_check, rd, help="发布前检查：列出不能发布的问题和需要注意的事项")
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=count, default=20, help="每部分最多列出几项（默认 20）")
    p = add("publish", cmd_round_publish, rd, help="发布（只能从“公示中”，须通过发布前检查）")
    p.add_argument("--round", required=True)
    p.add_argument("--override", action="store_true", help="管理员：有问题仍发布（须说明理由）")
    p.add_argument("--reason", help="越过检查的理由（与 --override 一起）")
    p = add("status", cmd_round_status, rd, help="改变状态：草稿/评分中/审核中/公示中/已发布")
    p.add_argument("--round", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--reason", help="退回上一状态时必填；带未解决的问题进入公示时也须说明")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="推进到“公示中”时设定公示截止日期")
    p = add("reopen", cmd_round_reopen, rd)
    p.add_argument("--round", required=True)
    p.add_argument("--reason", required=True)

    sh = sub.add_parser("sheets", help="评分人离线评分表").add_subparsers(
        dest="action", required=True
    )
    p = add("export", cmd_sheets_export, sh)
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
    p = add("import", cmd_sheets_import, sh)
    p.add_argument("--round", required=True)
    p.add_argument("files", nargs="+")
    sc = sub.add_parser("scores", help="评分").add_subparsers(dest="action", required=True)
    p = add("import", cmd_scores_import, sc)
    p.add_argument("file")
    p.add_argument("--round", required=True)
    sat = sub.add_parser("satisfaction", help="满意度").add_subparsers(dest="action", required=True)
    p = add("import", cmd_satisfaction_import, sat, help="满意度得分，或满意/基本满意/不满意票数")
    p.add_argument("file")
    p.add_argument("--round", required=True)
    p.add_argument("--weights", help="票数折算分值：满意,基本满意,不满意（默认 100,60,0）")
    p = add("exempt", cmd_satisfaction_exempt, sat, help="单位免于满意度测评（如改由履职评议）")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--withdraw", action="store_true", help="取消免测")

    p = add("results", cmd_results, help="计算并显示考核结果")
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", metavar="FILE", help="导出排名到 Excel 文件")
    p.add_argument("--explain", action="store_true", help="逐项列出得分的计算过程（JSON）")
    p.add_argument("--unit", help="只解释这个单位（与 --explain 一起用）")
    add("check", cmd_check, help="检查数据库完整性与指标树一致性")
    bk = sub.add_parser("backup", help="备份与恢复").add_subparsers(dest="action", required=True)
    add("create", cmd_backup_create, bk).add_argument("--out", help="备份到指定文件")
    add("list", cmd_backup_list, bk).add_argument("--json", action="store_true")
    p = add("restore", cmd_backup_restore, bk, help="管理员：用一份备份替换当前数据")
    p.add_argument("file")
    p.add_argument("--reason", required=True, help="恢复的理由（记入变更记录）")
    p = add("folder", cmd_backup_folder, bk, help="显示或更改备份文件夹（更改须管理员）")
    p.add_argument("path", nargs="?")
    p.add_argument("--reset", action="store_true", help="恢复默认（数据库旁的 backups 文件夹）")
    au = sub.add_parser("audit", help="变更记录").add_subparsers(dest="action", required=True)
    p = add("verify", cmd_audit_verify, au, help="校验变更记录链，并校验数据与变更记录一致")
    p.add_argument("--json", action="store_true")
    p = add(
        "reseal",
        cmd_audit_reseal,
        au,
        help="确认程序外的改动并重新封存（仅管理员；须说明理由，记入变更记录）",
    )
    p.add_argument("--reason", required=True)
    p = add("list", cmd_audit_list, au)
    p.add_argument("--json", action="store_true")
    p.add_argument("--round")
    p = add("export", cmd_audit_export, au, help="导出变更记录（.xlsx，带校验码）")
    p.add_argument("--out", required=True)
    p.add_argument("--round")
    register_all(sub, add)
    return parser


# Commands that only read the database: on a medium that cannot be written (a read-only
# folder or disk, a full disk that cannot hold the lock file) they still run, read-only.
READ_ONLY_COMMANDS = frozenset(
    {
        cmd_results,
        cmd_round_list,
        cmd_round_check,
        cmd_check,
        cmd_audit_verify,
        cmd_audit_list,
        cmd_audit_export,
        cmd_units_list,
        cmd_units_export,
        cmd_framework_list,
        cmd_framework_show,
        cmd_framework_export,
        cmd_backup_list,
    }
)


def _open_for(args: argparse.Namespace, target: str) -> tuple[Database, Any]:
    """The lock, the start check and the open database for one command. A reader on a medium
    that cannot be written opens the file read-only without a lock (no writer can work
    there either); anything else is refused there with a message."""
    file_path = sqlite_path(target)
    if file_path is None:
        return open_database(target), None
    reader = args.handler in READ_ONLY_COMMANDS
    lock = None
    if writable(file_path):
        try:
            lock = instance_lock.acquire(file_path)
        except instance_lock.LockUnavailable:
            if not reader:
                raise
    elif not reader:
        raise StorageError(
            f"数据库 {file_path} 所在的位置只读（{file_path.parent}），只能查看，不能修改；"
            "请把数据库复制到可写的文件夹后再做修改"
        )
    try:
        check_at_start(file_path)
        if lock is not None:
            backups.tidy_backup_folder(file_path)
        return open_database(target, read_only=lock is None), lock
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _restore_damaged(args: argparse.Namespace, damaged: DamagedDatabase) -> int:
    """`backup restore` on a file that failed its integrity check: an administrator of the
    data (password checked when it has accounts) with a reason; holding the lock."""
    file_path = damaged.path
    lock = instance_lock.acquire(file_path)
    try:
        check_at_start(file_path)  # under the lock: still damaged, not merely busy
        print(f"错误：{damaged}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except DamagedDatabase:
        actor = restore.damaged_restore_actor(file_path, Path(args.file), args.user, _password)
        safety = restore.restore_damaged(file_path, Path(args.file), args.reason, actor)
        print(
            f"数据库已损坏；已由“{actor.username}”从 {args.file} 恢复（已记入变更记录），"
            f"损坏的文件另存为 {safety}"
        )
        return EXIT_OK
    finally:
        lock.release()


def run_command(args: argparse.Namespace) -> int:
    """Run one command; the user's mistakes exit 2 with a message per problem."""
    target = args.db if args.db is not None else str(default_database_path())
    try:
        db, lock = _open_for(args, target)
    except DamagedDatabase as damaged:
        if args.handler is not cmd_backup_restore:
            print(f"错误：{damaged}", file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
        try:
            return _restore_damaged(args, damaged)
        except (MigrationError, UserError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
    except (MigrationError, UserError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    head = None
    try:
        head = audit.latest_change(db)
        set_actor(_who_acts(db, args.user))
        _refuse_until_password_changed(args)
        if args.handler not in (cmd_audit_verify, cmd_audit_reseal, cmd_check):
            _warn_if_state_differs(db)
        with reading_progress(_ReadingProgress()):
            args.handler(db, args)
    except KeyboardInterrupt:
        written = head is not None and audit.latest_change(db) != head
        print(file=sys.stderr)
        print(
            "已取消；取消前已完成的部分已保存（见变更记录）"
            if written
            else "已取消，未写入任何数据",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except EOFError:  # getpass or input() at the end of piped input
        print(
            "错误：需要输入（如密码）时输入已结束；在脚本中请用环境变量 KAOPING_PASSWORD"
            "（登录）和 KAOPING_NEW_PASSWORD（新密码）",
            file=sys.stderr,
        )
        return EXIT_USAGE_OR_INPUT
    except WorkbookError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        print(f"共 {len(exc.problems)} 处问题，本次导入未写入任何数据。", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except SystemExit as exc:  # a command that reported its own problems
        return int(exc.code or 0)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(f"错误：无法写入{where}（{os_reason(exc)}）", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    finally:
        set_actor(None)
        db.dispose()
        if lock is not None:
            lock.release()
    return EXIT_OK


def _password(username: str) -> str:
    password = os.environ.get("KAOPING_PASSWORD")
    if password is None:
        password = getpass.getpass(f"{username} 的密码：")
    return password


class _ReadingProgress:
    """Rows read so far, on stderr, for sheets big enough to take a while: updated in place
    on a terminal, a line per tenth otherwise (a log stays short)."""

    QUIET_BELOW = 20_000

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.QUIET_BELOW:
            return
        if done == 0:
            self.shown = -1
        if self.terminal:
            end = "\n" if done >= total else ""
            print(f"\r读取 {done}/{total} 行…", end=end, file=sys.stderr, flush=True)
            return
        tenth = done * 10 // total
        if tenth > self.shown:
            self.shown = tenth
            print(f"读取 {done}/{total} 行", file=sys.stderr, flush=True)


def _refuse_until_password_changed(args: argparse.Namespace) -> None:
    """After an administrator's reset, the account's first act is choosing its own password."""
    from app.cli.commands.accounts import cmd_passwd
    from app.services.access.actor import current_actor

    actor = current_actor()
    if actor.must_change_password and args.handler is not cmd_passwd:
        raise UserError(
            f"账户“{actor.username}”的密码已由管理员重置，须先修改密码再使用："
            f"kaoping --user {actor.username} account passwd"
            "（原密码取自 KAOPING_PASSWORD，新密码取自 KAOPING_NEW_PASSWORD 或提示输入）"
        )


def _warn_if_state_differs(db: Database) -> None:
    """Issue 15 §1 at every start: the data against the chain's last digest (0.1 s for the
    demo, 0.3 s for 62,000 score entries; the chain's own re-hash is left to `audit verify`).
    A warning only: the command still runs, and what must not go out over changed data (the
    publication, documents with a check code) refuses by itself."""
    state = verify_state(db)
    if not state.ok:
        print(
            f"警告：数据与变更记录不一致（{len(state.differences)} 处），有数据在本程序之外被改动；"
            "运行 audit verify 查看每一处",
            file=sys.stderr,
        )


def _who_acts(db: Database, username: str | None) -> Actor:
    """--user signs in; without it a single-user database runs as its administrator."""
    if username:
        return accounts.sign_in(db, username, _password(username))
    actor = accounts.start_actor(db)
    if actor is None:
        raise UserError(
            "此数据库设有多个账户，请用 --user 用户名 登录"
            "（密码取自环境变量 KAOPING_PASSWORD，或在提示时输入）"
        )
    return actor
