"""backup: backups made by hand, the list of them, a restore, and where they go."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import print_json
from app.models.database import Database
from app.services.maintenance import backup_settings, backups, restore


def cmd_create(db: Database, args: argparse.Namespace) -> None:
    path = backups.manual_backup(db, Path(args.out) if args.out else None)
    print(f"已备份到 {path}")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    rows = backups.list_backups(backups.backup_folder(db))
    if args.json:
        print_json(
            [
                {
                    "file": str(b.path),
                    "when": b.when.isoformat(timespec="seconds"),
                    "reason": b.reason,
                    "size": b.size,
                    "rounds": b.rounds,
                }
                for b in rows
            ]
        )
        return
    for b in rows:
        print(f"{b.when:%Y-%m-%d %H:%M:%S}  {b.reason:<10} {b.size // 1024:>6} KB  {b.path.name}")


def cmd_restore(db: Database, args: argparse.Namespace) -> None:
    if db.path is not None:
        restore.refuse_the_file_itself(db.path, Path(args.file))
    inside = backups.describe_backup(Path(args.file))
    safety = restore.restore_backup(db, Path(args.file), args.reason)
    print(
        f"已从 {args.file} 恢复（考核批次：{'、'.join(inside.rounds) or '无'}；"
        f"单位 {inside.units} 个，评分记录 {inside.score_entries} 条；已记入变更记录）"
    )
    print(f"恢复前的数据已备份到 {safety}（不会被自动轮换删除）")


def cmd_folder(db: Database, args: argparse.Namespace) -> None:
    """Show or change where backups go (a setting of this computer; changing it is an
    administrator's act, logged in the database's change log)."""
    if args.reset:
        backup_settings.set_backup_folder(db, None)
    elif args.path is not None:
        backup_settings.set_backup_folder(db, args.path)
    print(f"备份文件夹：{backups.backup_folder(db)}")


READ_ONLY = frozenset({cmd_list})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("backup", help="备份与恢复").add_subparsers(dest="action", required=True)
    add("create", cmd_create, group).add_argument("--out", help="备份到指定文件")
    add("list", cmd_list, group).add_argument("--json", action="store_true")
    p = add("restore", cmd_restore, group, help="管理员：用一份备份替换当前数据")
    p.add_argument("file")
    p.add_argument("--reason", required=True, help="恢复的理由（记入变更记录）")
    p = add("folder", cmd_folder, group, help="显示或更改备份文件夹（更改须管理员）")
    p.add_argument("path", nargs="?")
    p.add_argument("--reset", action="store_true", help="恢复默认（数据库旁的 backups 文件夹）")
