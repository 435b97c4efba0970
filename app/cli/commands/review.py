"""selfassess / objection / satisfaction import-votes / results prelim: reviewing a round."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.cli.common import print_json
from app.errors import UserError
from app.io import cells
from app.io.satisfaction_reader import read_satisfaction
from app.models.database import Database
from app.services.entry import scores
from app.services.entry.self_assessment import import_self_assessment
from app.services.review import objections
from app.services.review.prelim_results import export_prelim
from app.services.rounds.review_settings import set_disagreement_fraction


def _decimal(text: str | None, what: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise UserError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise UserError(f"{what}“{text}”不是数字")
    try:
        return cells.plausible(value, text)
    except cells.CellError as error:
        raise UserError(f"{what}{error}") from None


def cmd_selfassess_import(db: Database, args: argparse.Namespace) -> None:
    for file in args.files:
        summary = import_self_assessment(db, file, args.round)
        state = "已导入" if summary.changed else "与已导入的相同，未变化"
        print(f"{Path(file).name}：{summary.unit} 自评 {summary.leaves} 项，{state}")


def cmd_objection_add(db: Database, args: argparse.Namespace) -> None:
    number = objections.add_objection(
        db,
        args.round,
        args.unit,
        args.leaf,
        args.reason,
        _decimal(args.requested, "申请分值"),
    )
    print(f"已登记申辩 {number}：{args.unit} 指标 {args.leaf}")


def cmd_objection_list(db: Database, args: argparse.Namespace) -> None:
    found = objections.list_objections(db, args.round)
    if args.json:
        print_json([o.as_json() for o in found])
        return
    for o in found:
        requested = f"，申请 {o.requested.normalize():f} 分" if o.requested is not None else ""
        after = f" → {o.new_score.normalize():f}" if o.new_score is not None else ""
        print(f"{o.id:>4}  {o.status}  {o.unit}  {o.leaf}  原 {o.score_before}{after}{requested}")
        print(f"      理由：{o.reason}" + (f"；复核意见：{o.decision}" if o.decision else ""))
    print(f"共 {len(found)} 条申辩")


def cmd_objection_review(db: Database, args: argparse.Namespace) -> None:
    if args.accept == args.reject:
        raise UserError(
            "请选择 --accept（采纳，并给出 --score）或 --reject（不予采纳，并给出 --reason）"
        )
    info = objections.review_objection(
        db,
        args.round,
        args.id,
        accept=args.accept,
        score=_decimal(args.score, "复核分值"),
        reason=args.reason or "",
    )
    if info.status == "已采纳":
        print(
            f"申辩 {info.id} 已采纳：{info.unit} 指标 {info.leaf} 由 {info.score_before} "
            f"改为 {info.new_score}"
        )
    else:
        print(f"申辩 {info.id} 不予采纳：{info.decision}")


def cmd_objection_threshold(db: Database, args: argparse.Namespace) -> None:
    fraction = _decimal(args.fraction, "分歧阈值")
    assert fraction is not None
    set_disagreement_fraction(db, args.round, fraction)
    print(f"评分分歧阈值已设为分值的 {(fraction * 100).normalize():f}%")


def parse_weights(text: str) -> tuple[Decimal, Decimal, Decimal]:
    """--weights 100,60,0: the scores a 满意, 基本满意 and 不满意 vote are worth."""
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) != 3:
        raise UserError(f"权重“{text}”应为三个数：满意,基本满意,不满意（如 100,60,0）")
    values = [_decimal(p, "权重") for p in parts]
    return (values[0], values[1], values[2])  # type: ignore[return-value]  # never None here


def cmd_import_votes(db: Database, args: argparse.Namespace) -> None:
    weights = parse_weights(args.weights) if args.weights else scores.DEFAULT_WEIGHTS
    if not all(r.votes is not None for r in read_satisfaction(Path(args.file), weights=weights)):
        raise UserError(f"{args.file} 中没有“满意、基本满意、不满意”三列票数")
    summary = scores.import_satisfaction(db, args.file, args.round, weights)
    print(
        f"读取 {summary.rows} 行票数（权重 {','.join(f'{w.normalize():f}' for w in weights)}）："
        f"{summary.changed} 个单位的满意度有变化，{summary.unchanged} 个未变"
    )


def cmd_results_prelim(db: Database, args: argparse.Namespace) -> None:
    written = export_prelim(db, args.round, Path(args.out))
    print(f"已为 {len(written)} 个单位导出初步结果到 {args.out}（初评分数已留存）")


def _subcommands(parser: argparse.ArgumentParser, dest: str) -> Any:
    """The sub-command group of a command made in app/cli/main.py (argparse keeps no public
    handle on it), or a new one."""
    for action in parser._actions:  # argparse has no public handle on it
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=dest)


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("selfassess", help="单位自评").add_subparsers(
        dest="action", required=True
    )
    p = add("import", cmd_selfassess_import, group, help="导入单位自评表（每单位一份）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--round", required=True)

    group = sub.add_parser("objection", help="申辩与复核").add_subparsers(
        dest="action", required=True
    )
    p = add("add", cmd_objection_add, group, help="登记申辩")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--leaf", required=True, help="指标编码")
    p.add_argument("--reason", required=True)
    p.add_argument("--requested", help="申请分值")
    p = add("list", cmd_objection_list, group)
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
    p = add("review", cmd_objection_review, group, help="复核：采纳（新分值）或不予采纳（理由）")
    p.add_argument("id", type=int)
    p.add_argument("--round", required=True)
    p.add_argument("--accept", action="store_true")
    p.add_argument("--reject", action="store_true")
    p.add_argument("--score", help="采纳后的分值")
    p.add_argument("--reason", help="复核意见；不予采纳时必填")
    p = add("threshold", cmd_objection_threshold, group, help="评分分歧阈值（分值的比例）")
    p.add_argument("--round", required=True)
    p.add_argument("--fraction", required=True, help="如 0.3")

    satisfaction = _subcommands(sub.choices["satisfaction"], "action")
    p = add("import-votes", cmd_import_votes, satisfaction, help="按满意/基本满意/不满意票数导入")
    p.add_argument("file")
    p.add_argument("--round", required=True)
    p.add_argument("--weights", help="满意,基本满意,不满意 的分值（默认 100,60,0）")

    results = sub.choices["results"]
    for action in results._actions:  # `results prelim` has its own --round
        if action.dest == "round":
            action.required = False
    p = add("prelim", cmd_results_prelim, _subcommands(results, "results_action"))
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹（每单位一份初步结果）")
