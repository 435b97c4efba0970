"""satisfaction: the satisfaction survey's scores or votes imported, units exempted from it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserError
from app.io import cells

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry import scores

    weights = parse_weights(args.weights) if args.weights else scores.DEFAULT_WEIGHTS
    s = scores.import_satisfaction(db, args.file, args.round, weights)
    print("\n".join(s.lines()))


def cmd_exempt(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry import satisfaction_exemptions

    if args.withdraw:
        done = satisfaction_exemptions.withdraw_exemption(
            db, args.round, args.unit, args.reason
        ).value
        print(f"已取消“{args.unit}”的满意度免测" if done else f"“{args.unit}”未设免测，未变化")
        return
    done = satisfaction_exemptions.exempt_unit(db, args.round, args.unit, args.reason).value
    print(f"已设“{args.unit}”免于满意度测评" if done else f"“{args.unit}”已是免测，未变化")


def parse_weights(text: str) -> tuple[Decimal, Decimal, Decimal]:
    """--weights 100,60,0 (of import and import-votes alike): the scores a 满意, 基本满意 and
    不满意 vote are worth, each a finite number an assessment could hold."""
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    if len(parts) != 3:
        raise UserError(f"权重“{text}”应为三个数：满意,基本满意,不满意（如 100,60,0）")
    try:
        values = [Decimal(p) for p in parts]
    except InvalidOperation:
        raise UserError(f"权重“{text}”无效，应写成 100,60,0") from None
    if not all(v.is_finite() for v in values):
        raise UserError(f"权重“{text}”应为有限的数字，如 100,60,0")
    try:
        satisfied, fair, dissatisfied = (
            cells.plausible(v, p) for v, p in zip(values, parts, strict=True)
        )
    except cells.CellError as error:
        raise UserError(f"权重{error}") from None
    return satisfied, fair, dissatisfied


def cmd_import_votes(db: Database, args: argparse.Namespace) -> None:
    from app.io.readers.satisfaction_reader import read_satisfaction
    from app.services.entry import scores

    weights = parse_weights(args.weights) if args.weights else scores.DEFAULT_WEIGHTS
    if not all(r.votes is not None for r in read_satisfaction(Path(args.file), weights=weights)):
        raise UserError(f"{args.file} 中没有“满意、基本满意、不满意”三列票数")
    summary = scores.import_satisfaction(db, args.file, args.round, weights)
    print(
        f"读取 {summary.rows} 行票数（权重 {','.join(f'{w.normalize():f}' for w in weights)}）："
        f"{summary.changed} 个单位的满意度有变化，{summary.unchanged} 个未变"
    )


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("satisfaction", help="满意度").add_subparsers(
        dest="action", required=True
    )
    p = add("import", cmd_import, group, help="满意度得分，或满意/基本满意/不满意票数")
    p.add_argument("file")
    p.add_argument("--round", required=True)
    p.add_argument("--weights", help="票数折算分值：满意,基本满意,不满意（默认 100,60,0）")
    p = add("exempt", cmd_exempt, group, help="单位免于满意度测评（如改由履职评议）")
    p.add_argument("--round", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--withdraw", action="store_true", help="取消免测")
    p = add("import-votes", cmd_import_votes, group, help="按满意/基本满意/不满意票数导入")
    p.add_argument("file")
    p.add_argument("--round", required=True)
    p.add_argument("--weights", help="满意,基本满意,不满意 的分值（默认 100,60,0）")
