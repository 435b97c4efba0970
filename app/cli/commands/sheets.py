"""sheets: the assessors' offline score sheets, exported per assessor and read back."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_USAGE_OR_INPUT
from app.cli.lazy import lazy

if TYPE_CHECKING:
    from app.models.database import Database

assessor_sheets = lazy("app.services.entry.assessor_sheets")
sheet_batch = lazy("app.services.entry.sheet_batch")
assessor_evidence = lazy("app.services.entry.assessor_evidence")


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    paths = assessor_sheets.export_sheets(
        db, args.round, Path(args.out), with_evidence=args.with_evidence
    )
    for path in paths:
        print(f"已导出 {path}")
        files = assessor_evidence.evidence_folder_for(path)
        if args.with_evidence and files.is_dir():
            print(f"  佐证材料：{files}")
    print(f"共 {len(paths)} 份评分表")


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    """Each workbook on its own: the good ones are written, the bad ones named with their
    cells (exit status 2 if any was refused)."""
    outcomes = sheet_batch.import_sheets(db, args.round, [Path(f) for f in args.files]).value
    problems: list[str] = []
    for outcome in outcomes:
        name = outcome.path.name
        if outcome.refused:
            problems += [f"错误：{p}" for p in outcome.problems]
            print(f"{name}：未导入（{len(outcome.problems)} 处问题）", file=sys.stderr)
            continue
        print(f"{name}：{len(outcome.diffs)} 格有变化")
        for diff in outcome.diffs:
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


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("sheets", help="评分人离线评分表").add_subparsers(
        dest="action", required=True
    )
    p = add("export", cmd_export, group)
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument(
        "--with-evidence",
        action="store_true",
        help="同时把各评分人所评单元格的佐证材料复制到评分表旁的文件夹",
    )
    p = add("import", cmd_import, group)
    p.add_argument("--round", required=True)
    p.add_argument("files", nargs="+")
