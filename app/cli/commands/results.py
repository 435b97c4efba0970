"""results: a round's results computed and shown, explained, exported; preliminary results."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_results(db: Database, args: argparse.Namespace) -> None:
    if args.explain:
        from app.services.review.explain import explain_json

        explained = explain_json(db, args.round, args.unit)
        if args.unit is None:  # a whole round is read by a program: compact, and 5x faster
            print(json.dumps(explained, ensure_ascii=False, separators=(",", ":")))
        else:
            print_json(explained)
        return
    if args.unit:
        raise UserError("--unit 只能与 --explain 一起使用")
    if args.xlsx:
        from app.services.review.results import export_results

        print(f"已导出到 {export_results(db, args.round, args.xlsx)}")
        return
    from app.services.review.results import results_json, visible_round_results

    data = results_json(visible_round_results(db, args.round))
    if args.json:
        print_json(data)
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


def cmd_prelim(db: Database, args: argparse.Namespace) -> None:
    from app.services.review.prelim_results import export_prelim

    written = export_prelim(db, args.round, Path(args.out)).value
    print(f"已为 {len(written)} 个单位导出初步结果到 {args.out}（初评分数已留存）")


READ_ONLY = frozenset({cmd_results})


def register(sub: Any, add: Callable[..., Any]) -> None:
    p = add("results", cmd_results, sub, help="计算并显示考核结果")
    p.add_argument("--round")  # not required: `results prelim` has its own
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", metavar="FILE", help="导出排名到 Excel 文件")
    p.add_argument("--explain", action="store_true", help="逐项列出得分的计算过程（JSON）")
    p.add_argument("--unit", help="只解释这个单位（与 --explain 一起用）")
    p = add("prelim", cmd_prelim, p.add_subparsers(dest="results_action"))
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹（每单位一份初步结果）")
