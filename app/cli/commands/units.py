"""units: the units assessed, imported from a list, listed and exported."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import units

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


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import units

    rows = units.list_units(db)
    if args.json:
        print_json(
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


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import units

    print(f"已导出到 {units.export_units(db, args.out)}")


READ_ONLY = frozenset({cmd_list, cmd_export})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("units", help="考核对象").add_subparsers(dest="action", required=True)
    p = add("import", cmd_import, group)
    p.add_argument("file")
    p.add_argument("--deactivate-missing", action="store_true", help="停用名单中没有的单位")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    add("export", cmd_export, group).add_argument("--out", required=True)
