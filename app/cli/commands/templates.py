"""template: the indicator-system templates shipped with the program."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import templates

    rows = templates.list_templates()
    if args.json:
        print_json(
            [
                {
                    "key": t.key,
                    "title": t.title,
                    "areas": t.areas,
                    "leaves": t.leaves,
                    "points": f"{t.points:.2f}",
                    "description": t.description,
                }
                for t in rows
            ]
        )
        return
    for t in rows:
        print(f"{t.key:<18} {t.title}（{t.areas} 个一级指标，{t.leaves} 项，{t.points:g} 分）")


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.setup import templates

    info = templates.import_template(db, args.key, args.name, replace=args.replace).value
    print(
        f"已从模板导入指标体系“{info.name}”：{info.areas} 个一级指标，{info.leaves} 个末级指标，"
        f"合计 {info.points} 分（分值为示例，请按本地实际设定）"
    )


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("template", help="指标体系模板").add_subparsers(
        dest="action", required=True
    )
    add("list", cmd_list, group, help="列出内置模板").add_argument("--json", action="store_true")
    p = add("import", cmd_import, group, help="从模板新建指标体系")
    p.add_argument("key", help="模板代号（见 template list）")
    p.add_argument("--name", required=True, help="新指标体系的名称")
    p.add_argument("--replace", action="store_true", help="覆盖同名指标体系")
