"""The command line: scripts every service the window uses (python -m app --db PATH COMMAND).

Here: the top-level parser, opening the database, signing in, running one command and telling
its errors; each topic's commands are in app/cli/commands/."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.commands import READ_ONLY_COMMANDS, register_all
from app.cli.commands.accounts import cmd_passwd
from app.cli.commands.audit import cmd_reseal as cmd_audit_reseal
from app.cli.commands.audit import cmd_verify as cmd_audit_verify
from app.cli.commands.backups import cmd_restore as cmd_backup_restore
from app.cli.commands.check import cmd_check
from app.cli.commands.server import ADMIN_PASSWORD
from app.cli.common import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE_OR_INPUT
from app.errors import StorageError, UserError, WorkbookError, os_reason

if TYPE_CHECKING:
    from app.models.database import Database
    from app.services.access.actor import Actor
    from app.services.maintenance.health import DamagedDatabase

# What running any command needs (the database, signing in, the start check) is imported when a
# command runs, not to build the parser: `kaoping --help` and a mistyped option stay instant,
# and each command module imports its own services inside its handlers (issue 22).


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
        help="自检：在临时文件夹（或 DIR）中逐项检查导入、计算、Excel、PDF、图表和窗口；"
        "同时给出 --db 服务器 URL 时，先检查连接、结构版本、账户权限和一次写入读回",
    )
    parser.add_argument("--screenshot", metavar="OUT.png", help="离屏渲染主窗口并保存截图")
    parser.add_argument("--page", default=None, help="截图时显示的页面")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, handler: Callable[..., None], parent: Any, **kw: Any) -> Any:
        p = parent.add_parser(name, **kw)
        p.set_defaults(handler=handler)
        return p

    register_all(sub, add)
    return parser


@dataclass
class _StartCheck:
    """The file the start checks are about; ``before``: its identity when they began (for
    start_memo); ``spared``: it passed them in full exactly as it is, so they are skipped."""

    path: Path | None = None
    before: list[int] | None = None
    spared: bool = False


def _open_for(args: argparse.Namespace, target: str) -> tuple[Database, Any, _StartCheck]:
    """The lock, the start check and the open database for one command. A reader on a medium
    that cannot be written opens the file read-only without a lock (no writer can work
    there either); anything else is refused there with a message."""
    from app.models.opening import open_database, sqlite_path
    from app.services.maintenance import backups, health, instance_lock, start_memo
    from app.services.maintenance.health import DamagedDatabase, check_at_start, writable

    file_path = sqlite_path(target)
    if file_path is None:
        return open_database(target), None, _StartCheck()
    reader = args.handler in READ_ONLY_COMMANDS
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
        start = _StartCheck(file_path, start_memo.identity(file_path))
        start.spared = start_memo.checked_as_is(file_path)
        if start.spared:
            health.check_readable(file_path)  # another program may hold it: wait, then say so
        else:
            try:
                check_at_start(file_path)
            except DamagedDatabase:
                start_memo.forget(file_path)
                raise
        if lock is not None:
            backups.tidy_backup_folder(file_path)
        return open_database(target, read_only=lock is None), lock, start
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def error_text(error: Exception) -> str:
    """The user's error as the command line says it: the message, then what to type."""
    command = getattr(error, "command", "")
    return f"错误：{error}" + (f"\n命令行用法：{command}" if command else "")


def _restore_damaged(args: argparse.Namespace, damaged: DamagedDatabase) -> int:
    """`backup restore` on a file that failed its integrity check: an administrator of the
    data (password checked when it has accounts) with a reason; holding the lock."""
    from app.services.maintenance import instance_lock, restore
    from app.services.maintenance.health import DamagedDatabase, check_at_start

    file_path = damaged.path
    lock = instance_lock.acquire(file_path)
    try:
        check_at_start(file_path)  # under the lock: still damaged, not merely busy
        print(error_text(damaged), file=sys.stderr)
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
    if getattr(args, "own_connection", False):
        return _run_on_own_connection(args)
    from app.io.readers.reading_progress import reading_progress
    from app.models.migrate import MigrationError
    from app.paths import default_database_path
    from app.services.access import audit
    from app.services.access.actor import set_actor
    from app.services.maintenance.health import DamagedDatabase

    target = args.db if args.db is not None else str(default_database_path())
    try:
        db, lock, start = _open_for(args, target)
    except DamagedDatabase as damaged:
        if args.handler is not cmd_backup_restore:
            print(error_text(damaged), file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
        try:
            return _restore_damaged(args, damaged)
        except (MigrationError, UserError) as exc:
            print(error_text(exc), file=sys.stderr)
            return EXIT_USAGE_OR_INPUT
    except (MigrationError, UserError) as exc:
        print(error_text(exc), file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
    head = None
    try:
        head = audit.latest_change(db)
        set_actor(_who_acts(db, args.user))
        _refuse_until_password_changed(args)
        if args.handler not in (cmd_audit_verify, cmd_audit_reseal, cmd_check):
            _warn_if_state_differs(db, start)
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
        print(error_text(exc), file=sys.stderr)
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


def _run_on_own_connection(args: argparse.Namespace) -> int:
    """A command that connects to what it is given (`server init --url`): nothing is opened or
    locked for it, and nobody signs in (the server's owner is who runs it)."""
    try:
        args.handler(args)
    except EOFError:
        print(
            f"错误：需要输入密码时输入已结束；在脚本中请用环境变量 {ADMIN_PASSWORD}",
            file=sys.stderr,
        )
        return EXIT_USAGE_OR_INPUT
    except UserError as exc:
        print(error_text(exc), file=sys.stderr)
        return EXIT_USAGE_OR_INPUT
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
    from app.services.access.actor import current_actor

    actor = current_actor()
    if actor.must_change_password and args.handler is not cmd_passwd:
        raise UserError(
            f"账户“{actor.username}”的密码已由管理员重置，须先修改密码再使用："
            f"kaoping --user {actor.username} account passwd"
            "（原密码取自 KAOPING_PASSWORD，新密码取自 KAOPING_NEW_PASSWORD 或提示输入）"
        )


def _warn_if_state_differs(db: Database, start: _StartCheck) -> None:
    """Issue 15 §1 at every start: the data against the chain's last digest (0.1 s for the
    demo, 0.3 s for 62,000 score entries; the chain's own re-hash is left to `audit verify`).
    A warning only: the command still runs, and what must not go out over changed data (the
    publication, documents with a check code) refuses by itself."""
    from app.services.access.state_verify import verify_state
    from app.services.maintenance import start_memo

    if start.spared:  # exactly the file that passed both checks in full (start_memo)
        return
    state = verify_state(db)
    if start.path is not None:
        if state.ok:
            start_memo.note_checked(start.path, start.before)
        else:
            start_memo.forget(start.path)
    if not state.ok:
        print(
            f"警告：数据与变更记录不一致（{len(state.differences)} 处），有数据在本程序之外被改动；"
            "运行 audit verify 查看每一处",
            file=sys.stderr,
        )


def _who_acts(db: Database, username: str | None) -> Actor:
    """--user signs in; without it a single-user database runs as its administrator."""
    from app.services.access import accounts

    if username:
        return accounts.sign_in(db, username, _password(username))
    actor = accounts.start_actor(db)
    if actor is None:
        raise UserError(
            "此数据库设有多个账户，请用 --user 用户名 登录"
            "（密码取自环境变量 KAOPING_PASSWORD，或在提示时输入）"
        )
    return actor
