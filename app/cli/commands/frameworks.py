"""framework: indicator systems imported from a workbook, listed, exported and shown as a tree."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import frameworks

    info = frameworks.import_framework(
        db, args.file, args.name, replace=args.replace, sheet_name=args.sheet
    ).value
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


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import frameworks

    print(f"已导出到 {frameworks.export_framework(db, args.name, args.out)}")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import frameworks

    rows = frameworks.list_frameworks(db)
    if args.json:
        print_json(
            [
                {"name": f.name, "areas": f.areas, "leaves": f.leaves, "points": f"{f.points:.2f}"}
                for f in rows
            ]
        )
        return
    for f in rows:
        print(f"{f.name}：{f.areas} 个一级指标，{f.leaves} 个末级指标，{f.points} 分")


def cmd_show(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import frameworks

    tree = frameworks.get_framework_tree(db, args.name)
    if args.json:
        print_json({"name": args.name, "children": [node.to_json() for node in tree]})
        return

    def show(nodes: Sequence[frameworks.TreeNode], depth: int) -> None:
        for node in nodes:
            print(f"{'  ' * depth}{node.code} {node.name}（{node.points}分，{node.method}）")
            show(node.children, depth + 1)

    show(tree, 0)


READ_ONLY = frozenset({cmd_list, cmd_show, cmd_export})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("framework", help="指标体系").add_subparsers(
        dest="action", required=True
    )
    p = add("import", cmd_import, group)
    p.add_argument("file")
    p.add_argument("--name", required=True)
    p.add_argument("--replace", action="store_true", help="覆盖同名指标体系")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    p = add("export", cmd_export, group)
    p.add_argument("name")
    p.add_argument("--out", required=True)
    p = add("show", cmd_show, group)
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
