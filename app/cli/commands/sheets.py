"""sheets: the assessors' offline score sheets, exported per assessor and read back."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_USAGE_OR_INPUT
from app.errors import WorkbookError
from app.models.database import Database
from app.services.entry import assessor_sheets


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    paths = assessor_sheets.export_sheets(db, args.round, Path(args.out))
    for path in paths:
        print(f"已导出 {path}")
    print(f"共 {len(paths)} 份评分表")


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    problems: list[str] = []
    for file in args.files:
        try:
            diffs = assessor_sheets.import_sheet(db, args.round, Path(file)).value
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


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("sheets", help="评分人离线评分表").add_subparsers(
        dest="action", required=True
    )
    p = add("export", cmd_export, group)
    p.add_argument("--round", required=True)
    p.add_argument("--out", required=True, help="输出文件夹")
    p = add("import", cmd_import, group)
    p.add_argument("--round", required=True)
    p.add_argument("files", nargs="+")
