"""selfassess / objection: units' self-assessments and their objections to their scores."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_USAGE_OR_INPUT, parse_decimal, print_json
from app.cli.lazy import lazy

if TYPE_CHECKING:
    from app.models.database import Database
from app.errors import UserError

self_assessment = lazy("app.services.entry.self_assessment")
objection_attachments = lazy("app.services.review.objection_attachments")
objection_import = lazy("app.services.review.objection_import")
objections = lazy("app.services.review.objections")
review_settings = lazy("app.services.rounds.review_settings")


def cmd_selfassess_import(db: Database, args: argparse.Namespace) -> None:
    for file in args.files:
        summary = self_assessment.import_self_assessment(db, file, args.round)
        state = "已导入" if summary.changed else "与已导入的相同，未变化"
        print(f"{Path(file).name}：{summary.unit} 自评 {summary.leaves} 项，{state}")


def cmd_objection_add(db: Database, args: argparse.Namespace) -> None:
    number = objections.add_objection(
        db,
        args.round,
        args.unit,
        args.leaf,
        args.reason,
        parse_decimal(args.requested, "申请分值"),
        files=args.file or [],
    ).value
    attached = f"，附 {len(args.file)} 个文件" if args.file else ""
    print(f"已登记申辩 {number}：{args.unit} 指标 {args.leaf}{attached}")


def cmd_objection_files(db: Database, args: argparse.Namespace) -> None:
    if args.add:
        objection_attachments.attach_to_objection(db, args.id, args.add)
    for f in objection_attachments.objection_files(db, args.id):
        print(f"{f.name}  {f.size} 字节  {f.kind}  {f.sha256}")


def cmd_objection_import(db: Database, args: argparse.Namespace) -> None:
    """Each file on its own: what it added (or would add) on stdout, its problems on stderr;
    a refused file makes the exit nonzero, the good ones are recorded all the same."""
    if args.preview:
        files = objection_import.preview_objection_files(db, args.round, args.files)
    else:
        files = objection_import.import_objection_files(db, args.round, args.files).value
    for file in files:
        name = file.path.name
        if file.refused:
            print(f"{name}：有问题，未导入", file=sys.stderr)
            for problem in file.problems:
                print(f"  错误：{problem}", file=sys.stderr)
            continue
        done = "将新增" if args.preview else "新增"
        skipped = len(file.objections) - len(file.new)
        again = f"，{skipped} 条已导入过（跳过）" if skipped else ""
        print(f"{name}：{file.unit} {done}申辩 {len(file.new)} 条{again}")
        for o in file.new:
            asked = f"，申请 {o.requested.normalize():f} 分" if o.requested is not None else ""
            print(f"  {o.leaf} {o.leaf_name}（现得分 {_score(o.score)}{asked}）：{o.reason}")
    if args.preview:
        print("仅预览，未写入任何数据")
    if any(file.refused for file in files):
        raise SystemExit(EXIT_USAGE_OR_INPUT)


def _score(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


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
        score=parse_decimal(args.score, "复核分值"),
        reason=args.reason or "",
    ).value
    if info.status == "已采纳":
        print(
            f"申辩 {info.id} 已采纳：{info.unit} 指标 {info.leaf} 由 {info.score_before} "
            f"改为 {info.new_score}"
        )
    else:
        print(f"申辩 {info.id} 不予采纳：{info.decision}")


def cmd_objection_threshold(db: Database, args: argparse.Namespace) -> None:
    fraction = parse_decimal(args.fraction, "分歧阈值")
    assert fraction is not None
    review_settings.set_disagreement_fraction(db, args.round, fraction)
    print(f"评分分歧阈值已设为分值的 {(fraction * 100).normalize():f}%")


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
    p.add_argument("--file", action="append", help="申辩材料文件（可重复），存入材料库")
    p = add("files", cmd_objection_files, group, help="列出（或追加）申辩所附的文件")
    p.add_argument("id", type=int, help="申辩编号")
    p.add_argument("--add", action="append", metavar="FILE", help="追加文件（可重复）")
    p = add(
        "import", cmd_objection_import, group, help="从单位交回的初步结果表导入申辩（每单位一份）"
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--round", required=True)
    p.add_argument("--preview", action="store_true", help="只列出将导入的申辩，不写入")
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
