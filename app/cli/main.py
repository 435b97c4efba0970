"""The command line: scripts every service the window uses (python -m app --db PATH COMMAND)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.cli.commands import READ_ONLY_COMMANDS, register_all
from app.cli.commands.audit import cmd_reseal as cmd_audit_reseal
from app.cli.commands.audit import cmd_verify as cmd_audit_verify
from app.cli.commands.backups import cmd_restore as cmd_backup_restore
from app.cli.commands.check import cmd_check
from app.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE_OR_INPUT,
    print_json,
)
from app.demo.build import build_demo
from app.errors import StorageError, UserError, WorkbookError, os_reason
from app.io.reading_progress import reading_progress
from app.models.database import Database
from app.models.migrate import MigrationError
from app.models.opening import open_database, sqlite_path
from app.paths import default_database_path
from app.services.access import accounts, audit
from app.services.access.actor import Actor, set_actor
from app.services.access.state_verify import (
    verify_state,
)
from app.services.maintenance import backups, instance_lock, restore
from app.services.maintenance.health import DamagedDatabase, check_at_start, writable
from app.services.setup import frameworks, units


def cmd_demo(db: Database, args: argparse.Namespace) -> None:
    summary = build_demo(db)
    print(summary)


def cmd_units_import(db: Database, args: argparse.Namespace) -> None:
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


def cmd_units_list(db: Database, args: argparse.Namespace) -> None:
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


def cmd_framework_import(db: Database, args: argparse.Namespace) -> None:
    info = frameworks.import_framework(
        db, args.file, args.name, replace=args.replace, sheet_name=args.sheet
    )
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


def cmd_framework_export(db: Database, args: argparse.Namespace) -> None:
    print(f"已导出到 {frameworks.export_framework(db, args.name, args.out)}")


def cmd_units_export(db: Database, args: argparse.Namespace) -> None:
    print(f"已导出到 {units.export_units(db, args.out)}")


def cmd_framework_list(db: Database, args: argparse.Namespace) -> None:
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


def cmd_framework_show(db: Database, args: argparse.Namespace) -> None:
    tree = frameworks.get_framework_tree(db, args.name)
    if args.json:
        print_json({"name": args.name, "children": [node.to_json() for node in tree]})
        return

    def show(nodes: Sequence[frameworks.TreeNode], depth: int) -> None:
        for node in nodes:
            print(f"{'  ' * depth}{node.code} {node.name}（{node.points}分，{node.method}）")
            show(node.children, depth + 1)

    show(tree, 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kaoping", description="法治建设考核评分系统")
    parser.add_argument("--db", help="数据库文件路径或完整的数据库 URL（默认在用户数据目录）")
    parser.add_argument(
        "--user",
        help="以此账户登录（设有多个账户时必填；密码取自环境变量 KAOPING_PASSWORD 或提示输入）",
    )
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="DIR",
        help="自检：在临时文件夹（或 DIR）中逐项检查导入、计算、Excel、PDF、图表和窗口",
    )
    parser.add_argument("--screenshot", metavar="OUT.png", help="离屏渲染主窗口并保存截图")
    parser.add_argument("--page", default=None, help="截图时显示的页面")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, handler: Callable[..., None], parent: Any = sub, **kw: Any) -> Any:
        p = parent.add_parser(name, **kw)
        p.set_defaults(handler=handler)
        return p

    add("demo", cmd_demo, help="生成完整的演示数据")
    units_p = sub.add_parser("units", help="考核对象").add_subparsers(dest="action", required=True)
    p = add("import", cmd_units_import, units_p)
    p.add_argument("file")
    p.add_argument("--deactivate-missing", action="store_true", help="停用名单中没有的单位")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_units_list, units_p).add_argument("--json", action="store_true")
    add("export", cmd_units_export, units_p).add_argument("--out", required=True)

    fw = sub.add_parser("framework", help="指标体系").add_subparsers(dest="action", required=True)
    p = add("import", cmd_framework_import, fw)
    p.add_argument("file")
    p.add_argument("--name", required=True)
    p.add_argument("--replace", action="store_true", help="覆盖同名指标体系")
    p.add_argument("--sheet", help="读取此工作表（默认：表头相符的第一个工作表）")
    add("list", cmd_framework_list, fw).add_argument("--json", action="store_true")
    p = add("export", cmd_framework_export, fw)
    p.add_argument("name")
    p.add_argument("--out", required=True)
    p = add("show", cmd_framework_show, fw)
    p.add_argument("name")
    p.add_argument("--json", action="store_true")

    register_all(sub, add)
    return parser


# The read-only commands still in this module; the topics' own are in READ_ONLY_COMMANDS.
READ_ONLY_HERE = frozenset(
    {
        cmd_units_list,
        cmd_units_export,
        cmd_framework_list,
        cmd_framework_show,
        cmd_framework_export,
    }
)


def _open_for(args: argparse.Namespace, target: str) -> tuple[Database, Any]:
    """The lock, the start check and the open database for one command. A reader on a medium
    that cannot be written opens the file read-only without a lock (no writer can work
    there either); anything else is refused there with a message."""
    file_path = sqlite_path(target)
    if file_path is None:
        return open_database(target), None
    reader = args.handler in READ_ONLY_COMMANDS | READ_ONLY_HERE
    lock = None
    if writable(file_path):
        try:
            lock = instance_lock.acquire(file_path)
        except instance_lock.LockUnavailable:
            if not reader:
                raise
    elif not reader:
        raise StorageError(
            f"数据库 {file_path} 所在的位置只读（{file_path.parent}），只能查看，不能修改；"
            "请把数据库复制到可写的文件夹后再做修改"
        )
    try:
        check_at_start(file_path)
        if lock is not None:
            backups.tidy_backup_folder(file_path)
        return open_database(target, read_only=lock is None), lock
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _restore_damaged(args: argparse.Namespace, damaged: DamagedDatabase) -> int:
    """`backup restore` on a file that failed its integrity check: an administrator of the
    data (password checked when it has accounts) with a reason; holding the lock."""
    file_path = damaged.path
    lock = instance_lock.acquire(file_path)
    try:
        check_at_start(file_path)  # under the lock: still damaged, not merely busy
        print(f"错误：{damaged}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except DamagedDatabase:
        actor = restore.damaged_restore_actor(file_path, Path(args.file), args.user, _password)
        safety = restore.restore_damaged(file_path, Path(args.file), args.reason, actor)
        print(
            f"数据库已损坏；已由“{actor.username}”从 {args.file} 恢复（已记入变更记录），"
            f"损坏的文件另存为 {safety}"
        )
        return EXIT_OK
    finally:
        lock.release()


def run_command(args: argparse.Namespace) -> int:
    """Run one command; the user's mistakes exit 2 with a message per problem."""
    target = args.db if args.db is not None else str(default_database_path())
    try:
        db, lock = _open_for(args, target)
    except DamagedDatabase as damaged:
        if args.handler is not cmd_backup_restore:
            print(f"错误：{damaged}", file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
        try:
            return _restore_damaged(args, damaged)
        except (MigrationError, UserError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
    except (MigrationError, UserError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    head = None
    try:
        head = audit.latest_change(db)
        set_actor(_who_acts(db, args.user))
        _refuse_until_password_changed(args)
        if args.handler not in (cmd_audit_verify, cmd_audit_reseal, cmd_check):
            _warn_if_state_differs(db)
        with reading_progress(_ReadingProgress()):
            args.handler(db, args)
    except KeyboardInterrupt:
        written = head is not None and audit.latest_change(db) != head
        print(file=sys.stderr)
        print(
            "已取消；取消前已完成的部分已保存（见变更记录）"
            if written
            else "已取消，未写入任何数据",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except EOFError:  # getpass or input() at the end of piped input
        print(
            "错误：需要输入（如密码）时输入已结束；在脚本中请用环境变量 KAOPING_PASSWORD"
            "（登录）和 KAOPING_NEW_PASSWORD（新密码）",
            file=sys.stderr,
        )
        return EXIT_USAGE_OR_INPUT
    except WorkbookError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        print(f"共 {len(exc.problems)} 处问题，本次导入未写入任何数据。", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    except SystemExit as exc:  # a command that reported its own problems
        return int(exc.code or 0)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(f"错误：无法写入{where}（{os_reason(exc)}）", file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    finally:
        set_actor(None)
        db.dispose()
        if lock is not None:
            lock.release()
    return EXIT_OK


def _password(username: str) -> str:
    password = os.environ.get("KAOPING_PASSWORD")
    if password is None:
        password = getpass.getpass(f"{username} 的密码：")
    return password


class _ReadingProgress:
    """Rows read so far, on stderr, for sheets big enough to take a while: updated in place
    on a terminal, a line per tenth otherwise (a log stays short)."""

    QUIET_BELOW = 20_000

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < self.QUIET_BELOW:
            return
        if done == 0:
            self.shown = -1
        if self.terminal:
            end = "\n" if done >= total else ""
            print(f"\r读取 {done}/{total} 行…", end=end, file=sys.stderr, flush=True)
            return
        tenth = done * 10 // total
        if tenth > self.shown:
            self.shown = tenth
            print(f"读取 {done}/{total} 行", file=sys.stderr, flush=True)


def _refuse_until_password_changed(args: argparse.Namespace) -> None:
    """After an administrator's reset, the account's first act is choosing its own password."""
    from app.cli.commands.accounts import cmd_passwd
    from app.services.access.actor import current_actor

    actor = current_actor()
    if actor.must_change_password and args.handler is not cmd_passwd:
        raise UserError(
            f"账户“{actor.username}”的密码已由管理员重置，须先修改密码再使用："
            f"kaoping --user {actor.username} account passwd"
            "（原密码取自 KAOPING_PASSWORD，新密码取自 KAOPING_NEW_PASSWORD 或提示输入）"
        )


def _warn_if_state_differs(db: Database) -> None:
    """Issue 15 §1 at every start: the data against the chain's last digest (0.1 s for the
    demo, 0.3 s for 62,000 score entries; the chain's own re-hash is left to `audit verify`).
    A warning only: the command still runs, and what must not go out over changed data (the
    publication, documents with a check code) refuses by itself."""
    state = verify_state(db)
    if not state.ok:
        print(
            f"警告：数据与变更记录不一致（{len(state.differences)} 处），有数据在本程序之外被改动；"
            "运行 audit verify 查看每一处",
            file=sys.stderr,
        )


def _who_acts(db: Database, username: str | None) -> Actor:
    """--user signs in; without it a single-user database runs as its administrator."""
    if username:
        return accounts.sign_in(db, username, _password(username))
    actor = accounts.start_actor(db)
    if actor is None:
        raise UserError(
            "此数据库设有多个账户，请用 --user 用户名 登录"
            "（密码取自环境变量 KAOPING_PASSWORD，或在提示时输入）"
        )
    return actor
