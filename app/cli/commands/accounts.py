"""account: local accounts and roles (管理员 / 考核办 / 评分人 / 查看)."""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.arguments import LazyChoices
from app.cli.common import print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database


def _new_password(prompt_for: str) -> str:
    """From KAOPING_NEW_PASSWORD (scripts, tests) or typed twice."""
    given = os.environ.get("KAOPING_NEW_PASSWORD")
    if given is not None:
        return given
    first = getpass.getpass(f"{prompt_for} 的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致")
    return first


def cmd_add(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts
    from app.services.access.permissions import Permission, require

    require(Permission.ACCOUNTS)  # before asking for a password nobody may set
    accounts.create_account(
        db,
        args.username,
        _new_password(args.username),
        args.role,
        display_name=args.display_name or "",
        assessor=args.assessor,
    )
    print(f"已添加账户“{args.username}”（{args.role}）")
    if accounts.login_required(db):
        print("此数据库已有多个账户：今后每次启动都需要登录。")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts

    rows = accounts.list_accounts(db)
    if args.json:
        print_json(
            [
                {
                    "username": a.username,
                    "display_name": a.display_name,
                    "role": a.role,
                    "assessor": a.assessor,
                    "active": a.active,
                    "locked": a.locked,
                }
                for a in rows
            ]
        )
        return
    for a in rows:
        state = "停用" if not a.active else ("锁定" if a.locked else "启用")
        print(f"{a.username:<12} {a.role:<4} {state} {a.assessor or ''}")


def cmd_reset(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts
    from app.services.access.permissions import Permission, require

    require(Permission.ACCOUNTS)
    accounts.reset_password(db, args.username, _new_password(args.username))
    print(f"已重置“{args.username}”的密码（并解除锁定）")


def cmd_passwd(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts
    from app.services.access.actor import current_actor

    actor = current_actor()
    if not actor.signed_in:
        raise UserError("请先用 --user 登录，再修改自己的密码")
    old = os.environ.get("KAOPING_PASSWORD") or getpass.getpass("原密码：")
    accounts.change_own_password(db, actor, old, _new_password(actor.username))
    print("密码已修改")


def cmd_role(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts

    accounts.set_role(db, args.username, args.role, args.assessor)
    print(f"“{args.username}”的角色已改为 {args.role}")


def cmd_disable(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import accounts

    accounts.disable_account(db, args.username)
    print(f"已停用账户“{args.username}”")


def register(sub: Any, add: Callable[..., Any]) -> None:
    roles = LazyChoices("app.models.accounts", "ROLES")
    group = sub.add_parser("account", help="账户与权限").add_subparsers(
        dest="action", required=True
    )
    p = add("add", cmd_add, group, help="添加账户（新密码取自 KAOPING_NEW_PASSWORD 或提示输入）")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=roles, metavar="ROLE", help="角色：%(choices)s")
    p.add_argument("--assessor", help="评分人账户关联的评分人")
    p.add_argument("--display-name")
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    add("reset-password", cmd_reset, group).add_argument("username")
    add("passwd", cmd_passwd, group, help="修改自己的密码")
    p = add("role", cmd_role, group)
    p.add_argument("username")
    p.add_argument("role", choices=roles, metavar="ROLE", help="角色：%(choices)s")
    p.add_argument("--assessor")
    add("disable", cmd_disable, group).add_argument("username")
