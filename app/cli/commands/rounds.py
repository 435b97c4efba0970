"""round: a round of assessment created, its rules changed, listed, checked, moved through its
stages, published and reopened."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from app.cli.arguments import FIRST_YEAR, LAST_YEAR, count, finite_decimal, year
from app.cli.common import parse_day, print_json
from app.errors import UserError
from app.scoring.types import DEFAULT_GRADES, QuotaRounding, QuotaScope, QuotaTies, Rules

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_create(db: Database, args: argparse.Namespace) -> None:
    from app.services.review import quota
    from app.services.rounds import definition as rounds
    from app.services.rounds import rules_storage

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
    ).value
    print(f"已创建考核批次“{info.name}”（{info.year} 年，{info.units} 个单位参加）")
    for line in quota.quota_warnings(db, info.name):
        print(f"提示：{line}")


def cmd_rules(db: Database, args: argparse.Namespace) -> None:
    """Change only the rules given; the rest stay as they are."""
    from app.services.review import quota
    from app.services.rounds import definition as rounds
    from app.services.rounds import round_rules, rules_storage

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


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.rounds import definition as rounds

    rows = rounds.list_rounds(db)
    if args.json:
        print_json(
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


def cmd_check(db: Database, args: argparse.Namespace) -> None:
    from app.services.review import publication_gate

    report = publication_gate.check_round(db, args.round)
    if args.json:
        print_json(report.as_json())
        return
    print(f"考核批次“{args.round}”（{report.status}）发布前检查：")
    print("\n".join(report.summary(limit=args.limit)) or "没有发现问题，可以发布")


def cmd_publish(db: Database, args: argparse.Namespace) -> None:
    from app.services.review import publication

    if args.override and not args.reason:
        raise UserError("--override 须同时用 --reason 说明越过检查的理由")
    if args.reason and not args.override:
        raise UserError("--reason 只与 --override 一起使用")
    override = args.reason if args.override else None
    report = publication.publish(db, args.round, override_reason=override).value
    if report.blocking:
        print(f"已越过 {len(report.blocking)} 项问题发布（已记入变更记录）：")
        print("\n".join(report.summary()))
    print(f"考核批次“{args.round}”已发布，此后为只读")


def cmd_delete(db: Database, args: argparse.Namespace) -> None:
    from app.services.rounds import round_edit

    round_edit.delete_round(db, args.round, args.reason)
    print(f"考核批次“{args.round}”已删除（删除前已备份，理由已记录）")


def cmd_edit(db: Database, args: argparse.Namespace) -> None:
    from app.services.rounds import round_edit

    units = [u.strip() for u in args.units.split(",")] if args.units else None
    round_edit.edit_round(
        db, args.round, new_name=args.name, year=args.year, framework=args.framework, units=units
    )
    print(f"考核批次“{args.name or args.round}”已修改")


def cmd_reopen(db: Database, args: argparse.Namespace) -> None:
    from app.services.rounds import definition as rounds

    rounds.reopen_round(db, args.round, args.reason)
    print(f"考核批次“{args.round}”已重新打开（状态：{rounds.REOPENED_STATUS}），理由已记录")


def cmd_status(db: Database, args: argparse.Namespace) -> None:
    from app.services.review import round_status

    report = round_status.change_status(
        db, args.round, args.to, args.reason or "", publicity_until=parse_day(args.until)
    ).value
    if report is not None and report.blocking:
        print(f"注意：仍有 {len(report.blocking)} 项问题（理由已记入变更记录）：")
        print("\n".join(report.summary()))
    print(f"考核批次“{args.round}”状态已改为“{args.to}”")


READ_ONLY = frozenset({cmd_list, cmd_check})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("round", help="考核批次").add_subparsers(dest="action", required=True)
    p = add("create", cmd_create, group)
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
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    p = add("rules", cmd_rules, group, help="修改规则（发布前）：只改给出的项")
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
    p = add("check", cmd_check, group, help="发布前检查：列出不能发布的问题和需要注意的事项")
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=count, default=20, help="每部分最多列出几项（默认 20）")
    p = add("publish", cmd_publish, group, help="发布（只能从“公示中”，须通过发布前检查）")
    p.add_argument("--round", required=True)
    p.add_argument("--override", action="store_true", help="管理员：有问题仍发布（须说明理由）")
    p.add_argument("--reason", help="越过检查的理由（与 --override 一起）")
    p = add("status", cmd_status, group, help="改变状态：草稿/评分中/审核中/公示中/已发布")
    p.add_argument("--round", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--reason", help="退回上一状态时必填；带未解决的问题进入公示时也须说明")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="推进到“公示中”时设定公示截止日期")
    p = add("delete", cmd_delete, group, help="删除尚无评分的考核批次")
    p.add_argument("--round", required=True)
    p.add_argument("--reason", required=True)
    p = add("edit", cmd_edit, group, help="修改尚无评分的考核批次：名称、年度、指标体系、参加单位")
    p.add_argument("--round", required=True)
    p.add_argument("--name", help="新名称")
    p.add_argument("--year", type=year)
    p.add_argument("--framework")
    p.add_argument("--units", help="参加单位，逗号分隔")
    p = add("reopen", cmd_reopen, group)
    p.add_argument("--round", required=True)
    p.add_argument("--reason", required=True)
