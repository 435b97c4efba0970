"""server: setting up a PostgreSQL server database for an office (issue 18).

The commands of this group connect to the server named by their own ``--url`` (as its owner, the
superuser as a rule), not to ``--db``: their handlers take ``(args)`` alone and the command line
opens nothing for them (app.cli.main). A new server command is one more ``add(...)`` in
``register``."""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable
from typing import Any

from app.cli.commands import server_data
from app.errors import UserError

ADMIN_PASSWORD = "KAOPING_ADMIN_PASSWORD"


def _admin_password(name: str) -> Callable[[], str]:
    """Asked only when an administrator is to be made: from the environment (scripts) or typed
    twice, never echoed."""

    def ask() -> str:
        given = os.environ.get(ADMIN_PASSWORD)
        if given is not None:
            return given
        first = getpass.getpass(f"管理员“{name}”的密码：")
        if getpass.getpass("再输入一次：") != first:
            raise UserError("两次输入的密码不一致")
        return first

    return ask


def cmd_init(args: argparse.Namespace) -> None:
    from app.services.server.setup import init_server

    done = init_server(args.url, args.admin, _admin_password(args.admin))
    where = f"数据库 {done.database}"
    if not done.created:
        print(f"{where} 已初始化，本次没有任何更改")
    else:
        print(f"已初始化{where}，新建：")
        for line in done.created:
            print(f"  {line}")
    for note in done.notes:
        print(f"注意：{note}")
    groups = "、".join(f"{g}（{role}）" for role, g in done.groups.by_role().items())
    print(f"数据库角色：{groups}；账户由管理员在程序中添加，每个账户即一个服务器登录。")


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("server", help="PostgreSQL 服务器：初始化（角色、权限、第一个管理员）")
    group.set_defaults(own_connection=True)
    actions = group.add_subparsers(dest="action", required=True)
    p = add(
        "init",
        cmd_init,
        actions,
        help="在服务器上建立数据表、数据库角色和第一个管理员（密码取自 "
        f"{ADMIN_PASSWORD} 或提示输入）；重复运行不会改动已有内容",
    )
    p.add_argument("--url", required=True, help="postgresql+psycopg://超级用户@主机:5432/库名")
    p.add_argument("--admin", required=True, help="第一个管理员的用户名（也是其服务器登录名）")
    server_data.add_commands(actions, add)
