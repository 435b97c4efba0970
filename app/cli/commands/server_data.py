"""server import: an office's existing file moved into an empty server database, verified.

Registered under the ``server`` group (app/cli/commands/server.py) by ``add_commands``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cmd_import(args: argparse.Namespace) -> None:
    """The file is only read; the server database must be empty (schema created if absent)."""
    from app.services.server.snapshots import import_file, shown_url

    report = import_file(args.url, Path(args.source))
    print(f"已把 {args.source} 导入 {shown_url(args.url)}，核对一致：{report.summary()}")


def add_commands(group: Any, add: Callable[..., Any]) -> None:
    """``group``: the subparsers of ``server``; ``add``: the helper every topic registers with."""
    p = add("import", cmd_import, group, help="把本机的数据库文件整体导入一个空的服务器数据库")
    p.add_argument("--url", required=True, help="服务器数据库 URL（postgresql+psycopg://…）")
    p.add_argument("--from", dest="source", required=True, help="要导入的数据库文件（不会被改动）")
