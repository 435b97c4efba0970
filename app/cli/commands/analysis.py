"""analysis: year on year, how robust each rank is, how consistent the assessors are."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database


def _links(args: argparse.Namespace, rounds: list[str] | None = None) -> list[Any]:
    """--unit-link 2024年度考核:旧名=新名 (and --area-link, --leaf-link with codes); the
    rounds named must be among ``rounds`` when given (compare's --with)."""
    from app.scoring.analysis.matching import AREA, LEAF, UNIT, Link

    found = []
    for kind, texts, what in (
        (UNIT, args.unit_link, "--unit-link"),
        (AREA, args.area_link, "--area-link"),
        (LEAF, args.leaf_link, "--leaf-link"),
    ):
        for text in texts or []:
            round_name, colon, pair = text.rpartition(":")
            earlier, equals, later = pair.partition("=")
            if not colon or not equals or not round_name or not earlier or not later:
                raise UserError(f"{what} “{text}” 应写成 批次名称:原名称=现名称")
            if rounds is not None and round_name not in rounds:
                raise UserError(f"{what} 中的考核批次“{round_name}”不在 --with 所列之中")
            found.append(Link(kind, round_name, earlier.strip(), later.strip()))
    return found


def cmd_links_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.analysis.links import describe, list_links

    stored = list_links(db, args.round, args.others or [])
    if args.json:
        print_json([s.as_json() for s in stored])
        return
    if not stored:
        print("（没有对应关系）")
    for s in stored:
        print(f"{describe(s.link)}  （{s.by}）")


def _edit_links(db: Database, args: argparse.Namespace, adding: bool) -> None:
    from app.services.analysis.links import add_link, describe, remove_link

    links = _links(args)
    if not links:
        raise UserError("请用 --unit-link、--area-link 或 --leaf-link 给出对应关系")
    for link in links:
        if adding:
            done = add_link(db, args.round, link, args.reason or "").value
            print(f"{'已添加' if done else '已有，未重复添加'}：{describe(link)}")
        else:
            done = remove_link(db, args.round, link, args.reason or "").value
            print(f"{'已删除' if done else '没有这条对应关系'}：{describe(link)}")


def cmd_links_add(db: Database, args: argparse.Namespace) -> None:
    _edit_links(db, args, adding=True)


def cmd_links_remove(db: Database, args: argparse.Namespace) -> None:
    _edit_links(db, args, adding=False)


def cmd_compare(db: Database, args: argparse.Namespace) -> None:
    from app.services.analysis.compare import compare_with, comparison_json

    comparison = compare_with(
        db, args.round, args.others, _links(args, args.others), stored=not args.no_saved_links
    )
    if args.xlsx:
        from app.services.analysis.export import export_comparison

        print(f"已导出到 {export_comparison(comparison, args.xlsx)}")
        return
    data = comparison_json(comparison)
    if args.json:
        print_json(data)
        return
    print(" → ".join(data["rounds"]))
    for sentence in data["sentences"]:
        print(sentence)
    for u in data["units"]:
        finals = " → ".join(f or "—" for f in u["final"])
        change = u["change"]
        rank = "" if change["rank"] is None else f" 名次{change['rank']:+d}"
        print(f"  {u['unit']} [{u['category']}] {finals}{rank}")


def cmd_robustness(db: Database, args: argparse.Namespace) -> None:
    from app.scoring.analysis.robustness import RobustnessOptions
    from app.services.analysis.robustness import robustness_json, round_robustness

    if args.runs < 1 or args.runs > 100_000:
        raise UserError("--runs 应在 1 到 100000 之间")
    if not 0 <= args.weights < 1:
        raise UserError("--weights 应在 0 到 1 之间（0.2 表示上下浮动 20%）")
    if not 0 <= args.satisfaction <= 0.5:
        raise UserError("--satisfaction 应在 0 到 0.5 之间")
    options = RobustnessOptions(
        runs=args.runs,
        seed=args.seed,
        weight_spread=args.weights,
        dropout=not args.no_dropout,
        trimming=not args.no_trim,
        satisfaction_spread=args.satisfaction,
    )
    inputs, result = round_robustness(db, args.round, options)
    if args.xlsx:
        from app.services.analysis.export import export_robustness

        print(f"已导出到 {export_robustness(inputs, result, args.xlsx)}")
        return
    data = robustness_json(inputs, result)
    if args.json:
        print_json(data)
        return
    for sentence in data["sentences"]:
        print(sentence)
    for u in data["units"]:
        low, high = u["interval"]
        mark = " 名次敏感" if u["sensitive"] else ""
        print(
            f"{u['rank']:>4} {u['unit']} 中位 {u['median_rank']} 区间 {low}–{high} "
            f"保持等次 {u['grade_kept']}%{mark}"
        )


def cmd_assessors(db: Database, args: argparse.Namespace) -> None:
    from app.services.analysis.assessors import assessors_json, round_assessors

    if not 0 < args.threshold < 1:
        raise UserError("--threshold 应在 0 到 1 之间（0.05 表示指标分值的 5%）")
    inputs, analysis = round_assessors(db, args.round, args.threshold)
    if args.xlsx:
        from app.services.analysis.export import export_assessors

        print(f"已导出到 {export_assessors(inputs, analysis, args.xlsx)}")
        return
    data = assessors_json(inputs, analysis)
    if args.json:
        print_json(data)
        return
    for sentence in data["sentences"]:
        print(sentence)
    for a in data["assessors"]:
        low, high = a["interval"]
        print(
            f"  {a['assessor']} {a['cells']} 格 偏差 {a['leniency']} 分（{a['leniency_rate']}%，"
            f"区间 {low}～{high}） {a['flag']} 不计其评分名次变化 {a['ranks_changed_without']} 个"
        )


READ_ONLY = frozenset({cmd_compare, cmd_robustness, cmd_assessors, cmd_links_list})


def register(sub: Any, add: Callable[..., Any]) -> None:
    topic = add("analysis", _usage, sub, help="分析：与上年比较、结果稳健性、评分一致性")
    actions = topic.add_subparsers(dest="analysis_action")
    p = add("compare", cmd_compare, actions, help="与以前的考核批次比较（进步、退步）")
    p.add_argument("--round", required=True)
    p.add_argument(
        "--with",
        dest="others",
        action="append",
        required=True,
        metavar="ROUND",
        help="用来比较的以前的考核批次（可多次给出）",
    )
    _link_options(p, "（只用于这一次比较，不保存；保存请用 analysis links add）")
    p.add_argument(
        "--no-saved-links", action="store_true", help="不使用已保存的对应关系（analysis links）"
    )
    _outputs(p)
    links = add("links", _links_usage, actions, help="与上年比较所用的对应关系（保存在数据库中）")
    link_actions = links.add_subparsers(dest="links_action")
    p = add("list", cmd_links_list, link_actions, help="列出本批次与以前批次的对应关系")
    p.add_argument("--round", required=True)
    p.add_argument("--with", dest="others", action="append", metavar="ROUND",
                   help="只列出与这个以前批次的对应关系（可多次给出）")  # fmt: skip
    p.add_argument("--json", action="store_true")
    for name, handler, what in (
        ("add", cmd_links_add, "添加对应关系（记入变更记录）"),
        ("remove", cmd_links_remove, "删除对应关系（记入变更记录）"),
    ):
        p = add(name, handler, link_actions, help=what)
        p.add_argument("--round", required=True, help="本批次（比较的批次）")
        _link_options(p, "")
        p.add_argument("--reason", help="理由（记入变更记录）")
    p = add("robustness", cmd_robustness, actions, help="结果稳健性：模拟不同假设下的名次和等次")
    p.add_argument("--round", required=True)
    p.add_argument("--runs", type=int, default=1000, help="模拟次数（默认 1000）")
    p.add_argument("--seed", type=int, default=2025, help="随机种子：相同种子得到相同结果")
    p.add_argument(
        "--weights",
        type=float,
        default=0.2,
        help="各一级指标分值上下浮动的比例（默认 0.2；0 表示不变）",
    )
    p.add_argument(
        "--satisfaction",
        type=float,
        default=0.05,
        help="满意度权重上下浮动（默认 0.05；0 表示不变）",
    )
    p.add_argument("--no-dropout", action="store_true", help="不模拟个别考核组缺评")
    p.add_argument("--no-trim", action="store_true", help="不模拟是否去掉最高最低分")
    _outputs(p)
    p = add("assessors", cmd_assessors, actions, help="评分一致性：α 系数与各考核组宽严")
    p.add_argument("--round", required=True)
    p.add_argument(
        "--threshold",
        type=float,
        default=0.05,
        help="偏宽/偏严的阈值，占指标分值的比例（默认 0.05）",
    )
    _outputs(p)


def _link_options(p: Any, note: str) -> None:
    for option, what in (
        ("--unit-link", "单位（更名、合并、分设）"),
        ("--area-link", "一级指标编码"),
        ("--leaf-link", "末级指标编码"),
    ):
        p.add_argument(
            option,
            action="append",
            metavar="ROUND:原=现",
            help=f"对应关系：以前批次中的{what}对应本批次中的哪一个（可多次给出）{note}",
        )


def _links_usage(db: Database, args: argparse.Namespace) -> None:
    raise UserError("请给出 list、add 或 remove", command="analysis links -h")


def _outputs(p: Any) -> None:
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", metavar="FILE", help="导出到 Excel 文件")


def _usage(db: Database, args: argparse.Namespace) -> None:
    raise UserError("请给出分析的种类：compare、robustness 或 assessors", command="analysis -h")
