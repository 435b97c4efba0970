"""backup: backups made by hand, the list of them, a restore, and where they go."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database
    from app.services.maintenance import backups


def cmd_create(db: Database, args: argparse.Namespace) -> None:
    from app.services.maintenance import backups

    path = backups.manual_backup(db, Path(args.out) if args.out else None)
    print(f"已备份到 {path}")


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.maintenance import backups

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
    from app.services.maintenance import backups, restore

    if db.path is not None and not args.to_file:
        restore.refuse_the_file_itself(db.path, Path(args.file))
    inside = backups.describe_backup(Path(args.file))
    if args.to_database or args.to_file:
        _restore_elsewhere(db, args, inside)
        return
    safety = restore.restore_backup(db, Path(args.file), args.reason)
    print(
        f"已从 {args.file} 恢复（考核批次：{'、'.join(inside.rounds) or '无'}；"
        f"单位 {inside.units} 个，评分记录 {inside.score_entries} 条；已记入变更记录）"
    )
    print(f"恢复前的数据已备份到 {safety}（不会被自动轮换删除）")


def _restore_elsewhere(
    db: Database, args: argparse.Namespace, inside: backups.BackupContents
) -> None:
    """A backup put back beside the live data: a new server database, or a local file."""
    from app.services.server import snapshots

    if args.to_database and args.to_file:
        raise UserError("--to-database 与 --to-file 只能选一个")
    if args.to_database:
        done = snapshots.restore_to_server(db, Path(args.file), args.to_database, args.reason)
    else:
        done = snapshots.restore_to_file(Path(args.file), Path(args.to_file), args.reason)
    print(
        f"已把 {args.file} 恢复到 {done.where}（考核批次：{'、'.join(inside.rounds) or '无'}；"
        f"单位 {inside.units} 个，评分记录 {inside.score_entries} 条；已记入其变更记录）"
    )
    print("正在使用的数据库未改变；要改用恢复的数据，请连接到（或打开）上面的位置")


def cmd_folder(db: Database, args: argparse.Namespace) -> None:
    """Show or change where backups go (a setting of this computer; changing it is an
    administrator's act, logged in the database's change log)."""
    from app.services.maintenance import backup_settings, backups

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
    p.add_argument("--to-database", help="恢复到服务器上新建的这个数据库（不覆盖正在使用的）")
    p.add_argument("--to-file", help="恢复为本机的这个数据库文件（不覆盖正在使用的）")
    p = add("folder", cmd_folder, group, help="显示或更改备份文件夹（更改须管理员）")
    p.add_argument("path", nargs="?")
    p.add_argument("--reset", action="store_true", help="恢复默认（数据库旁的 backups 文件夹）")
